"""QR codes of verification addresses, made by zxing-cpp's encoder (the library the tests read codes back with).

A batch prints thousands of certificates, each with its own code: the pure-Python qrcode library spends about 2 ms
on a verification address (16 ms when it scores the eight masks), more than the rest of the page together; zxing-cpp
encodes it, mask chosen by the standard's penalty, in about 0.3 ms.
"""
from __future__ import annotations

import zxingcpp

# A module of the encoder's one-pixel-per-module image: 0 (black) is dark.
DARK_AS_ONE = bytes.maketrans(b"\x00\xff", b"10")


def qr_rows(text: str) -> list[str]:
    """The QR code of `text` (level M, no quiet zone) as rows of "1" (dark) and "0" (light)."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=False)
    side = image.shape[1]
    modules = bytes(memoryview(image)).translate(DARK_AS_ONE).decode("ascii")
    return [modules[row:row + side] for row in range(0, len(modules), side)]
