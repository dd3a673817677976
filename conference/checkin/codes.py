"""Reading a scanned or typed code: a badge's token digits or a human code, whatever the keyboard or scanner sent."""
from __future__ import annotations

import re
import string

# How a scanned code is read. The door page reads codes offline with the same rules (static/js/door-rules.js), and
# tests/checkin/door_vectors.json holds the cases both must agree on: change the two together.
# Read as ASCII: both Arabic-Indic digit sets (Arabic ٠-٩ and Persian/Urdu ۰-۹), full-width forms, a-z as A-Z.
_READ_AS = {
    **str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹" + string.ascii_lowercase, "0123456789" * 2 + string.ascii_uppercase),
    **{code: ord(chr(code - 0xFEE0).upper()) for code in range(0xFF01, 0xFF5F)},  # full-width: ASCII shifted
}
# Dropped wherever they are: control characters and spaces (Unicode Cc, Zs, Zl, Zp), dashes (Pd, and the minus
# sign), invisible format marks (Cf: bidi marks, zero-width characters, the soft hyphen, the Arabic letter mark; a
# pasted code often carries one). Listed character by character rather than by Unicode category, so that every
# browser and the server read a code alike whatever Unicode version they know.
_SPACES = "\x00-\x20\x7f-\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_DASHES = ("\\-\u058a\u05be\u1400\u1806\u2010-\u2015\u2212\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0"
           "\ufe31\ufe32\ufe58\ufe63\uff0d\U00010ead")
_INVISIBLE = ("\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
              "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
              "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f")
_IGNORED = re.compile(f"[{_SPACES}{_DASHES}{_INVISIBLE}]+")
_TOKEN = re.compile(r"[0-9]{39}")
_HUMAN_CODE = re.compile(r"([A-Z]{2})([0-9]{1,6})")
MAX_CODE = 512  # longer input cannot be a badge and is not even normalised


def normalize_code(raw: str) -> str:
    """Arabic-Indic digits as ASCII, spaces, dashes and invisible marks dropped, letters a-z upper-cased."""
    return _IGNORED.sub("", raw.translate(_READ_AS))


def parse_code(raw: str) -> tuple[str, str] | None:
    """("token", 39 digits) for a badge's QR code, ("code", "OM-0042") for a typed human code, else None.

    A human code's number is written with at least four digits, as next_code() writes it (OM12345 is OM-12345).
    """
    if len(raw) > MAX_CODE:
        return None
    text = normalize_code(raw)
    if _TOKEN.fullmatch(text):
        return "token", text
    match = _HUMAN_CODE.fullmatch(text)
    if match:
        return "code", f"{match.group(1)}-{int(match.group(2)):04d}"
    return None
