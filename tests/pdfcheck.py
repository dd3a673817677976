"""A PDF check shared by the tests that write PDFs: qpdf (through pikepdf) opens it without repairing anything."""
from __future__ import annotations

import io

import pikepdf


def assert_clean_pdf(data: bytes) -> None:
    """Fail unless qpdf reads `data` with no warning, no repair and no syntax problem."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        problems = pdf.check_pdf_syntax()
        for page in pdf.pages:  # touch every page's content so that lazily parsed objects are read too
            pikepdf.parse_content_stream(page)
        warnings = pdf.get_warnings()
    assert problems == [] and warnings == [], f"qpdf: {problems + warnings}"
