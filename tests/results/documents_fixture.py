"""A fixed, hand-built stage page, panel and snapshot for the reference images
of the minutes and the certificate (tests/results/reference/): no factory
sequence, clock or hash that varies between runs, so the rendering is the same
every time and a change to the layout shows as a difference of pixels.

Set UPDATE_REFERENCE=1 to write the reference images anew, then look at them
before committing them."""

from __future__ import annotations

import datetime as dt
import io
import os
import zoneinfo
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace

import pypdfium2 as pdfium  # requirements-dev.txt: renders the PDFs
from PIL import Image, ImageChops, ImageDraw

from contest.models import Contest, Stage
from results.computing import RANK_NORMALIZED
from results.documents import Signatory

REFERENCE = Path(__file__).parent / "reference"
DPI = 100
# A pixel counts as different past this much (0-255, grey); a page may differ
# in this share of its pixels (anti-aliasing of another build of the renderer).
PIXEL_THRESHOLD = 48
MAX_DIFFERENT_SHARE = 0.002
WITA = zoneinfo.ZoneInfo("Asia/Makassar")
HEAD = "9f2c4e1a7b3d5f60" * 4
DIGEST = "4be1d7a0c93e5f28" * 4


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2023, 9, day, hour, 0, tzinfo=WITA)


def contest() -> Contest:
    return Contest(
        name="Kontes Kepala Daerah Inovatif 2023",
        slug="kkdi-2023",
        timezone="Asia/Makassar",
    )


def _result(rank, raw, normalized, spread, sheets, *, tie=False, flagged=False):
    return SimpleNamespace(
        rank=rank,
        raw_score=Decimal(raw),
        normalized_score=Decimal(normalized),
        spread=Decimal(spread),
        sheets=sheets,
        tie_unresolved=tie,
        flagged=flagged,
    )


def _row(title, region, result, advanced):
    return SimpleNamespace(
        submission=SimpleNamespace(title=title, region=SimpleNamespace(name=region)),
        result=result,
        advanced=advanced,
        excluded=[],
    )


def stage_page() -> SimpleNamespace:
    """Two categories, five entries, one of them scored 0 (a figure, not a
    dash), one not scored at all."""
    stage = Stage(
        contest=contest(),
        name="Penilaian dokumen",
        order=2,
        opens=at(4),
        closes=at(11, 17),
        disagreement_threshold=Decimal("15"),
    )
    public_service = [
        _row(
            "Saninu (E-Lapor) dan Command Center",
            "Kota Bima",
            _result(1, "84.67", "86.12", "13.00", 3),
            True,
        ),
        _row(
            "Lapor Akai Meno",
            "Kabupaten Mimika",
            _result(2, "64.67", "65.03", "13.00", 3),
            True,
        ),
        _row(
            "SAPA Banyuasin",
            "Kabupaten Banyuasin",
            _result(3, "47.04", "47.04", "20.00", 3, flagged=True),
            False,
        ),
    ]
    health = [
        _row(
            "Layad Rawat",
            "Kota Bandung",
            _result(1, "1234.50", "0.00", "0.00", 2, tie=True),
            True,
        ),
        _row("Gerakan Menuju Smart City", "Kabupaten Buleleng", None, False),
    ]
    return SimpleNamespace(
        stage=stage,
        reliability=SimpleNamespace(
            alpha=Decimal("0.812"),
            text="Good agreement: the panel's scores can be relied on.",
        ),
        per_criterion=[
            SimpleNamespace(
                criterion=SimpleNamespace(name="Kebaruan", weight=Decimal("30")),
                reliability=SimpleNamespace(alpha=Decimal("0.774")),
            ),
            SimpleNamespace(
                criterion=SimpleNamespace(name="Kemanfaatan", weight=Decimal("70")),
                reliability=SimpleNamespace(alpha=Decimal("0")),
            ),
        ],
        categories=[
            SimpleNamespace(
                category=SimpleNamespace(name="Pelayanan Publik"), rows=public_service
            ),
            SimpleNamespace(category=SimpleNamespace(name="Kesehatan"), rows=health),
        ],
        ranked_by=RANK_NORMALIZED,
        decision=SimpleNamespace(
            decided_by=SimpleNamespace(email="panitia@kkdi.example.id"),
            decided_at=at(12, 10),
            advanced=[1, 2, 4],
            places=2,
            quotas={},
            tie_decisions=[],
        ),
    )


PANEL = ["Dr. Ir. Hendra Wijaya, M.Sc.", "Prof. Siti Rahmawati", "Andi Pratama, S.T."]
MINUTES_SIGNATORIES = [
    Signatory("Dr. Ir. Hendra Wijaya, M.Sc.", "Ketua Tim Juri", "197805122003121004"),
    Signatory("Prof. Siti Rahmawati", "Anggota Tim Juri", "198103242006042002"),
    Signatory("Andi Pratama, S.T.", "Anggota Tim Juri", ""),
]
CERTIFICATE_SIGNATORY = Signatory(
    "Drs. H. Muhammad Rum, M.M.",
    "Kepala Badan Strategi Kebijakan Dalam Negeri",
    "196804121989031003",
)


def snapshot() -> dict:
    return {
        "contest": {"name": "Kontes Kepala Daerah Inovatif 2023", "slug": "kkdi-2023"},
        "published_at": "2023-09-14T10:00:00+08:00",
        "categories": [{"slug": "pelayanan-publik", "name": "Pelayanan Publik"}],
        "awards": [
            {"id": 7, "name": "Terbaik I", "category": "pelayanan-publik", "entry": 11}
        ],
    }


ENTRY = {
    "id": 11,
    "title": "Saninu (E-Lapor) dan Command Center",
    "region": {"name": "Kota Bima"},
    "final_score": "86.12",
    "band": "Sangat Inovatif",
}


def signature_png() -> bytes:
    """A drawn 'signature' on a transparent ground."""
    image = Image.new("RGBA", (400, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [
        (20, 120),
        (70, 30),
        (110, 130),
        (150, 50),
        (200, 110),
        (260, 40),
        (300, 100),
        (380, 70),
    ]
    draw.line(points, fill=(20, 40, 120, 255), width=6, joint="curve")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


# ---------------------------------------------------------------- rendering


def render_pages(content: bytes) -> list[Image.Image]:
    """Each page of the PDF as a grey image at DPI (pypdfium2: its own fonts'
    rasterizer, the same on every machine)."""
    document = pdfium.PdfDocument(content)
    try:
        return [page.render(scale=DPI / 72).to_pil().convert("L") for page in document]
    finally:
        document.close()


def pdf_text(content: bytes) -> str:
    document = pdfium.PdfDocument(content)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def different_share(image: Image.Image, reference: Image.Image) -> float:
    if image.size != reference.size:
        return 1.0
    difference = ImageChops.difference(image, reference).point(
        lambda value: 255 if value > PIXEL_THRESHOLD else 0
    )
    histogram = difference.histogram()
    return histogram[255] / (image.size[0] * image.size[1])


def assert_matches_reference(pages: list[Image.Image], name: str) -> None:
    """Compare each page with tests/results/reference/<name>-<n>.png (write them
    with UPDATE_REFERENCE=1)."""
    paths = [REFERENCE / f"{name}-{n}.png" for n in range(1, len(pages) + 1)]
    if os.environ.get("UPDATE_REFERENCE") == "1":
        REFERENCE.mkdir(exist_ok=True)
        for stale in REFERENCE.glob(f"{name}-*.png"):
            stale.unlink()
        for page, path in zip(pages, paths, strict=True):
            page.save(path, optimize=True)
        return
    stored = sorted(REFERENCE.glob(f"{name}-*.png"))
    assert len(stored) == len(pages), (
        f"{name}: {len(pages)} pages rendered, {len(stored)} in the reference"
    )
    for page, path in zip(pages, paths, strict=True):
        with Image.open(path) as reference:
            share = different_share(page, reference.convert("L"))
        assert share <= MAX_DIFFERENT_SHARE, (
            f"{path.name}: {share:.2%} of the pixels differ "
            f"(at most {MAX_DIFFERENT_SHARE:.2%}); UPDATE_REFERENCE=1 writes it anew"
        )
