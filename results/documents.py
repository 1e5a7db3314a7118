"""How the contest's official documents are numbered, placed, dated and signed:
the pure rules (numbering patterns, NIP, place and date in words) and the
contest's saved settings (results.models.ResultsDocuments) with their defaults,
as the minutes and the certificates read them (results.pdf)."""

from __future__ import annotations

import datetime as dt
import re
import string
from dataclasses import dataclass, field
from typing import Any

from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.translation import gettext as _

from common.timefmt import contest_date
from results.models import ResultsDocuments

# {number} the document's sequence (001), {stage} the stage's order, {year},
# {month} (09) and {roman_month} (IX) of its date.
NUMBER_FIELDS = ("number", "stage", "year", "month", "roman_month")
DEFAULT_MINUTES_PATTERN = "{number}/BA/TAHAP-{stage}/{roman_month}/{year}"
DEFAULT_CERTIFICATE_PATTERN = "{number}/PIAGAM/{roman_month}/{year}"
ROMAN_MONTHS = (
    "I",
    "II",
    "III",
    "IV",
    "V",
    "VI",
    "VII",
    "VIII",
    "IX",
    "X",
    "XI",
    "XII",
)
NIP_DIGITS = 18
MAX_SIGNATORIES = 12
SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MAX_PIXELS = (2400, 1200)
SIGNATURE_FORMATS = ("PNG", "JPEG")
_REGION_PREFIX = re.compile(r"^(Kota|Kabupaten|Kab\.|Provinsi)\s+", re.IGNORECASE)


def pattern_error(pattern: str) -> str | None:
    """Why `pattern` cannot number documents, or None: only the named fields, with
    no format specification, conversion or attribute."""
    try:
        parts = list(string.Formatter().parse(pattern))
    except ValueError:
        return _("Close every { with a }, or write {{ and }} for the braces.")
    names = [name for _text, name, _spec, _conv in parts if name is not None]
    for _text, name, spec, conversion in parts:
        if name is not None and (name not in NUMBER_FIELDS or spec or conversion):
            return _("Use only these fields: %(fields)s.") % {
                "fields": ", ".join("{" + f + "}" for f in NUMBER_FIELDS)
            }
    if "number" not in names:
        return _("The pattern needs {number}, so that no two documents share one.")
    return None


def document_number(
    pattern: str, *, number: int, when: dt.date, stage: int | None = None
) -> str:
    """The number of a document by `pattern`, e.g. 003/BA/TAHAP-2/IX/2023."""
    return pattern.format(
        number=f"{number:03d}",
        stage="" if stage is None else stage,
        year=when.year,
        month=f"{when.month:02d}",
        roman_month=ROMAN_MONTHS[when.month - 1],
    )


def nip_digits(value: str) -> str:
    """A NIP as its digits (spaces and dots removed); "" when empty."""
    return re.sub(r"[\s.]", "", value or "")


_NIP = re.compile(rf"[0-9]{{{NIP_DIGITS}}}")


def is_nip(digits: str) -> bool:
    """Exactly 18 ASCII digits (str.isdigit would take full-width or
    Arabic-Indic digits too)."""
    return _NIP.fullmatch(digits) is not None


def nip_error(value: str) -> str | None:
    digits = nip_digits(value)
    if digits and not is_nip(digits):
        return _("A NIP has 18 digits.")
    return None


def format_nip(value: str) -> str:
    """A NIP as it is printed: birth date, appointment, sex, sequence
    ("19780512 200312 1 004"); anything else as it is."""
    digits = nip_digits(value)
    if not is_nip(digits):
        return value
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str = ""
    nip: str = ""


@dataclass(frozen=True)
class DocumentSettings:
    """What the documents print, defaults filled in."""

    place: str
    minutes_pattern: str
    certificate_pattern: str
    minutes_signatories: list[Signatory] = field(default_factory=list)
    certificate_signatory: Signatory | None = None
    signature_name: str = ""

    def place_and_date(self, contest: Any, value: dt.datetime) -> str:
        """'Mataram, 14 September 2023' (in the contest's zone and the active
        language); only the date when no place is known."""
        date = contest_date(contest, value)
        return f"{self.place}, {date}" if self.place else date

    def signature_image(self) -> bytes | None:
        """The scanned signature's bytes, or None (none saved, or its file gone)."""
        if not self.signature_name:
            return None
        try:
            with default_storage.open(self.signature_name, "rb") as handle:
                return handle.read()
        except (FileNotFoundError, OSError):
            return None


def default_place(contest: Any) -> str:
    """The host region's name without its kind: "Kota Bima" signs in "Bima"."""
    region = getattr(contest, "host_region", None)
    return _REGION_PREFIX.sub("", region.name) if region is not None else ""


def signatories_from(rows: Any) -> list[Signatory]:
    return [
        Signatory(
            name=str(row.get("name", "")),
            position=str(row.get("position", "")),
            nip=str(row.get("nip", "")),
        )
        for row in rows or []
        if isinstance(row, dict) and row.get("name")
    ]


def document_settings(contest: Any) -> DocumentSettings:
    """The contest's saved document settings, or the defaults."""
    saved = ResultsDocuments.objects.filter(contest=contest).first()
    if saved is None:
        return DocumentSettings(
            place=default_place(contest),
            minutes_pattern=DEFAULT_MINUTES_PATTERN,
            certificate_pattern=DEFAULT_CERTIFICATE_PATTERN,
        )
    signatory = None
    if saved.certificate_signatory_name:
        signatory = Signatory(
            name=saved.certificate_signatory_name,
            position=saved.certificate_signatory_position,
            nip=saved.certificate_signatory_nip,
        )
    return DocumentSettings(
        place=saved.place or default_place(contest),
        minutes_pattern=saved.minutes_number_pattern or DEFAULT_MINUTES_PATTERN,
        certificate_pattern=saved.certificate_number_pattern
        or DEFAULT_CERTIFICATE_PATTERN,
        minutes_signatories=signatories_from(saved.minutes_signatories),
        certificate_signatory=signatory,
        signature_name=saved.certificate_signature.name or "",
    )


@dataclass(frozen=True)
class CertificateDocument:
    """What a certificate prints beside the snapshot: its number, the place and
    date, the signatory and the scan of their signature."""

    number: str
    place_date: str
    signatory: Signatory | None
    signature: bytes | None


def certificate_document(
    contest: Any, snapshot: dict[str, Any], award: dict[str, Any]
) -> CertificateDocument:
    """The certificate of `award` (one of the snapshot's awards): numbered by its
    place in the published list of awards, dated the day of the publication."""
    settings = document_settings(contest)
    try:
        published = dt.datetime.fromisoformat(str(snapshot.get("published_at")))
    except ValueError:
        published = timezone.now()
    if timezone.is_naive(published):
        published = timezone.make_aware(published, contest.tzinfo)
    local = published.astimezone(contest.tzinfo)
    ids = [a.get("id") for a in snapshot.get("awards", [])]
    sequence = ids.index(award.get("id")) + 1 if award.get("id") in ids else 1
    return CertificateDocument(
        number=document_number(
            settings.certificate_pattern, number=sequence, when=local.date()
        ),
        place_date=settings.place_and_date(contest, published),
        signatory=settings.certificate_signatory,
        signature=settings.signature_image(),
    )
