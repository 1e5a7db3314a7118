"""PDF documents of the results: award certificates (read from a publication's
snapshot) and a stage's minutes (berita acara). ReportLab is imported inside the
functions, so that importing this module costs nothing."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _

from common.timefmt import contest_time
from results.computing import RANK_RAW

# The colours of the documents.
_PRIMARY = "#0b5f6b"
_ACCENT = "#f2a900"
_TEXT = "#17212b"
_MUTED = "#4a5763"
_GRID = "#b8c2c7"
_HEADER = "#e3f1f2"


def _p(text: Any, style) -> Any:
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text if text is not None else "")), style)


def _dash(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def certificate_pdf(
    *,
    snapshot: dict[str, Any],
    award: dict[str, Any],
    entry: dict[str, Any] | None,
    digest: str,
    verify_url: str,
) -> bytes:
    """One award's certificate: the contest, the award, who won it, the published
    figures, the digest of the publication and where to verify it (also as a QR
    code)."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
    contest = snapshot["contest"]
    pdf.setTitle(f"{award['name']} · {contest['name']}")
    pdf.setAuthor(contest["name"])

    _certificate_frame(pdf, width, height)
    _certificate_recipient(pdf, width / 2, height, contest, award, entry)
    _certificate_award(pdf, width / 2, height, snapshot, award, entry)
    _certificate_proof(pdf, width, snapshot, digest, verify_url)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _certificate_frame(pdf, width: float, height: float) -> None:
    """The double border."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm

    pdf.setStrokeColor(HexColor(_PRIMARY))
    pdf.setLineWidth(4)
    pdf.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
    pdf.setStrokeColor(HexColor(_ACCENT))
    pdf.setLineWidth(1.5)
    pdf.rect(16 * mm, 16 * mm, width - 32 * mm, height - 32 * mm)


def _certificate_recipient(
    pdf,
    center: float,
    height: float,
    contest: dict[str, Any],
    award: dict[str, Any],
    entry: dict[str, Any] | None,
) -> None:
    """The contest, the title and who receives the award: the entry's region and
    its innovation, or the region of a regional award."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm

    pdf.setFillColor(HexColor(_PRIMARY))
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawCentredString(center, height - 38 * mm, contest["name"])
    pdf.setFont("Helvetica-Bold", 30)
    pdf.drawCentredString(center, height - 56 * mm, _("Certificate of award"))
    pdf.setFillColor(HexColor(_TEXT))
    pdf.setFont("Helvetica", 13)
    pdf.drawCentredString(center, height - 70 * mm, _("is awarded to"))

    if entry is not None:
        recipient = entry["region"]["name"]
        detail = entry["title"]
    else:
        region = award.get("region") or {}
        recipient = region.get("name", "")
        detail = ""
    pdf.setFont("Helvetica-Bold", 24)
    pdf.drawCentredString(center, height - 86 * mm, recipient)
    if detail:
        pdf.setFont("Helvetica-Oblique", 15)
        pdf.drawCentredString(
            center,
            height - 97 * mm,
            _("for the innovation “%(title)s”") % {"title": detail},
        )


def _certificate_award(
    pdf,
    center: float,
    height: float,
    snapshot: dict[str, Any],
    award: dict[str, Any],
    entry: dict[str, Any] | None,
) -> None:
    """The award's name, its category and the entry's published final score."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm

    category_name = ""
    for category in snapshot.get("categories", []):
        if category["slug"] == award.get("category"):
            category_name = category["name"]
    pdf.setFillColor(HexColor(_PRIMARY))
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawCentredString(center, height - 115 * mm, award["name"])
    pdf.setFillColor(HexColor(_TEXT))
    pdf.setFont("Helvetica", 13)
    if category_name:
        pdf.drawCentredString(
            center,
            height - 124 * mm,
            _("Category: %(category)s") % {"category": category_name},
        )
    if entry is not None and entry.get("final_score") is not None:
        pdf.drawCentredString(
            center,
            height - 132 * mm,
            _("Final score %(score)s · %(band)s")
            % {"score": entry["final_score"], "band": entry["band"]},
        )


def _certificate_proof(
    pdf, width: float, snapshot: dict[str, Any], digest: str, verify_url: str
) -> None:
    """When the results were published, their digest and where to verify it, also
    as a QR code."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.lib.units import mm

    pdf.setFont("Helvetica", 9)
    pdf.setFillColor(HexColor(_MUTED))
    left = 24 * mm
    pdf.drawString(
        left,
        36 * mm,
        _("Published %(date)s") % {"date": snapshot.get("published_at", "")},
    )
    pdf.drawString(
        left, 30 * mm, _("SHA-256 of the published results: %(d)s") % {"d": digest}
    )
    pdf.drawString(left, 24 * mm, _("Verify at %(url)s") % {"url": verify_url})

    widget = QrCodeWidget(verify_url)
    x1, y1, x2, y2 = widget.getBounds()
    size = 30 * mm
    drawing = Drawing(
        size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, width - 24 * mm - size, 20 * mm)


# ---------------------------------------------------------------- the minutes


@dataclass(frozen=True)
class _Styles:
    """The paragraph styles of the minutes."""

    title: Any
    heading2: Any
    heading3: Any
    body: Any
    small: Any
    mono: Any


def _minutes_styles() -> _Styles:
    from reportlab.lib.styles import getSampleStyleSheet

    styles = getSampleStyleSheet()
    return _Styles(
        title=styles["Title"],
        heading2=styles["Heading2"],
        heading3=styles["Heading3"],
        body=styles["BodyText"],
        small=styles["BodyText"].clone("small", fontSize=8, leading=10),
        mono=styles["Code"].clone("mono", fontSize=7.5, leading=9),
    )


def minutes_pdf(*, page, panel, ledger_head: str, generated_at) -> bytes:
    """The minutes of a scoring stage from its results page figures
    (results.selectors.StagePage): the panel, every entry's scores, the reliability,
    the advancement decision and the ledger's head hash."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    stage = page.stage
    contest = stage.contest
    styles = _minutes_styles()
    story: list[Any] = [
        *_minutes_header(page, generated_at, styles),
        *_panel_section(panel, styles),
        *_reliability_section(page, styles),
        *_entries_section(page, panel, styles),
        *_advancement_section(page, styles),
        *_ledger_section(ledger_head, styles),
    ]

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=_("Minutes of %(stage)s") % {"stage": stage.name},
        author=contest.name,
    )
    doc.build(story)
    return buffer.getvalue()


def _minutes_header(page, generated_at, styles: _Styles) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    stage = page.stage
    contest = stage.contest
    return [
        Paragraph(
            escape(_("Minutes of %(stage)s") % {"stage": stage.name}), styles.title
        ),
        _p(contest.name, styles.heading3),
        _p(
            _("Scoring from %(opens)s to %(closes)s. Generated %(now)s.")
            % {
                "opens": contest_time(contest, stage.opens),
                "closes": contest_time(contest, stage.closes),
                "now": contest_time(contest, generated_at),
            },
            styles.body,
        ),
        Spacer(1, 4 * mm),
    ]


def _panel_section(panel, styles: _Styles) -> list[Any]:
    story = [_p(_("The panel"), styles.heading2)]
    if panel:
        story.append(_p(", ".join(str(judge) for judge in panel), styles.body))
    else:
        story.append(_p(_("No judge was assigned."), styles.body))
    return story


def _reliability_section(page, styles: _Styles) -> list[Any]:
    """The stage's alpha and its reading, and a table of alpha per criterion."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    story: list[Any] = [
        Spacer(1, 3 * mm),
        _p(_("Reliability"), styles.heading2),
        _p(
            _(
                "Krippendorff's alpha (interval) of the sheet scores: %(alpha)s. "
                "%(text)s"
            )
            % {"alpha": _dash(page.reliability.alpha), "text": page.reliability.text},
            styles.body,
        ),
    ]
    if page.per_criterion:
        rows = [[_("Criterion"), _("Weight"), _("Alpha")]] + [
            [
                _p(row.criterion.name, styles.small),
                str(row.criterion.weight),
                _dash(row.reliability.alpha),
            ]
            for row in page.per_criterion
        ]
        table = Table(rows, colWidths=[110 * mm, 25 * mm, 25 * mm], repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(_GRID)),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_HEADER)),
                    ("FONTSIZE", (0, 0), (-1, -1), 8),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ]
            )
        )
        story.append(table)
    return story


def _entries_section(page, panel, styles: _Styles) -> list[Any]:
    """How the scores read, the sheets left out, and a table per category."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    story: list[Any] = [
        Spacer(1, 3 * mm),
        _p(_("Entries and their scores"), styles.heading2),
        _p(_scores_legend(page), styles.small),
        *_excluded_sheets(page, panel, styles),
    ]
    for group in page.categories:
        story.append(_p(group.category.name, styles.heading3))
        story.append(_category_table(group, styles))
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
    return legend % {"threshold": page.stage.disagreement_threshold}


def _excluded_sheets(page, panel, styles: _Styles) -> list[Any]:
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
        _p(_("Sheets excluded from the results (counted in no figure):"), styles.small)
    ]
    judges = {judge.pk: judge for judge in panel}
    for submission, sheet in excluded:
        story.append(
            _p(
                _("%(entry)s, %(judge)s: %(reason)s")
                % {
                    "entry": submission.title,
                    "judge": judges.get(sheet.judge_id, sheet.judge_id),
                    "reason": sheet.reason or "—",
                },
                styles.small,
            )
        )
    return story


def _category_table(group, styles: _Styles) -> Any:
    """One category's entries: rank (= a tie, ! a spread), scores, sheets and
    whether each advanced."""
    from reportlab.lib import colors
    from reportlab.lib.units import mm
    from reportlab.platypus import LongTable, TableStyle

    rows = [
        [
            "#",
            _("Entry"),
            _("Region"),
            _("Raw"),
            _("Normalized"),
            _("Spread"),
            _("Sheets"),
            _("Advanced"),
        ]
    ]
    for row in group.rows:
        result = row.result
        rows.append(
            [
                _rank_mark(result),
                _p(row.submission.title, styles.small),
                _p(row.submission.region.name, styles.small),
                _dash(result and result.raw_score),
                _dash(result and result.normalized_score),
                _dash(result and result.spread),
                "0" if result is None else str(result.sheets),
                "" if row.advanced is None else (_("yes") if row.advanced else _("no")),
            ]
        )
    table = LongTable(
        rows,
        colWidths=[
            12 * mm,
            52 * mm,
            34 * mm,
            16 * mm,
            20 * mm,
            16 * mm,
            14 * mm,
            16 * mm,
        ],
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor(_GRID)),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(_HEADER)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTSIZE", (0, 0), (-1, -1), 8),
                ("ALIGN", (3, 1), (-1, -1), "RIGHT"),
            ]
        )
    )
    return table


def _rank_mark(result) -> str:
    rank = "" if result is None or result.rank is None else str(result.rank)
    if result is not None and result.tie_unresolved:
        rank += " ="
    if result is not None and result.flagged:
        rank += " !"
    return rank


def _advancement_section(page, styles: _Styles) -> list[Any]:
    """Who decided the advancement and when, the quotas and each tie decided."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    story: list[Any] = [Spacer(1, 3 * mm), _p(_("Advancement"), styles.heading2)]
    decision = page.decision
    if decision is None:
        story.append(
            _p(_("No advancement has been decided for this stage."), styles.body)
        )
        return story
    contest = page.stage.contest
    decided_by = decision.decided_by.email if decision.decided_by else "—"
    story.append(
        _p(
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
            styles.body,
        )
    )
    if decision.quotas:
        story.append(
            _p(
                _("Quotas per region type: %(quotas)s.")
                % {
                    "quotas": ", ".join(
                        f"{key} {value}" for key, value in decision.quotas.items()
                    )
                },
                styles.body,
            )
        )
    for tie in decision.tie_decisions:
        story.append(
            _p(
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
                styles.body,
            )
        )
    return story


def _ledger_section(ledger_head: str, styles: _Styles) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    return [
        Spacer(1, 4 * mm),
        _p(_("Audit ledger"), styles.heading2),
        _p(
            _(
                "Head hash of the audit ledger when these minutes were generated "
                "(python manage.py verify_ledger checks the chain up to it):"
            ),
            styles.body,
        ),
        _p(ledger_head, styles.mono),
    ]
