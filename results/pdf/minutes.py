"""A scoring stage's minutes (berita acara), A4 portrait: the heading with the
document number, the panel, the reliability, every entry's scores, the
advancement decision, the ledger's head, and the place, date and the panel's
signatures."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from common.timefmt import contest_time
from results.computing import RANK_RAW
from results.documents import format_nip
from results.pdf.base import (
    FONT,
    GRID,
    HEADER,
    MUTED,
    PRIMARY,
    Styles,
    figure,
    para,
    styles,
    text_or_dash,
)

# The width of the text on an A4 page with 20 mm margins, in millimetres.
TEXT_WIDTH_MM = 170


def minutes_pdf(
    *,
    page,
    panel,
    ledger_head: str,
    generated_at,
    number: str = "",
    place_date: str = "",
    signatories: Sequence[Any] = (),
) -> bytes:
    """The minutes of a scoring stage from its results page figures
    (results.selectors.StagePage). `signatories` sign at the end (name, position,
    nip); the panel's judges sign when none are given."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    stage = page.stage
    contest = stage.contest
    style = styles()
    signers = list(signatories) or [
        _Signer(name=str(judge), position=_("Judge"), nip="") for judge in panel
    ]
    story: list[Any] = [
        *_heading(page, number, style),
        *_opening(page, generated_at, style),
        *_panel_section(panel, style),
        *_reliability_section(page, style),
        *_entries_section(page, panel, style),
        *_advancement_section(page, style),
        *_ledger_section(ledger_head, style),
        *_signatures(place_date, signers, style),
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=20 * mm,
        title=_("Minutes of %(stage)s") % {"stage": stage.name},
        author=contest.name,
        creator=contest.name,
        invariant=1,
    )
    footer = _footer(number)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()


class _Signer:
    def __init__(self, *, name: str, position: str, nip: str):
        self.name, self.position, self.nip = name, position, nip


def _footer(number: str):
    """The document number and the page on every page's foot."""

    def draw(canvas, doc) -> None:
        from reportlab.lib.colors import HexColor
        from reportlab.lib.units import mm

        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(HexColor(MUTED))
        canvas.setStrokeColor(HexColor(GRID))
        canvas.setLineWidth(0.4)
        canvas.line(20 * mm, 14 * mm, doc.pagesize[0] - 20 * mm, 14 * mm)
        if number:
            canvas.drawString(
                20 * mm, 10 * mm, _("Minutes no. %(number)s") % {"number": number}
            )
        canvas.drawRightString(
            doc.pagesize[0] - 20 * mm,
            10 * mm,
            _("Page %(page)d") % {"page": doc.page},
        )
        canvas.restoreState()

    return draw


def _heading(page, number: str, style: Styles) -> list[Any]:
    """BERITA ACARA, the stage and the contest, the number, a double rule."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm
    from reportlab.platypus import HRFlowable, Spacer

    stage = page.stage
    story: list[Any] = [
        para(_("MINUTES").upper(), style.title),
        para(
            _("of the %(stage)s stage") % {"stage": stage.name},
            style.subtitle,
        ),
        para(stage.contest.name, style.subtitle),
    ]
    if number:
        story.append(para(_("Number: %(number)s") % {"number": number}, style.subtitle))
    story += [
        Spacer(1, 2 * mm),
        HRFlowable(width="100%", thickness=1.6, color=HexColor(PRIMARY), spaceAfter=1),
        HRFlowable(width="100%", thickness=0.5, color=HexColor(PRIMARY), spaceAfter=0),
        Spacer(1, 4 * mm),
    ]
    return story


def _opening(page, generated_at, style: Styles) -> list[Any]:
    stage = page.stage
    contest = stage.contest
    return [
        para(
            _(
                "The scoring of this stage ran from %(opens)s to %(closes)s. These "
                "minutes record its panel, the scores, the reliability of the "
                "panel and the advancement decided; they were written on %(now)s."
            )
            % {
                "opens": contest_time(contest, stage.opens),
                "closes": contest_time(contest, stage.closes),
                "now": contest_time(contest, generated_at),
            },
            style.body,
        )
    ]


def _panel_section(panel, style: Styles) -> list[Any]:
    story = [para(_("I. The panel"), style.heading)]
    if panel:
        names = ", ".join(str(judge) for judge in panel)
        story.append(para(names if names.endswith(".") else f"{names}.", style.body))
    else:
        story.append(para(_("No judge was assigned."), style.body))
    return story


def _table_style(*extra) -> Any:
    from reportlab.lib import colors
    from reportlab.platypus import TableStyle

    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(GRID)),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(HEADER)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("FONTNAME", (0, 0), (-1, -1), FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            *extra,
        ]
    )


def _reliability_section(page, style: Styles) -> list[Any]:
    """The stage's alpha and its reading, and a table of alpha per criterion."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Table

    story: list[Any] = [
        para(_("II. Reliability of the panel"), style.heading),
        para(
            _(
                "Krippendorff's alpha (interval) of the sheet scores: %(alpha)s. "
                "%(text)s"
            )
            % {"alpha": figure(page.reliability.alpha), "text": page.reliability.text},
            style.body,
        ),
    ]
    if page.per_criterion:
        rows = [
            [
                header_cell(_("Criterion"), 120, style),
                header_cell(_("Weight"), 25, style),
                header_cell(_("Alpha"), 25, style),
            ]
        ] + [
            [
                para(row.criterion.name, style.small),
                figure(row.criterion.weight),
                figure(row.reliability.alpha),
            ]
            for row in page.per_criterion
        ]
        table = Table(rows, colWidths=[120 * mm, 25 * mm, 25 * mm], repeatRows=1)
        table.setStyle(_table_style(("ALIGN", (1, 1), (-1, -1), "RIGHT")))
        story += [_spacer(2), table]
    return story


def _spacer(height_mm: float) -> Any:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    return Spacer(1, height_mm * mm)


def _entries_section(page, panel, style: Styles) -> list[Any]:
    """How the scores read, the sheets left out, and a table per category."""
    story: list[Any] = [
        para(_("III. Entries and their scores"), style.heading),
        para(_scores_legend(page), style.small),
        *_excluded_sheets(page, panel, style),
    ]
    for group in page.categories:
        story.append(para(group.category.name, style.subheading))
        story.append(_category_table(group, style))
    return story


def _scores_legend(page) -> str:
    legend = (
        _(
            "Scores are on 0-100: raw is the mean of the judges' sheets, "
            "normalized removes each judge's leniency as far as the sheets "
            "show it; entries are ranked by raw score, median and number of "
            "sheets. = marks a tie the organizer decides; ! a spread above "
            "%(threshold)s."
        )
        if page.ranked_by == RANK_RAW
        else _(
            "Scores are on 0-100: raw is the mean of the judges' sheets, "
            "normalized removes each judge's leniency; entries are ranked by "
            "normalized, raw, median and number of sheets. = marks a tie the "
            "organizer decides; ! a spread above %(threshold)s."
        )
    )
    return legend % {"threshold": figure(page.stage.disagreement_threshold)}


def _excluded_sheets(page, panel, style: Styles) -> list[Any]:
    """The sheets taken out of the results, with the judge and the reason."""
    excluded = [
        (row.submission, sheet)
        for group in page.categories
        for row in group.rows
        for sheet in row.excluded
    ]
    if not excluded:
        return []
    story = [
        para(_("Sheets excluded from the results (counted in no figure):"), style.small)
    ]
    judges = {judge.pk: judge for judge in panel}
    for submission, sheet in excluded:
        story.append(
            para(
                _("%(entry)s, %(judge)s: %(reason)s")
                % {
                    "entry": submission.title,
                    "judge": judges.get(sheet.judge_id, sheet.judge_id),
                    "reason": text_or_dash(sheet.reason),
                },
                style.small,
            )
        )
    return story


# The entries' table: its columns and their widths in millimetres (170 in all).
ENTRY_COLUMNS_MM = (9, 42, 32, 17, 22, 16, 15, 17)


def _category_table(group, style: Styles) -> Any:
    """One category's entries: rank (= a tie, ! a spread), scores, sheets and
    whether each advanced. The headings wrap inside their cells."""
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable

    headings = [
        "#",
        _("Entry"),
        _("Region"),
        _("Raw"),
        _("Normalized"),
        _("Spread"),
        _("Sheets"),
        _("Advanced"),
    ]
    rows: list[list[Any]] = [
        [
            header_cell(h, width, style)
            for h, width in zip(headings, ENTRY_COLUMNS_MM, strict=True)
        ]
    ]
    for row in group.rows:
        result = row.result
        rows.append(
            [
                _rank_mark(result),
                para(row.submission.title, style.small),
                para(row.submission.region.name, style.small),
                figure(result and result.raw_score, 2),
                figure(result and result.normalized_score, 2),
                figure(result and result.spread, 2),
                "0" if result is None else figure(result.sheets),
                "" if row.advanced is None else (_("yes") if row.advanced else _("no")),
            ]
        )
    table = LongTable(rows, colWidths=[w * mm for w in ENTRY_COLUMNS_MM], repeatRows=1)
    table.setStyle(
        _table_style(
            ("ALIGN", (3, 1), (-2, -1), "RIGHT"),
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("ALIGN", (-1, 1), (-1, -1), "CENTER"),
        )
    )
    return table


def header_cell(text: str, width_mm: float, style: Styles) -> Any:
    """A column heading that wraps between words only: its type is made smaller
    until its longest word fits the column (whatever the language)."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    room = width_mm * mm - 2 * CELL_PADDING
    base = style.cell_head
    size = base.fontSize
    longest = max(
        text.split() or [""], key=lambda w: stringWidth(w, base.fontName, size)
    )
    while size > 5 and stringWidth(longest, base.fontName, size) > room:
        size -= 0.25
    if size == base.fontSize:
        return para(text, base)
    fitted = base.clone(f"cell_head_{size}", fontSize=size, leading=size * 1.2)
    return para(text, fitted)


# ReportLab's default left and right padding of a table cell, in points.
CELL_PADDING = 6


def _rank_mark(result) -> str:
    rank = "" if result is None or result.rank is None else str(result.rank)
    if result is not None and result.tie_unresolved:
        rank += " ="
    if result is not None and result.flagged:
        rank += " !"
    return rank


def _advancement_section(page, style: Styles) -> list[Any]:
    """Who decided the advancement and when, the quotas and each tie decided."""
    story: list[Any] = [para(_("IV. Advancement"), style.heading)]
    decision = page.decision
    if decision is None:
        story.append(
            para(_("No advancement has been decided for this stage."), style.body)
        )
        return story
    contest = page.stage.contest
    decided_by = decision.decided_by.email if decision.decided_by else "—"
    story.append(
        para(
            _(
                "Decided %(when)s by %(who)s: %(advanced)d entries advance, "
                "%(places)d per category."
            )
            % {
                "when": contest_time(contest, decision.decided_at),
                "who": decided_by,
                "advanced": len(decision.advanced),
                "places": decision.places,
            },
            style.body,
        )
    )
    if decision.quotas:
        story.append(
            para(
                _("Quotas per region type: %(quotas)s.")
                % {
                    "quotas": ", ".join(
                        f"{key} {value}" for key, value in decision.quotas.items()
                    )
                },
                style.body,
            )
        )
    for tie in decision.tie_decisions:
        story.append(
            para(
                _(
                    "Tie at rank %(rank)s for %(places)s place(s) among entries "
                    "%(tied)s: the organizer chose %(chosen)s."
                )
                % {
                    "rank": tie["rank"],
                    "places": tie["places"],
                    "tied": ", ".join(f"#{e}" for e in tie["tied"]),
                    "chosen": ", ".join(f"#{e}" for e in tie["chosen"]),
                },
                style.body,
            )
        )
    return story


def _ledger_section(ledger_head: str, style: Styles) -> list[Any]:
    return [
        para(_("V. Audit ledger"), style.heading),
        para(
            _(
                "The head hash of the audit ledger when these minutes were "
                "written; checking the ledger shows that the record up to it is "
                "unchanged:"
            ),
            style.body,
        ),
        para(ledger_head, style.mono),
    ]


def _signatures(place_date: str, signers: Sequence[Any], style: Styles) -> list[Any]:
    """The place and date, then a numbered signature line for each signatory,
    with their name, position and NIP; kept together on one page."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Table

    closing = [
        _spacer(6),
        para(
            _("Thus these minutes were made truthfully, to be used as needed."),
            style.body,
        ),
        _spacer(4),
    ]
    if place_date:
        closing.append(para(place_date, style.right))
    closing += [para(_("The panel"), style.right), _spacer(3)]
    if not signers:
        return [KeepTogether(closing)]
    rows: list[list[Any]] = [
        [
            para("No.", style.cell_head),
            para(_("Name and NIP"), style.cell_head),
            para(_("Position"), style.cell_head),
            para(_("Signature"), style.cell_head),
        ]
    ]
    for index, signer in enumerate(signers, start=1):
        nip = format_nip(signer.nip) if signer.nip else "-" * 24
        rows.append(
            [
                f"{index}.",
                [para(signer.name, style.small_bold), para(f"NIP {nip}", style.small)],
                para(signer.position or "", style.small),
                f"{index}. " + "." * 28,
            ]
        )
    # The signature lines alternate left and right, as the panel signs in turn.
    stagger = [
        ("ALIGN", (3, row), (3, row), "LEFT" if row % 2 else "RIGHT")
        for row in range(1, len(signers) + 1)
    ]
    table = Table(
        rows,
        colWidths=[10 * mm, 68 * mm, 44 * mm, 48 * mm],
        rowHeights=[None] + [14 * mm] * len(signers),
        repeatRows=1,
    )
    table.setStyle(
        _table_style(
            ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ("VALIGN", (3, 1), (3, -1), "BOTTOM"),
            ("FONTSIZE", (3, 1), (3, -1), 7.5),
            *stagger,
        )
    )
    return [KeepTogether([*closing, table])]
