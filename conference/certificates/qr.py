"""QR codes of verification addresses, fast enough for thousands of certificate pages.

The qrcode library draws the fixed patterns of each size once (they do not depend on the text); the data, its
Reed-Solomon error correction (table-driven here: the library's polynomial arithmetic costs more than a whole
certificate page) and the placement of its bits follow ISO/IEC 18004 in byte mode, error correction level M, with
one fixed mask (any mask makes a valid code; scoring all eight would multiply the cost).
"""
from __future__ import annotations

from functools import lru_cache

import qrcode
from qrcode.base import EXP_TABLE, LOG_TABLE, rs_blocks
from qrcode.constants import ERROR_CORRECT_M
from qrcode.util import MODE_8BIT_BYTE, PAD0, PAD1, length_in_bits, mask_func

MASK = 2
MAX_VERSION = 20  # 666 bytes at level M: far beyond any verification address


@lru_cache(maxsize=None)
def _capacity(version: int) -> int:
    """Data bits a version holds at level M."""
    return sum(block.data_count * 8 for block in rs_blocks(version, ERROR_CORRECT_M))


def _version(size: int) -> int:
    for version in range(1, MAX_VERSION + 1):
        if 4 + length_in_bits(MODE_8BIT_BYTE, version) + 8 * size <= _capacity(version):
            return version
    raise ValueError("text too long for a QR code")


@lru_cache(maxsize=None)
def _products(degree: int) -> tuple[int, ...]:
    """For each byte value, the Reed-Solomon generator polynomial (without its leading 1) times that value, as one
    integer of `degree` bytes: the division then costs one shift and one XOR per data byte."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coefficient in enumerate(poly):
            nxt[j] ^= coefficient
            if coefficient:
                nxt[j + 1] ^= EXP_TABLE[(LOG_TABLE[coefficient] + i) % 255]
        poly = nxt
    logs = [LOG_TABLE[c] for c in poly[1:]]
    products = [0]
    for factor in range(1, 256):
        log = LOG_TABLE[factor]
        products.append(int.from_bytes(bytes(EXP_TABLE[(g + log) % 255] for g in logs), "big"))
    return tuple(products)


def _ecc(data: list[int], degree: int) -> list[int]:
    """The error-correction codewords of one block (polynomial division over GF(256))."""
    products = _products(degree)
    top, full = 8 * (degree - 1), (1 << 8 * degree) - 1
    remainder = 0
    for byte in data:
        remainder = ((remainder << 8) & full) ^ products[byte ^ (remainder >> top)]
    return list(remainder.to_bytes(degree, "big"))


def _codewords(data: bytes, version: int) -> list[int]:
    """Mode, length, data, terminator and padding, split into blocks with their error correction, interleaved."""
    count_bits = length_in_bits(MODE_8BIT_BYTE, version)
    capacity = _capacity(version)
    bits = (MODE_8BIT_BYTE << count_bits | len(data)) << 8 * len(data) | int.from_bytes(data, "big")
    length = 4 + count_bits + 8 * len(data)
    terminator = min(4, capacity - length)
    bits, length = bits << terminator, length + terminator
    if length % 8:
        bits, length = bits << (8 - length % 8), length + 8 - length % 8
    words = list(bits.to_bytes(length // 8, "big"))
    pads = (PAD0, PAD1)
    words += [pads[i % 2] for i in range(capacity // 8 - len(words))]
    blocks, ecc_blocks, offset = [], [], 0
    for block in rs_blocks(version, ERROR_CORRECT_M):
        chunk = words[offset:offset + block.data_count]
        offset += block.data_count
        blocks.append(chunk)
        ecc_blocks.append(_ecc(chunk, block.total_count - block.data_count))
    out = []
    for group in (blocks, ecc_blocks):
        for i in range(max(len(block) for block in group)):
            out += [block[i] for block in group if i < len(block)]
    return out


@lru_cache(maxsize=None)
def _layout(version: int) -> tuple[int, str, tuple[int, ...], int]:
    """A version's side, its fixed modules (with the mask's format bits) as a string of 0 and 1 row after row, the
    data positions (row × side + column) in placement order, and the mask over them as bits."""
    code = qrcode.QRCode(version=version, error_correction=ERROR_CORRECT_M, border=0)
    code.modules_count = n = version * 4 + 17
    code.modules = [[None] * n for _ in range(n)]
    code.setup_position_probe_pattern(0, 0)
    code.setup_position_probe_pattern(n - 7, 0)
    code.setup_position_probe_pattern(0, n - 7)
    code.setup_position_adjust_pattern()
    code.setup_timing_pattern()
    code.setup_type_info(False, MASK)
    if version >= 7:
        code.setup_type_number(False)
    inverts = mask_func(MASK)
    positions, mask = [], 0
    row, step = n - 1, -1
    for col in range(n - 1, 0, -2):
        if col <= 6:
            col -= 1
        while 0 <= row < n:
            for c in (col, col - 1):
                if code.modules[row][c] is None:
                    positions.append(row * n + c)
                    mask = mask << 1 | bool(inverts(row, c))
            row += step
        row -= step
        step = -step
    fixed = "".join("1" if cell else "0" for line in code.modules for cell in line)
    return n, fixed, tuple(positions), mask


def qr_rows(text: str) -> list[str]:
    """The QR code of `text` (UTF-8, byte mode, level M, no quiet zone) as rows of "1" (dark) and "0" (light)."""
    data = text.encode("utf-8")
    version = _version(len(data))
    side, fixed, positions, mask = _layout(version)
    codewords = _codewords(data, version)
    count = len(positions)
    # The data bits (remainder bits after them are light), masked: one XOR of two integers, then a string.
    bits = int.from_bytes(bytes(codewords), "big") << (count - 8 * len(codewords))
    placed = format(bits ^ mask, f"0{count}b")
    modules = list(fixed)
    for position, bit in zip(positions, placed, strict=True):
        modules[position] = bit
    flat = "".join(modules)
    return [flat[row * side:(row + 1) * side] for row in range(side)]


def qr_modules(text: str) -> list[list[bool]]:
    """The QR code of `text` as rows of dark (True) and light modules."""
    return [[bit == "1" for bit in row] for row in qr_rows(text)]
