"""An award's certificate (piagam), A4 landscape, read from a publication's
snapshot: the contest, the certificate's number, who receives which award, the
published score, the place and date in words and the signatory (with a scanned
signature when there is one), and the proof: the digest and where to verify it,
also as a QR code."""

from __future__ import annotations

import io
import logging
from typing import Any

from django.utils.translation import gettext as _

from results.documents import format_nip
from results.pdf.base import (
    ACCENT,
    FONT,
    FONT_BOLD,
    FONT_ITALIC,
    MUTED,
    PRIMARY,
    TEXT,
    figure,
    register_fonts,
)

logger = logging.getLogger(__name__)

MM = 72 / 25.4
# The signature block's centre, from the right edge, and the scan's largest box.
SIGNATURE_CENTRE_MM = 68
SIGNATURE_BOX_MM = (50, 22)


def certificate_pdf(
    *,
    snapshot: dict[str, Any],
    award: dict[str, Any],
    entry: dict[str, Any] | None,
    digest: str,
    verify_url: str,
    number: str = "",
    place_date: str = "",
    signatory: Any = None,
    signature: bytes | None = None,
) -> bytes:
    """One award's certificate. `signatory` (name, position, nip) signs at the
    bottom right, above its scanned `signature` (PNG or JPEG bytes) if given."""
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    register_fonts()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(
        buffer, pagesize=(width, height), pageCompression=1, invariant=1
    )
    contest = snapshot["contest"]
    pdf.setTitle(f"{award['name']} · {contest['name']}")
    pdf.setAuthor(contest["name"])
    pdf.setCreator(contest["name"])

    _frame(pdf, width, height)
    _recipient(pdf, width, height, contest, number, award, entry)
    _award(pdf, width, height, snapshot, award, entry)
    _signature_block(pdf, width, place_date, signatory, signature)
    _proof(pdf, digest, verify_url)

    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _frame(pdf, width: float, height: float) -> None:
    """The double border."""
    from reportlab.lib.colors import HexColor

    pdf.setStrokeColor(HexColor(PRIMARY))
    pdf.setLineWidth(4)
    pdf.rect(12 * MM, 12 * MM, width - 24 * MM, height - 24 * MM)
    pdf.setStrokeColor(HexColor(ACCENT))
    pdf.setLineWidth(1.5)
    pdf.rect(16 * MM, 16 * MM, width - 32 * MM, height - 32 * MM)


def _centred(pdf, x: float, y: float, text: str, font: str, size: float, room: float):
    """`text` centred at x, its size lowered until it fits `room` points."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    while size > 8 and stringWidth(text, font, size) > room:
        size -= 0.5
    pdf.setFont(font, size)
    pdf.drawCentredString(x, y, text)


def _recipient(pdf, width, height, contest, number, award, entry) -> None:
    """The contest, the title, the number and who receives the award: the
    entry's region and its innovation, or the region of a regional award."""
    from reportlab.lib.colors import HexColor

    centre, room = width / 2, width - 60 * MM
    pdf.setFillColor(HexColor(PRIMARY))
    _centred(pdf, centre, height - 32 * MM, contest["name"], FONT_BOLD, 14, room)
    _centred(
        pdf,
        centre,
        height - 47 * MM,
        _("Certificate of award").upper(),
        FONT_BOLD,
        28,
        room,
    )
    pdf.setFillColor(HexColor(MUTED))
    if number:
        _centred(
            pdf,
            centre,
            height - 55 * MM,
            _("Number: %(number)s") % {"number": number},
            FONT,
            10,
            room,
        )
    pdf.setFillColor(HexColor(TEXT))
    _centred(pdf, centre, height - 67 * MM, _("is awarded to"), FONT, 12, room)
    if entry is not None:
        recipient, detail = entry["region"]["name"], entry["title"]
    else:
        recipient, detail = (award.get("region") or {}).get("name", ""), ""
    _centred(pdf, centre, height - 80 * MM, recipient, FONT_BOLD, 24, room)
    if detail:
        _centred(
            pdf,
            centre,
            height - 90 * MM,
            _("for the innovation “%(title)s”") % {"title": detail},
            FONT_ITALIC,
            14,
            room,
        )


def _award(pdf, width, height, snapshot, award, entry) -> None:
    """The award's name, its category and the entry's published final score."""
    from reportlab.lib.colors import HexColor

    centre, room = width / 2, width - 60 * MM
    category_name = next(
        (
            c["name"]
            for c in snapshot.get("categories", [])
            if c["slug"] == award.get("category")
        ),
        "",
    )
    pdf.setFillColor(HexColor(PRIMARY))
    _centred(pdf, centre, height - 104 * MM, award["name"], FONT_BOLD, 20, room)
    pdf.setFillColor(HexColor(TEXT))
    if category_name:
        _centred(
            pdf,
            centre,
            height - 112 * MM,
            _("Category: %(category)s") % {"category": category_name},
            FONT,
            12,
            room,
        )
    if entry is not None and entry.get("final_score") is not None:
        _centred(
            pdf,
            centre,
            height - 119 * MM,
            _("Final score %(score)s · %(band)s")
            % {"score": figure(entry["final_score"], 2), "band": entry["band"]},
            FONT,
            12,
            room,
        )


def _signature_block(pdf, width, place_date, signatory, signature) -> None:
    """Bottom right: place and date, the position, the scan (fitted in its box),
    the name underlined and the NIP."""
    from reportlab.lib.colors import HexColor
    from reportlab.pdfbase.pdfmetrics import stringWidth

    centre, room = width - SIGNATURE_CENTRE_MM * MM, 90 * MM
    pdf.setFillColor(HexColor(TEXT))
    if place_date:
        _centred(pdf, centre, 70 * MM, place_date, FONT, 11, room)
    if signatory is None:
        return
    if signatory.position:
        _centred(pdf, centre, 64.5 * MM, signatory.position, FONT, 11, room)
    if signature:
        _draw_scan(pdf, centre, 38 * MM, signature)
    _centred(pdf, centre, 32 * MM, signatory.name, FONT_BOLD, 11.5, room)
    name_width = min(stringWidth(signatory.name, FONT_BOLD, 11.5), room)
    pdf.setStrokeColor(HexColor(TEXT))
    pdf.setLineWidth(0.7)
    pdf.line(centre - name_width / 2, 31 * MM, centre + name_width / 2, 31 * MM)
    if signatory.nip:
        nip = _("NIP %(nip)s") % {"nip": format_nip(signatory.nip)}
        _centred(pdf, centre, 26 * MM, nip, FONT, 10, room)


def _draw_scan(pdf, centre: float, bottom: float, signature: bytes) -> bool:
    """The scanned signature, scaled to fit its box, its transparency kept. A
    scan that cannot be decoded (a file damaged in storage, or saved before its
    pixels were checked) is left out and logged: the certificate is printed
    without it, never refused. True when it was drawn."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    try:
        with Image.open(io.BytesIO(signature)) as picture:
            picture.load()
        image = ImageReader(io.BytesIO(signature))
        pixels_w, pixels_h = image.getSize()
        box_w, box_h = SIGNATURE_BOX_MM[0] * MM, SIGNATURE_BOX_MM[1] * MM
        scale = min(box_w / pixels_w, box_h / pixels_h)
        w, h = pixels_w * scale, pixels_h * scale
        pdf.drawImage(image, centre - w / 2, bottom, w, h, mask="auto")
    except (
        OSError,
        SyntaxError,
        ValueError,
        ZeroDivisionError,
        Image.DecompressionBombError,
    ) as exc:
        logger.warning("certificate printed without its signature scan: %s", exc)
        return False
    return True


def _proof(pdf, digest: str, verify_url: str) -> None:
    """Bottom left: a QR code of where to verify, the digest beside it."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor

    size, left, bottom = 28 * MM, 24 * MM, 22 * MM
    widget = QrCodeWidget(verify_url)
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(
        size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, pdf, left, bottom)

    text_left = left + size + 4 * MM
    pdf.setFillColor(HexColor(MUTED))
    pdf.setFont(FONT, 7.5)
    pdf.drawString(text_left, bottom + 20 * MM, _("SHA-256 of the published results:"))
    pdf.setFont(FONT, 6.5)
    pdf.drawString(text_left, bottom + 16 * MM, digest[:32])
    pdf.drawString(text_left, bottom + 12.5 * MM, digest[32:])
    pdf.setFont(FONT, 7.5)
    pdf.drawString(
        text_left, bottom + 7 * MM, _("Verify at %(url)s") % {"url": verify_url}
    )
