"""The printable PDF of one entry for judges who work offline: its facts, its
texts, its links and the list of its evidence (title, criterion, file name or web
address). ReportLab is imported inside the functions, so that importing this
module costs nothing."""

from __future__ import annotations

import io
from typing import Any
from xml.sax.saxutils import escape

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from common.timefmt import contest_time

_PRIMARY = "#0b5f6b"
_GRID = "#b8c2c7"
_HEADER = "#e3f1f2"


def _styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle(
            "pack-title", parent=base["Title"], textColor=HexColor(_PRIMARY)
        ),
        "h2": ParagraphStyle(
            "pack-h2", parent=base["Heading2"], textColor=HexColor(_PRIMARY)
        ),
        "body": base["BodyText"],
        "small": ParagraphStyle("pack-small", parent=base["BodyText"], fontSize=8),
    }


def _p(text: Any, style) -> Any:
    from reportlab.platypus import Paragraph

    value = "—" if text is None or text == "" else str(text)
    return Paragraph(escape(value).replace("\n", "<br/>"), style)


def _table(rows: list[list[Any]], widths: list[float], header: bool) -> Any:
    from reportlab.lib.colors import HexColor
    from reportlab.platypus import Table, TableStyle

    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.5, HexColor(_GRID)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), HexColor(_HEADER)))
    table.setStyle(TableStyle(style))
    return table


def _facts(entry, styles) -> list[Any]:
    from reportlab.lib.units import mm

    started = entry.started_on.strftime("%d-%m-%Y") if entry.started_on else ""
    rows = [
        (_("Region"), f"{entry.region.code} · {entry.region.name}"),
        (_("Category"), entry.category.name),
        (_("Responsible agency (OPD)"), entry.agency),
        (_("Started on"), started),
    ]
    cells = [
        [_p(label, styles["body"]), _p(value, styles["body"])] for label, value in rows
    ]
    return [_table(cells, [45 * mm, 135 * mm], header=False)]


def _texts(entry, styles) -> list[Any]:
    story: list[Any] = []
    for label, text in (
        (_("Summary"), entry.summary),
        (_("Problem"), entry.problem),
        (_("Solution"), entry.solution),
        (_("Impact"), entry.impact),
    ):
        story += [_p(label, styles["h2"]), _p(text, styles["body"])]
    if entry.links:
        story.append(_p(_("Links"), styles["h2"]))
        story += [_p(link, styles["body"]) for link in entry.links]
    return story


def _evidence(evidence: list, styles) -> list[Any]:
    from reportlab.lib.units import mm

    story: list[Any] = [_p(_("Evidence"), styles["h2"])]
    if not evidence:
        return [*story, _p(_("No evidence is attached to this entry."), styles["body"])]
    rows = [
        [
            _p(_("Title"), styles["small"]),
            _p(_("Criterion"), styles["small"]),
            _p(_("File or web address"), styles["small"]),
        ]
    ]
    for item in evidence:
        if item.is_file:
            where = f"{item.original_name} ({filesizeformat(item.size)})"
        else:
            where = item.url
        criterion = item.criterion.name if item.criterion_id else ""
        rows.append(
            [
                _p(item.title, styles["small"]),
                _p(criterion, styles["small"]),
                _p(where, styles["small"]),
            ]
        )
    return [*story, _table(rows, [60 * mm, 45 * mm, 75 * mm], header=True)]


def _answers(answers: list[tuple[str, str]], styles) -> list[Any]:
    from reportlab.lib.units import mm

    if not answers:
        return []
    cells = [
        [_p(label, styles["body"]), _p(value or "-", styles["body"])]
        for label, value in answers
    ]
    return [
        _p(_("Entry form"), styles["h2"]),
        _table(cells, [70 * mm, 110 * mm], header=False),
    ]


def entry_pdf(
    *,
    entry,
    evidence: list,
    generated_at,
    answers: list[tuple[str, str]] | None = None,
) -> bytes:
    """The entry (a Submission with its contest, category and region loaded), its
    answers to the entry form ((question, answer) texts) and its evidence (with
    their criteria) as an A4 PDF."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate, Spacer

    contest = entry.contest
    styles = _styles()
    story: list[Any] = [
        _p(entry.title, styles["title"]),
        _p(contest.name, styles["body"]),
        _p(
            _("Prepared %(now)s for offline judging.")
            % {"now": contest_time(contest, generated_at)},
            styles["small"],
        ),
        Spacer(1, 4 * mm),
        *_facts(entry, styles),
        *_texts(entry, styles),
        *_answers(answers or [], styles),
        *_evidence(evidence, styles),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=entry.title,
        author=contest.name,
    )
    doc.build(story)
    return buffer.getvalue()
