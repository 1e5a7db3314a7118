"""What the results' PDFs share: embedded fonts (so that every reader and
renderer draws the same glyphs), colours, paragraph styles, numbers for the
active language and the signature block. ReportLab is imported inside the
functions, so that importing this module costs nothing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from common.numbers import MISSING, format_number

PRIMARY = "#0b5f6b"
ACCENT = "#f2a900"
TEXT = "#17212b"
MUTED = "#4a5763"
GRID = "#8a969c"
HEADER = "#e3f1f2"

# Bitstream Vera, shipped with ReportLab, embedded in every document.
FONT = "Vera"
FONT_BOLD = "Vera-Bold"
FONT_ITALIC = "Vera-Italic"
FONT_BOLD_ITALIC = "Vera-BoldItalic"
_FILES = {
    FONT: "Vera.ttf",
    FONT_BOLD: "VeraBd.ttf",
    FONT_ITALIC: "VeraIt.ttf",
    FONT_BOLD_ITALIC: "VeraBI.ttf",
}


def register_fonts() -> None:
    """Register the embedded fonts once per process."""
    import reportlab
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = os.path.join(os.path.dirname(reportlab.__file__), "fonts")
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT_ITALIC)
    addMapping(FONT, 1, 1, FONT_BOLD_ITALIC)


def para(text: Any, style) -> Any:
    """A paragraph of plain text (escaped)."""
    from reportlab.platypus import Paragraph

    return Paragraph(escape(str(text if text is not None else "")), style)


def figure(value: Any, places: int | None = None) -> str:
    """A figure for the active language; a zero stays a figure ("0,00")."""
    return format_number(value, places)


def text_or_dash(value: Any) -> str:
    return MISSING if value is None or value == "" else str(value)


@dataclass(frozen=True)
class Styles:
    title: Any
    subtitle: Any
    heading: Any
    subheading: Any
    body: Any
    small: Any
    small_bold: Any
    cell_head: Any
    mono: Any
    right: Any
    centred: Any


def styles() -> Styles:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle

    register_fonts()
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=9.5, leading=13, textColor=HexColor(TEXT)
    )
    return Styles(
        title=ParagraphStyle(
            "title",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=15,
            leading=19,
            alignment=TA_CENTER,
            spaceAfter=2,
        ),
        subtitle=ParagraphStyle(
            "subtitle", parent=body, fontSize=10.5, leading=14, alignment=TA_CENTER
        ),
        heading=ParagraphStyle(
            "heading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=8,
            spaceAfter=4,
            textColor=HexColor(PRIMARY),
        ),
        subheading=ParagraphStyle(
            "subheading",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=9.5,
            leading=12,
            spaceBefore=6,
            spaceAfter=3,
        ),
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        small_bold=ParagraphStyle(
            "small_bold", parent=body, fontName=FONT_BOLD, fontSize=8, leading=10
        ),
        cell_head=ParagraphStyle(
            "cell_head",
            parent=body,
            fontName=FONT_BOLD,
            fontSize=7.5,
            leading=9,
            alignment=TA_CENTER,
        ),
        mono=ParagraphStyle(
            "mono", parent=body, fontSize=7.5, leading=9, wordWrap="CJK"
        ),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        centred=ParagraphStyle("centred", parent=body, alignment=TA_CENTER),
    )
