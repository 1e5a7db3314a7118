"""Reading an uploaded table (CSV or XLSX) into rows of plain strings.

Pure: no ORM, no request. A file that cannot be read at all raises `TableError`
(a per-file error); a row that is malformed (a NUL byte, a cell too long, a
formula) is kept with its `error`, so the caller can report it by its line and
go on. Header names are normalized (`normalize_header`): "E-mail address " and
"email_address" are the same column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 50
MAX_CELL = 2000
# The last line a sheet may use (blank lines between rows count): a workbook's row
# numbers are its own, and `<row r="1000000000">` must not make a billion rows.
MAX_LINES = 10_000
# All the cells' text together: what waits in the session between the steps.
MAX_CHARS = 4 * 1024 * 1024
# XLSX is a zip: its inflated XML is bounded too (a "zip bomb" stays small on disk).
MAX_INFLATED_BYTES = 40 * 1024 * 1024

_FORMULA_PREFIXES = ("=", "+", "@")


class TableError(Exception):
    """The whole file cannot be read; `message` says why, for the user."""

    def __init__(self, message: Any):
        super().__init__(str(message))
        self.message = message


@dataclass
class Row:
    """One data row: its line in the file (the header is line 1), its cells by
    normalized column name, and the reason it cannot be used, if any."""

    line: int
    values: dict[str, str]
    error: str = ""
    column: str = ""


@dataclass
class Table:
    columns: list[str]
    rows: list[Row] = field(default_factory=list)


def normalize_header(name: Any) -> str:
    """Lower case, accents and punctuation dropped, words joined by `_`."""
    text = unicodedata.normalize("NFKD", str(name or ""))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")


def read_table(
    upload: IO[bytes] | bytes,
    *,
    filename: str = "",
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    max_lines: int = MAX_LINES,
    max_chars: int = MAX_CHARS,
) -> Table:
    """The table in `upload` (a file object or bytes): XLSX when the name ends in
    .xlsx or the content is a zip, else CSV. Raises TableError for a file too big,
    empty, of another kind, with more than `max_rows` data rows, a sheet going
    past line `max_lines`, or more than `max_chars` characters of text."""
    data = _read_bounded(upload, max_bytes)
    if not data.strip():
        raise TableError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx"):
        header, lines = _xlsx_lines(data, max_rows, max_lines)
    else:
        header, lines = _csv_lines(data)
    return _build(header, lines, max_rows=max_rows, max_chars=max_chars)


def _read_bounded(upload: IO[bytes] | bytes, max_bytes: int) -> bytes:
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TableError(
            _("The file is larger than %(size)d KB.") % {"size": max_bytes // 1024}
        )
    return data


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise TableError(
            _("The file is not UTF-8 text; save it as CSV UTF-8 or as XLSX.")
        ) from exc


def sniff_delimiter(first_line: str) -> str:
    """`;` when the header has more semicolons than commas (a spreadsheet saved
    in Indonesian or another decimal-comma language), else `,`."""
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _csv_lines(data: bytes) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    text = _decode(data)
    if "\x00" in text.split("\n", 1)[0]:
        raise TableError(_("The file is not a CSV or XLSX table."))
    delimiter = sniff_delimiter(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
        lines = [(reader.line_num, cells) for cells in reader]
    except csv.Error as exc:
        raise TableError(
            _("The CSV file is malformed: %(reason)s") % {"reason": exc}
        ) from exc
    return header, lines


def _xlsx_lines(
    data: bytes, max_rows: int, max_lines: int
) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise TableError(_("The file is not a readable XLSX workbook.")) from exc
    if inflated > MAX_INFLATED_BYTES:
        raise TableError(_("The workbook is too large once unpacked."))
    try:
        return _sheet_lines(data, max_rows, max_lines)
    except TableError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise TableError(_("The file is not a readable XLSX workbook.")) from exc


def _sheet_lines(
    data: bytes, max_rows: int, max_lines: int
) -> tuple[list[Any], list[tuple[int, list[Any]]]]:
    """The first sheet's lines. In read-only mode openpyxl makes an empty row for
    every row number a sheet skips, so the row NUMBER is bounded, not only the
    count of rows with data."""
    from openpyxl import load_workbook

    workbook = load_workbook(
        io.BytesIO(data), read_only=True, data_only=False, keep_links=False
    )
    try:
        sheet = workbook.worksheets[0]
        lines = []
        header: list[Any] = []
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, cells in enumerate(rows, start=1):
            if number > max_lines:
                raise TableError(
                    _("The sheet goes on past line %(count)d; split it.")
                    % {"count": max_lines}
                )
            if number == 1:
                header = list(cells)
            elif any(value not in (None, "") for value in cells):
                lines.append((number, list(cells)))
            # More rows than allowed: _build refuses the file, naming the limit.
            if len(lines) > max_rows:
                break
    finally:
        workbook.close()
    return header, lines


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value).strip()


def _build(
    header: list[Any],
    lines: list[tuple[int, list[Any]]],
    *,
    max_rows: int,
    max_chars: int = MAX_CHARS,
) -> Table:
    columns = [normalize_header(name) for name in header[:MAX_COLUMNS]]
    while columns and not columns[-1]:
        columns.pop()
    if not any(columns):
        raise TableError(_("The first line must name the columns."))
    named = [c for c in columns if c]
    if len(set(named)) != len(named):
        raise TableError(_("Two columns have the same name."))
    table = Table(columns=named)
    chars = 0
    for line, cells in lines:
        texts = [_cell_text(value) for value in cells]
        if not any(texts):
            continue
        if len(table.rows) >= max_rows:
            raise TableError(
                _("The file has more than %(count)d rows; split it.")
                % {"count": max_rows}
            )
        chars += sum(len(text) for text in texts[: len(columns)])
        if chars > max_chars:
            raise TableError(
                _("The file holds more than %(count)d characters of text; split it.")
                % {"count": max_chars}
            )
        table.rows.append(_row(line, columns, texts))
    return table


def _row(line: int, columns: list[str], texts: list[str]) -> Row:
    values = {}
    row = Row(line=line, values=values)
    for index, name in enumerate(columns):
        if not name:
            continue
        text = texts[index] if index < len(texts) else ""
        if not row.error:
            problem = _cell_problem(text)
            if problem:
                row.error, row.column = problem, name
                text = ""
        values[name] = text
    return row


def _cell_problem(text: str) -> str:
    if "\x00" in text:
        return _("contains a NUL character")
    if len(text) > MAX_CELL:
        return _("is longer than %(count)d characters") % {"count": MAX_CELL}
    if text.startswith(_FORMULA_PREFIXES):
        return _("is a formula; type the value itself")
    return ""
