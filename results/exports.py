"""CSV and XLSX exports of a publication, read from its snapshot only."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

# A cell starting with one of these would be read as a formula by a spreadsheet.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _xlsx_safe(value: Any) -> Any:
    """`_safe`, and text without the control characters XML cannot hold (openpyxl
    would refuse the whole workbook for one)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return _safe(value)


def _header(stages: list[dict[str, Any]]) -> list[str]:
    columns = [
        _("Entry ID"),
        _("Category"),
        _("Region code"),
        _("Region"),
        _("Region type"),
        _("Title"),
        _("Agency"),
    ]
    for stage in stages:
        columns += [
            _("%(stage)s: raw score") % {"stage": stage["name"]},
            _("%(stage)s: normalized score") % {"stage": stage["name"]},
            _("%(stage)s: rank") % {"stage": stage["name"]},
        ]
    columns += [_("Final score"), _("Final rank"), _("Tie"), _("Band"), _("Awards")]
    # A stage's name is the organizers' text: a header cell is defused like data.
    return [_safe(column) for column in columns]


_FIXED_COLUMNS = 7


def score_columns(snapshot: dict[str, Any]) -> set[int]:
    """The 0-based indexes of the score columns of `table` (raw, normalized, final)."""
    stage_count = len(snapshot.get("stages", []))
    columns = set()
    for index in range(stage_count):
        start = _FIXED_COLUMNS + 3 * index
        columns |= {start, start + 1}
    columns.add(_FIXED_COLUMNS + 3 * stage_count)
    return columns


def table(snapshot: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    """The header and one row per published entry; scores stay decimal strings."""
    stages = snapshot.get("stages", [])
    categories = {c["slug"]: c["name"] for c in snapshot.get("categories", [])}
    rows = []
    for entry in snapshot.get("entries", []):
        per_stage = {row["stage"]: row for row in entry["stages"]}
        row: list[Any] = [
            entry["id"],
            categories.get(entry["category"], entry["category"]),
            entry["region"]["code"],
            entry["region"]["name"],
            entry["region"]["type"],
            entry["title"],
            entry.get("agency", ""),
        ]
        for stage in stages:
            figures = per_stage.get(stage["id"]) or {}
            row += [
                figures.get("raw_score"),
                figures.get("normalized_score"),
                figures.get("rank"),
            ]
        row += [
            entry["final_score"],
            entry["final_rank"],
            _("yes") if entry["tie_unresolved"] else "",
            entry["band"],
            "; ".join(entry.get("awards", [])),
        ]
        rows.append(row)
    return _header(stages), rows


def csv_bytes(snapshot: dict[str, Any], digest: str) -> bytes:
    """UTF-8 CSV with a BOM (spreadsheets then read the accents right); the last
    line gives the digest of the publication."""
    header, rows = table(snapshot)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else _safe(v) for v in row])
    writer.writerow([])
    writer.writerow([_("SHA-256 of the published results"), digest])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(snapshot: dict[str, Any], digest: str) -> bytes:
    """A workbook: the results (scores as numbers with two places) and a sheet
    about the publication (contest, kind, date, digest)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    header, rows = table(snapshot)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Results")[:31]
    sheet.append([_xlsx_safe(name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    numbers = score_columns(snapshot)
    for row in rows:
        values = []
        for index, value in enumerate(row):
            if index in numbers and isinstance(value, str):
                values.append(Decimal(value))
            else:
                values.append(_xlsx_safe(value))
        sheet.append(values)
    for index in sorted(numbers):
        letter = get_column_letter(index + 1)
        for cell in sheet[letter][1:]:
            cell.number_format = "0.00"
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(12, len(name) + 2), 48
        )

    about = workbook.create_sheet(_("Publication")[:31])
    contest = snapshot.get("contest", {})
    for label, value in [
        (_("Contest"), contest.get("name", "")),
        (_("Kind"), snapshot.get("kind", "")),
        (_("Published"), snapshot.get("published_at", "")),
        (_("SHA-256 of the published results"), digest),
    ]:
        about.append([label, _xlsx_safe(value)])
    about.column_dimensions["A"].width = 36
    about.column_dimensions["B"].width = 70

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
