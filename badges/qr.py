"""QR codes for badge tokens: version 2, level Q, numeric mode, drawn as vectors.

The version, level and mode are fixed by the badge contract (a 39-digit token
always fits version 2-Q), so there is no version search.  The symbol is held
as one Python int with one bit per module (row-major, 26 bits per 25-module
row), which makes masking and the standard mask penalty score a handful of
whole-symbol bitwise operations instead of a general encoder's per-module loops.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

SIZE = 25
QUIET = 4
TOKEN_DIGITS = 39
STRIDE = SIZE + 1  # the spare bit per row is always 0, so runs never wrap rows
_DATA_CODEWORDS = 22
_ECC_CODEWORDS = 22
_ECC_LEVEL_Q = 0b11
_TOKEN_RE = re.compile(r"[0-9]{%d}" % TOKEN_DIGITS)
_BIT_FORMAT = f"0{SIZE * STRIDE}b"
_GOOD_ENOUGH = 560  # about the median penalty of the other masks (measured on random tokens)


def _bit(row: int, col: int) -> int:
    """Return the int with only the bit of module (row, col) set."""
    return 1 << (row * STRIDE + col)


def _union(cells: Iterable[tuple[int, int]]) -> int:
    """OR together the module bits of (row, col) pairs."""
    bits = 0
    for row, col in cells:
        bits |= _bit(row, col)
    return bits


def _square(top: int, left: int, size: int) -> list[tuple[int, int]]:
    """List the in-symbol cells of a size x size square."""
    return [
        (r, c)
        for r in range(top, top + size)
        for c in range(left, left + size)
        if 0 <= r < SIZE and 0 <= c < SIZE
    ]


def _finder(top: int, left: int) -> tuple[int, int]:
    """Return (region, dark) bits of a finder pattern plus its separator."""
    region = _union(_square(top - 1, left - 1, 9))
    dark = _union(
        (top + dr, left + dc)
        for dr in range(7)
        for dc in range(7)
        if max(abs(dr - 3), abs(dc - 3)) != 2
    )
    return region, dark


def _format_cells() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Return the two lists of cells holding format bits 0..14."""
    first = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)]
    first += [(8, 14 - i) for i in range(9, 15)]
    second = [(8, SIZE - 1 - i) for i in range(8)]
    second += [(SIZE - 15 + i, 8) for i in range(8, 15)]
    return first, second


def _format_bits(mask: int) -> int:
    """Return the 15 BCH-protected format bits for level Q and a mask."""
    data = (_ECC_LEVEL_Q << 3) | mask
    rem = data << 10
    for i in range(14, 9, -1):
        if rem >> i & 1:
            rem ^= 0x537 << (i - 10)
    return ((data << 10) | rem) ^ 0x5412


def _function_patterns() -> tuple[int, int, list[int]]:
    """Return (function region, fixed dark modules, format bits per mask)."""
    region = dark = 0
    for top, left in ((0, 0), (0, SIZE - 7), (SIZE - 7, 0)):
        fregion, fdark = _finder(top, left)
        region |= fregion
        dark |= fdark
    for i in range(SIZE):
        region |= _bit(6, i) | _bit(i, 6)
        if i % 2 == 0:
            dark |= _bit(6, i) | _bit(i, 6)
    region |= _union(_square(16, 16, 5))  # the one alignment pattern, centre (18, 18)
    dark |= _union((16 + r, 16 + c) for r in range(5) for c in range(5) if max(abs(r - 2), abs(c - 2)) != 1)
    first, second = _format_cells()
    region |= _union(first + second) | _bit(SIZE - 8, 8)
    dark |= _bit(SIZE - 8, 8)  # the always-dark module
    formats = []
    for mask in range(8):
        bits = _format_bits(mask)
        on = [i for i in range(15) if bits >> i & 1]
        formats.append(_union(first[i] for i in on) | _union(second[i] for i in on))
    return region, dark, formats


_FULL = _union(_square(0, 0, SIZE))
_FUNC_REGION, _FUNC_DARK, _FORMATS = _function_patterns()
_DATA_REGION = _FULL & ~_FUNC_REGION


def _zigzag() -> list[tuple[int, int]]:
    """List the data cells in placement order (two-column zigzag)."""
    cells = []
    columns = [c for c in range(SIZE - 1, 0, -2) if c > 6] + [5, 3, 1]
    for n, right in enumerate(columns):
        rows = range(SIZE - 1, -1, -1) if n % 2 == 0 else range(SIZE)
        for row in rows:
            for col in (right, right - 1):
                if _DATA_REGION & _bit(row, col):
                    cells.append((row, col))
    return cells


_MASK_RULES = (
    lambda r, c: (r + c) % 2 == 0,
    lambda r, c: r % 2 == 0,
    lambda r, c: c % 3 == 0,
    lambda r, c: (r + c) % 3 == 0,
    lambda r, c: (r // 2 + c // 3) % 2 == 0,
    lambda r, c: (r * c) % 2 + (r * c) % 3 == 0,
    lambda r, c: ((r * c) % 2 + (r * c) % 3) % 2 == 0,
    lambda r, c: ((r + c) % 2 + (r * c) % 3) % 2 == 0,
)
_MASKS = [
    _DATA_REGION & _union((r, c) for r in range(SIZE) for c in range(SIZE) if rule(r, c))
    for rule in _MASK_RULES
]


def _nibble_tables() -> list[list[int]]:
    """Precompute, per codeword nibble, the module bits for each of its 16 values."""
    order = _zigzag()
    tables = []
    for start in range(0, (_DATA_CODEWORDS + _ECC_CODEWORDS) * 8, 4):
        cells = order[start:start + 4]
        tables.append([
            _union(cells[j] for j in range(4) if value >> (3 - j) & 1) for value in range(16)
        ])
    return tables


_NIBBLES = _nibble_tables()


def _gf_tables() -> tuple[list[int], list[int]]:
    """Return exp/log tables of GF(256) with the QR polynomial 0x11D."""
    exp, log = [0] * 512, [0] * 256
    x = 1
    for i in range(255):
        exp[i], log[x] = x, i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    for i in range(255, 512):
        exp[i] = exp[i - 255]
    return exp, log


def _generator_multiples() -> list[int]:
    """Precompute factor * generator (without its leading 1) as 22-byte ints."""
    exp, log = _gf_tables()

    def mul(a: int, b: int) -> int:
        return 0 if a == 0 or b == 0 else exp[log[a] + log[b]]

    gen = [1]
    for i in range(_ECC_CODEWORDS):
        nxt = gen + [0]
        for j, coef in enumerate(gen):
            nxt[j + 1] ^= mul(coef, exp[i])
        gen = nxt
    return [int.from_bytes(bytes(mul(f, g) for g in gen[1:]), "big") for f in range(256)]


_GEN_MULTIPLES = _generator_multiples()
_ECC_MASK = (1 << (8 * _ECC_CODEWORDS)) - 1
_ECC_TOP_SHIFT = 8 * (_ECC_CODEWORDS - 1)


def validate_token(token: str) -> str:
    """Return token if it is exactly 39 ASCII digits, else raise ValueError."""
    if not isinstance(token, str) or not _TOKEN_RE.fullmatch(token):
        raise ValueError(f"QR token must be exactly {TOKEN_DIGITS} decimal digits")
    return token


def _data_codewords(token: str) -> bytes:
    """Encode the digits in numeric mode, then terminate and pad to 22 bytes."""
    acc = (0b0001 << 10) | TOKEN_DIGITS
    for k in range(0, TOKEN_DIGITS, 3):
        acc = (acc << 10) | int(token[k:k + 3])
    # 144 bits so far: 4-bit terminator plus 4 bits to reach a byte boundary.
    return (acc << 8).to_bytes(19, "big") + b"\xec\x11\xec"


def _ecc_codewords(data: bytes) -> bytes:
    """Return the Reed-Solomon remainder of data (one block, 22 codewords)."""
    reg = 0
    for byte in data:
        reg = ((reg << 8) & _ECC_MASK) ^ _GEN_MULTIPLES[byte ^ (reg >> _ECC_TOP_SHIFT)]
    return reg.to_bytes(_ECC_CODEWORDS, "big")


def _place(codewords: bytes) -> int:
    """Return the unmasked data modules for the 44 codewords."""
    bits = 0
    tables = _NIBBLES
    for i, byte in enumerate(codewords):
        bits |= tables[2 * i][byte >> 4] | tables[2 * i + 1][byte & 15]
    return bits


def _runs_penalty(x: int, step: int) -> tuple[int, int]:
    """Return (rule-1 penalty, 4-long run bits) for same-colour runs along step."""
    two = x & (x >> step)
    four = two & (two >> 2 * step)
    five = four & (x >> 4 * step)
    starts = five & ~(five << step)
    return five.bit_count() + 2 * starts.bit_count(), four


def _finder_like(dark: int, light4: int, light: int, step: int) -> int:
    """Count 1:1:3:1:1 patterns with four light modules on either side (rule 3)."""
    core = (dark & (light >> step) & (dark >> 2 * step) & (dark >> 3 * step)
            & (dark >> 4 * step) & (light >> 5 * step) & (dark >> 6 * step))
    after = core & (light4 >> 7 * step)
    before = light4 & (core >> 4 * step)
    return after.bit_count() + before.bit_count()


def _penalty(dark: int) -> int:
    """Score a masked symbol with the four standard mask penalty rules."""
    light = _FULL & ~dark
    score = 0
    for step in (1, STRIDE):
        pd, dark4 = _runs_penalty(dark, step)
        pl, light4 = _runs_penalty(light, step)
        score += pd + pl + 40 * _finder_like(dark, light4, light, step)
    for x in (dark, light):
        score += 3 * (x & (x >> 1) & (x >> STRIDE) & (x >> (STRIDE + 1))).bit_count()
    total = SIZE * SIZE
    return score + 10 * (abs(dark.bit_count() * 20 - total * 10) // total)


def _masked(placed: int, mask: int) -> int:
    """Return the full symbol for unmasked data modules under one mask."""
    return _FUNC_DARK | _FORMATS[mask] | ((placed ^ _MASKS[mask]) & _DATA_REGION)


def encode(token: str) -> tuple[int, int]:
    """Return (modules as bits, mask) for a token.

    Mask 0 has the lowest penalty on average for these payloads, so it is kept
    unless it scores worse than a typical mask; only then are all eight scored.
    """
    data = _data_codewords(validate_token(token))
    placed = _place(data + _ecc_codewords(data))
    symbol = _masked(placed, 0)
    if _penalty(symbol) <= _GOOD_ENOUGH:
        return symbol, 0
    scored = [(_penalty(_masked(placed, mask)), mask) for mask in range(8)]
    mask = min(scored)[1]
    return _masked(placed, mask), mask


def _run_starts(symbol: int) -> list[tuple[int, int]]:
    """Return (bit index, length) of every horizontal dark run, top row first."""
    runs = []
    pos = 0
    # Splitting the bit string on light modules leaves exactly the dark runs.
    for seg in format(symbol, _BIT_FORMAT)[::-1].split("0"):
        if seg:
            runs.append((pos, len(seg)))
        pos += len(seg) + 1
    return runs


def dark_runs(token: str) -> list[tuple[int, int, int]]:
    """Return (row, first column, length) for every horizontal run of dark modules."""
    return [(*divmod(pos, STRIDE), n) for pos, n in _run_starts(encode(token)[0])]


def qr_matrix(token: str) -> list[list[bool]]:
    """Return the 25x25 modules (True = dark) of the token's QR code."""
    symbol = encode(token)[0]
    return [[bool(symbol >> (r * STRIDE + c) & 1) for c in range(SIZE)] for r in range(SIZE)]


_PDF_RUN_HEAD = [f"{pos % STRIDE} {SIZE - 1 - pos // STRIDE} " for pos in range(SIZE * STRIDE)]
_PDF_RUN_TAIL = [f"{n} 1 re" for n in range(SIZE + 1)]


def pdf_path(token: str) -> str:
    """Return PDF path operators in module units (origin at the symbol's lower left), filled once."""
    head, tail = _PDF_RUN_HEAD, _PDF_RUN_TAIL
    return "\n".join([head[pos] + tail[n] for pos, n in _run_starts(encode(token)[0])]) + "\nf"


def qr_svg(token: str, size_px: int = 300) -> str:
    """Return a standalone SVG of the token's QR code with its quiet zone."""
    if size_px <= 0:
        raise ValueError("size_px must be positive")
    side = SIZE + 2 * QUIET
    path = "".join(f"M{c + QUIET} {r + QUIET}h{n}v1h-{n}z" for r, c, n in dark_runs(token))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="QR code"'
        f' width="{size_px}" height="{size_px}" viewBox="0 0 {side} {side}"'
        f' shape-rendering="crispEdges">'
        f'<rect width="{side}" height="{side}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/></svg>'
    )
