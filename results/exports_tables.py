"""The organizers' working exports before publication, as CSV or XLSX: the entries
with their screening state, a scoring stage's score sheets criterion by
criterion, its assignment, and the progress of each judge.

Each table is read in a fixed number of queries whatever the contest's size. The
CSV follows the active language, as the pages do: Indonesian separates the
columns with `;` and writes decimals with a comma (12,50), English with `,` and a
point (12.50); the XLSX stores numbers as numeric cells (two places shown) and
times in the contest's zone. A zero is written 0, an empty cell means no value.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from common.numbers import SEPARATORS, format_number
from contest.models import Contest, Stage
from judging.enums import SheetState
from judging.models import Score
from judging.selectors import criteria_of, progress_by_judge
from judging.selectors.sheets import prepared_rubric_of, score_of_values
from results.exports import _safe
from submissions.answers import answer_text
from submissions.models import Submission


@dataclass
class ExportTable:
    """One sheet of an export: its name, header and rows of plain values (str,
    int, Decimal, datetime or None)."""

    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)


def _when(value: dt.datetime | None, contest: Contest) -> dt.datetime | None:
    if value is None:
        return None
    return timezone.localtime(value, contest.tzinfo).replace(tzinfo=None)


def _answer_cells(entry: Submission, questions: list) -> list[str]:
    """The entry's answers, one cell per question of the entry form (a file by
    its name; empty for a question not asked of the entry's category)."""
    if not questions:
        return []
    stored = {a.question_id: a for a in entry.answers.all()}
    cells = []
    for question in questions:
        answer = stored.get(question.pk)
        if answer is None:
            cells.append("")
        elif answer.file:
            cells.append(answer.original_name)
        else:
            cells.append(answer_text(question, answer.value))
    return cells


def entries_table(contest: Contest) -> ExportTable:
    """Every entry of the contest with its state, screening and answers to the
    entry form (two queries, three with an entry form)."""
    questions = list(contest.questions.order_by("order", "pk"))
    entries = (
        Submission.objects.filter(contest=contest)
        .select_related("category", "region", "screened_by")
        .order_by("category__order", "category__name", "region__code", "pk")
    )
    if questions:
        entries = entries.prefetch_related("answers")
    table = ExportTable(
        title=_("Entries"),
        header=[
            _("Entry ID"),
            _("Category"),
            _("Region code"),
            _("Region"),
            _("Title"),
            _("Agency"),
            _("State"),
            _("Submitted"),
            _("Receipt number"),
            _("Screened"),
            _("Screened by"),
            _("Screening reason"),
            *(q.label for q in questions),
        ],
    )
    for entry in entries:
        table.rows.append(
            [
                entry.pk,
                entry.category.name,
                entry.region.code,
                entry.region.name,
                entry.title,
                entry.agency,
                entry.get_state_display(),
                _when(entry.submitted_at, contest),
                entry.receipt_number,
                _when(entry.screened_at, contest),
                entry.screened_by.email if entry.screened_by else "",
                entry.screening_reason,
                *_answer_cells(entry, questions),
            ]
        )
    return table


def _assignments(stage: Stage):
    return (
        stage.assignments.with_conflict_flag()
        .select_related(
            "judge__user", "submission__region", "submission__category", "sheet"
        )
        .order_by("submission__category__order", "submission__region__code", "pk")
    )


def _sheet_of(assignment):
    return getattr(assignment, "sheet", None)


def _sheet_state(sheet) -> str:
    if sheet is None:
        return _("Not started")
    return str(SheetState(sheet.state).label)


def sheets_table(stage: Stage) -> ExportTable:
    """One row per started score sheet of the stage, a column per criterion, and
    the sheet's 0-100 score when complete (three queries)."""
    contest = stage.contest
    criteria = list(criteria_of(stage))
    rubric = prepared_rubric_of(criteria)
    values: dict[int, dict[int, Decimal | None]] = defaultdict(dict)
    for sheet_id, criterion_id, value in Score.objects.filter(
        sheet__assignment__stage=stage
    ).values_list("sheet_id", "criterion_id", "value"):
        values[sheet_id][criterion_id] = value
    table = ExportTable(
        title=_("Score sheets"),
        header=[
            _("Entry ID"),
            _("Title"),
            _("Region"),
            _("Category"),
            _("Judge"),
            _("Judge's e-mail"),
            _("Sheet state"),
            _("Submitted"),
            _("Excluded"),
            *[c.name for c in criteria],
            _("Score (0-100)"),
        ],
    )
    for assignment in _assignments(stage):
        sheet = _sheet_of(assignment)
        if sheet is None:
            continue
        own = values.get(sheet.pk, {})
        table.rows.append(
            [
                assignment.submission_id,
                assignment.submission.title,
                assignment.submission.region.name,
                assignment.submission.category.name,
                str(assignment.judge),
                assignment.judge.user.email,
                _sheet_state(sheet),
                _when(sheet.submitted_at, contest),
                _("yes") if sheet.excluded_at else "",
                *[own.get(c.pk) for c in criteria],
                score_of_values(own, rubric),
            ]
        )
    return table


def assignment_table(stage: Stage) -> ExportTable:
    """Every assignment of the stage with its sheet's state (one query)."""
    table = ExportTable(
        title=_("Assignment"),
        header=[
            _("Assignment ID"),
            _("Entry ID"),
            _("Title"),
            _("Region code"),
            _("Region"),
            _("Category"),
            _("Judge"),
            _("Judge's e-mail"),
            _("Assigned"),
            _("Sheet state"),
            _("Conflict of interest"),
        ],
    )
    for assignment in _assignments(stage):
        table.rows.append(
            [
                assignment.pk,
                assignment.submission_id,
                assignment.submission.title,
                assignment.submission.region.code,
                assignment.submission.region.name,
                assignment.submission.category.name,
                str(assignment.judge),
                assignment.judge.user.email,
                _when(assignment.created_at, stage.contest),
                _sheet_state(_sheet_of(assignment)),
                _("yes") if assignment.conflicted else "",
            ]
        )
    return table


def progress_table(stage: Stage) -> ExportTable:
    """Every judge of the contest with their sheets in the stage, by state."""
    table = ExportTable(
        title=_("Progress"),
        header=[
            _("Judge"),
            _("Judge's e-mail"),
            _("Assigned"),
            _("Not started"),
            _("Draft"),
            _("Submitted"),
            _("Still to submit"),
        ],
    )
    for row in progress_by_judge(stage):
        table.rows.append(
            [
                row.label,
                row.obj.user.email,
                row.total,
                row.not_started,
                row.draft,
                row.submitted,
                row.late,
            ]
        )
    return table


@dataclass(frozen=True)
class ExportKind:
    slug: str
    label: Callable[[], str]
    build: Callable[..., ExportTable]
    per_stage: bool


KINDS: dict[str, ExportKind] = {
    kind.slug: kind
    for kind in (
        ExportKind("entries", lambda: _("Entries and screening"), entries_table, False),
        ExportKind(
            "sheets", lambda: _("Score sheets per criterion"), sheets_table, True
        ),
        ExportKind("assignment", lambda: _("Assignment"), assignment_table, True),
        ExportKind("progress", lambda: _("Progress per judge"), progress_table, True),
    )
}
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def build_table(kind: str, *, contest: Contest, stage: Stage | None) -> ExportTable:
    spec = KINDS[kind]
    return spec.build(stage) if spec.per_stage else spec.build(contest)


# ---------- writing ----------


def csv_text(value: Any) -> str:
    """A cell as the active language writes it (common.numbers): decimals with two
    places and the language's separators, integers as they are, times as
    "2023-05-31 23:59"; no value is an empty cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else ""
    if isinstance(value, Decimal | float):
        return format_number(value, 2)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return str(_safe(value))


def csv_delimiter() -> str:
    """`;` where the decimal separator is a comma (Indonesian), else `,`."""
    language = (get_language() or "id").split("-")[0]
    decimal_separator = SEPARATORS.get(language, SEPARATORS["en"])[0]
    return ";" if decimal_separator == "," else ","


def to_csv(table: ExportTable) -> bytes:
    """UTF-8 with a BOM, so spreadsheets read the accents right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=csv_delimiter())
    writer.writerow([_safe(name) for name in table.header])
    for row in table.rows:
        writer.writerow([csv_text(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _xlsx_value(value: Any) -> Any:
    """A cell as openpyxl may write it: text without the control characters XML
    cannot hold (a title may have one; openpyxl would refuse the whole workbook)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or isinstance(value, int | Decimal | float | dt.datetime):
        return value
    return _safe(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def to_xlsx(table: ExportTable) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.title[:31]
    sheet.append([_xlsx_value(name) for name in table.header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([_xlsx_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal | float):
                cell.number_format = "0.00"
            elif isinstance(cell.value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
    sheet.freeze_panes = "A2"
    for index, name in enumerate(table.header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(
            max(12, len(name) + 2), 48
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_export(table: ExportTable, fmt: str) -> bytes:
    return to_xlsx(table) if fmt == "xlsx" else to_csv(table)


def export_filename(kind: str, fmt: str, *, contest: Contest, stage: Stage | None):
    stage_part = f"-tahap-{stage.order}" if stage is not None else ""
    return f"{contest.slug}-{kind}{stage_part}.{fmt}"
