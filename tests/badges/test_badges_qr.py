"""QR encoder: fixed version 2 / level Q / numeric mode, decodable matrix and SVG."""
from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET

import pytest
import qrcode
import zxingcpp
from PIL import Image, ImageDraw
from qrcode.util import MODE_NUMBER, QRData, lost_point

from badges import qr_matrix, qr_svg
from badges.qr import _GOOD_ENOUGH, SIZE, STRIDE, _data_codewords, _ecc_codewords, _masked, _penalty, _place, encode

TOKENS = ["0" * 39, "9" * 39, "123456789012345678901234567890123456789"] + [
    "".join(random.Random(seed).choice("0123456789") for _ in range(39)) for seed in range(12)
]


def _paint(matrix: list[list[bool]], scale: int = 6) -> Image.Image:
    """Rasterize modules with a 4-module quiet zone."""
    side = (len(matrix) + 8) * scale
    img = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(img)
    for r, row in enumerate(matrix):
        for c, dark in enumerate(row):
            if dark:
                x, y = (c + 4) * scale, (r + 4) * scale
                draw.rectangle([x, y, x + scale - 1, y + scale - 1], fill=0)
    return img


def _format_info(matrix: list[list[bool]]) -> int:
    """Read the 15 format bits (first copy) and remove the fixed XOR mask."""
    cells = [(i, 8) for i in range(6)] + [(7, 8), (8, 8), (8, 7)] + [(8, 14 - i) for i in range(9, 15)]
    bits = sum(matrix[r][c] << i for i, (r, c) in enumerate(cells))
    return bits ^ 0x5412


@pytest.mark.parametrize("token", TOKENS)
def test_matrix_decodes_as_version_2_level_q(token: str) -> None:
    matrix = qr_matrix(token)
    assert len(matrix) == 25 and all(len(row) == 25 for row in matrix)  # version 2
    results = zxingcpp.read_barcodes(_paint(matrix))
    assert len(results) == 1
    result = results[0]
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.text == token
    assert result.ec_level == "Q"
    assert result.extra["Version"] == "2"


@pytest.mark.parametrize("token", TOKENS[:6])
def test_matrix_equals_reference_numeric_encoder(token: str) -> None:
    """Same modules as the qrcode package given version 2, level Q, numeric mode and our mask."""
    _, mask = encode(token)
    ref = qrcode.QRCode(version=2, error_correction=qrcode.constants.ERROR_CORRECT_Q, mask_pattern=mask, border=0)
    ref.add_data(QRData(token, mode=MODE_NUMBER))
    ref.make(fit=False)
    assert ref.modules == qr_matrix(token)


def test_format_info_says_level_q() -> None:
    info = _format_info(qr_matrix(TOKENS[2]))
    assert info >> 13 == 0b11  # level Q
    assert (info >> 10) & 0b111 == encode(TOKENS[2])[1]


def test_payload_is_numeric_mode_with_39_digit_count() -> None:
    data = _data_codewords(TOKENS[2])
    bits = int.from_bytes(data, "big")
    assert len(data) == 22  # version 2-Q data capacity
    assert bits >> (22 * 8 - 4) == 0b0001  # numeric mode indicator
    assert (bits >> (22 * 8 - 14)) & 0x3FF == 39  # character count


def test_mask_is_usually_the_fixed_default() -> None:
    masks = [encode(t)[1] for t in TOKENS]
    assert masks.count(0) >= len(masks) // 2


@pytest.mark.parametrize("bad", ["", "1" * 38, "1" * 40, "12345678901234567890123456789012345678a",
                                 "١" * 39, " " + "1" * 38, 123])
def test_bad_token_is_rejected(bad: object) -> None:
    with pytest.raises(ValueError):
        qr_matrix(bad)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        qr_svg(bad)  # type: ignore[arg-type]


def _paint_svg_path(d: str, side: int, scale: int = 6) -> Image.Image:
    """Rasterize our SVG path (only M x y h n v1 h-n z commands) the way a browser would."""
    img = Image.new("L", (side * scale, side * scale), 255)
    draw = ImageDraw.Draw(img)
    for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)v1h-\3z", d):
        x0, y0 = int(x) * scale, int(y) * scale
        draw.rectangle([x0, y0, x0 + int(n) * scale - 1, y0 + scale - 1], fill=0)
    return img


def test_svg_is_one_path_with_quiet_zone_and_decodes() -> None:
    token = TOKENS[3]
    svg = qr_svg(token, size_px=240)
    root = ET.fromstring(svg)
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.get("role") == "img"
    assert root.get("width") == "240" and root.get("viewBox") == "0 0 33 33"
    paths = root.findall(f"{ns}path")
    assert len(paths) == 1
    rect = root.find(f"{ns}rect")
    assert rect is not None and rect.get("fill") == "#fff"
    d = paths[0].get("d")
    assert re.fullmatch(r"(M\d+ \d+h\d+v1h-\d+z)+", d)
    assert min(int(x) for x in re.findall(r"M(\d+) ", d)) == 4  # the quiet zone is 4 modules
    results = zxingcpp.read_barcodes(_paint_svg_path(d, 33))
    assert [r.text for r in results] == [token]


def test_svg_runs_are_merged() -> None:
    """Each row's dark modules are maximal horizontal runs: no two runs touch."""
    d = ET.fromstring(qr_svg(TOKENS[4])).find("{http://www.w3.org/2000/svg}path").get("d")
    runs = [(int(y), int(x), int(n)) for x, y, n in re.findall(r"M(\d+) (\d+)h(\d+)", d)]
    for (y1, x1, n1), (y2, x2, _) in zip(runs, runs[1:], strict=False):
        assert not (y1 == y2 and x1 + n1 == x2)
    assert sum(n for _, _, n in runs) == sum(map(sum, qr_matrix(TOKENS[4])))


RANDOM_TOKENS = [f"{random.Random(1000 + seed).getrandbits(128):039d}" for seed in range(25)]


def _reference(token: str, mask: int) -> list[list[bool]]:
    """The qrcode package's modules for the token at version 2-Q, numeric mode, with a forced mask."""
    ref = qrcode.QRCode(version=2, error_correction=qrcode.constants.ERROR_CORRECT_Q, mask_pattern=mask, border=0)
    ref.add_data(QRData(token, mode=MODE_NUMBER))
    ref.make(fit=False)
    return ref.modules


def _as_matrix(symbol: int) -> list[list[bool]]:
    return [[bool(symbol >> (row * STRIDE + col) & 1) for col in range(SIZE)] for row in range(SIZE)]


def _placed(token: str) -> int:
    data = _data_codewords(token)
    return _place(data + _ecc_codewords(data))


@pytest.mark.parametrize("mask", range(8), ids=[f"mask-{m}" for m in range(8)])
def test_every_mask_gives_the_reference_modules(mask: int) -> None:
    for token in RANDOM_TOKENS:
        assert _as_matrix(_masked(_placed(token), mask)) == _reference(token, mask), token


@pytest.mark.parametrize("mask", range(8), ids=[f"mask-{m}" for m in range(8)])
def test_every_mask_scores_the_reference_penalty(mask: int) -> None:
    for token in RANDOM_TOKENS:
        assert _penalty(_masked(_placed(token), mask)) == lost_point(_reference(token, mask)), token


def test_chosen_mask_is_zero_when_good_enough_else_the_lowest_penalty() -> None:
    for token in RANDOM_TOKENS:
        scores = [lost_point(_reference(token, mask)) for mask in range(8)]
        _, chosen = encode(token)
        if scores[0] <= _GOOD_ENOUGH:
            assert chosen == 0, token
        else:
            assert scores[chosen] == min(scores), token


def test_random_tokens_exercise_masks_other_than_zero() -> None:
    """Some payloads need another mask, so the mask search itself is under test."""
    tokens = [f"{random.Random(seed).getrandbits(128):039d}" for seed in range(400)]
    assert len({encode(token)[1] for token in tokens}) > 1
