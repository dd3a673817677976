"""Safe spreadsheet cells and streamed CSV/XLSX downloads, used by every export."""
from __future__ import annotations

import csv
import io
import tempfile
from datetime import datetime, tzinfo
from typing import Iterable, Iterator, Sequence

from flask import Response, send_file, stream_with_context
from openpyxl import Workbook

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def local_stamp(moment: datetime | None, zone: tzinfo, seconds: bool = False) -> str:
    """A moment as an export cell: the venue's local time, sortable (2027-05-23 09:30), "" when there is none."""
    if moment is None:
        return ""
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M:%S}" if seconds else f"{moment.astimezone(zone):%Y-%m-%d %H:%M}"


def safe_cell(value) -> object:
    """Neutralise text that a spreadsheet would run as a formula; other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _csv_lines(header: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8 (and so Arabic) correctly
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell("" if value is None else value) for value in row])
        yield buffer.getvalue()


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Stream rows as a UTF-8 CSV download, one line at a time."""
    return Response(
        stream_with_context(_csv_lines(header, rows)),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Sequence]) -> Response:
    """Write rows with openpyxl's write-only mode (rows go to disk, not memory) and send the file."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(list(header))
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    spool = tempfile.TemporaryFile()
    workbook.save(spool)
    spool.seek(0)
    return send_file(spool, as_attachment=True, download_name=filename,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
