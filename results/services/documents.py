"""The contest's official documents settings: numbering, place and signatories of
the minutes and the certificates (results.documents reads them)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen, require_organizer
from contest import ledger
from contest.models import Contest
from results import documents
from results.models import ResultsDocuments
from results.services.guards import _lock

User = get_user_model()
logger = logging.getLogger(__name__)

_LIMITS = {
    "place": 80,
    "name": 120,
    "position": 160,
    "pattern": 120,
}


def _text(value: Any, *, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise DomainError(_("Enter text."), field=field)
    value = value.strip()
    if "\x00" in value:
        raise DomainError(_("Enter text."), field=field)
    if len(value) > limit:
        raise DomainError(
            _("%(limit)d characters at most.") % {"limit": limit}, field=field
        )
    return value


def _pattern(value: Any, *, field: str) -> str:
    pattern = _text(value, field=field, limit=_LIMITS["pattern"])
    error = pattern and documents.pattern_error(pattern)
    if error:
        raise DomainError(error, field=field)
    return pattern


def _nip(value: Any, *, field: str) -> str:
    nip = _text(value, field=field, limit=40)
    error = documents.nip_error(nip)
    if error:
        raise DomainError(error, field=field)
    return documents.nip_digits(nip)


def _signatories(rows: Any) -> list[dict[str, str]]:
    """The minutes' signatories, checked; an error names the input's field by
    its place: `minutes_signatories.<index>.<key>` (0 the first)."""
    field = "minutes_signatories"
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        raise DomainError(_("Give a list of signatories."), field=field)
    if len(rows) > documents.MAX_SIGNATORIES:
        raise DomainError(
            _("%(count)d signatories at most.") % {"count": documents.MAX_SIGNATORIES},
            field=field,
        )
    clean = []
    for index, row in enumerate(list(rows)):
        at = f"{field}.{index}"
        if not isinstance(row, dict):
            raise DomainError(_("Give a list of signatories."), field=at)
        name = _text(row.get("name"), field=f"{at}.name", limit=_LIMITS["name"])
        if not name:
            raise DomainError(_("Every signatory needs a name."), field=f"{at}.name")
        clean.append(
            {
                "name": name,
                "position": _text(
                    row.get("position"),
                    field=f"{at}.position",
                    limit=_LIMITS["position"],
                ),
                "nip": _nip(row.get("nip"), field=f"{at}.nip"),
            }
        )
    return clean


def _check_signature(image: UploadedFile) -> None:
    """A scanned signature: a PNG or JPEG within the size and pixel limits whose
    pixels decode."""
    from PIL import Image, UnidentifiedImageError

    field = "certificate_signature"
    if image.size is None or image.size > documents.SIGNATURE_MAX_BYTES:
        raise DomainError(
            _("The signature image may be %(size)d KB at most.")
            % {"size": documents.SIGNATURE_MAX_BYTES // 1024},
            field=field,
        )
    unreadable = DomainError(
        _("Upload a PNG or JPEG image of the signature."), field=field
    )
    failures = (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    )
    try:
        image.seek(0)
        with Image.open(image) as picture:
            kind, size = picture.format, picture.size
            picture.verify()
    except failures:
        raise unreadable from None
    finally:
        image.seek(0)
    if kind not in documents.SIGNATURE_FORMATS:
        raise unreadable
    most_w, most_h = documents.SIGNATURE_MAX_PIXELS
    if size[0] > most_w or size[1] > most_h:
        raise DomainError(
            _("The signature image may be %(w)d by %(h)d pixels at most.")
            % {"w": most_w, "h": most_h},
            field=field,
        )
    # verify() reads the chunks, not the pixels: decode them once (the size is
    # known to be small), so that a sound header over damaged image data is
    # refused here rather than found out by every certificate.
    try:
        with Image.open(image) as picture:
            picture.load()
    except failures:
        raise unreadable from None
    finally:
        image.seek(0)


def _checked_values(
    *,
    place: Any,
    minutes_number_pattern: Any,
    certificate_number_pattern: Any,
    minutes_signatories: Any,
    certificate_signatory: Any,
) -> dict[str, Any]:
    """The settings' values, each checked. A DomainError names the input's field,
    a part of a signatory by its path: `certificate_signatory.nip`,
    `minutes_signatories.1.name`."""
    signer = certificate_signatory or {}
    if not isinstance(signer, dict):
        raise DomainError(
            _("Give the signatory's name."), field="certificate_signatory"
        )
    return {
        "place": _text(place, field="place", limit=_LIMITS["place"]),
        "minutes_number_pattern": _pattern(
            minutes_number_pattern, field="minutes_number_pattern"
        ),
        "certificate_number_pattern": _pattern(
            certificate_number_pattern, field="certificate_number_pattern"
        ),
        "minutes_signatories": _signatories(
            [] if minutes_signatories is None else minutes_signatories
        ),
        "certificate_signatory_name": _text(
            signer.get("name"), field="certificate_signatory.name", limit=120
        ),
        "certificate_signatory_position": _text(
            signer.get("position"), field="certificate_signatory.position", limit=160
        ),
        "certificate_signatory_nip": _nip(
            signer.get("nip"), field="certificate_signatory.nip"
        ),
    }


def _delete_on_commit(storage: Any, name: str) -> None:
    """Delete the replaced scan once the change is committed. The settings are
    saved by then: a storage that fails to delete leaves a stray file, logged,
    and never fails the request."""

    def delete() -> None:
        try:
            storage.delete(name)
        except OSError as exc:
            logger.warning("could not delete the replaced scan %s: %s", name, exc)

    # robust: any other error of the storage is logged by Django, not raised.
    transaction.on_commit(delete, robust=True)


@transaction.atomic
def set_results_documents(
    *,
    contest: Contest,
    by: User,
    place: Any = "",
    minutes_number_pattern: Any = "",
    certificate_number_pattern: Any = "",
    minutes_signatories: Any = (),
    certificate_signatory: dict[str, Any] | None = None,
    signature: UploadedFile | None = None,
    remove_signature: bool = False,
) -> ResultsDocuments:
    """Save how the contest's minutes and certificates are numbered, placed and
    signed (an empty value takes the default); a new `signature` replaces the
    scan, `remove_signature` drops it. Refused once the contest is frozen."""
    contest = _lock(contest)
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    values = _checked_values(
        place=place,
        minutes_number_pattern=minutes_number_pattern,
        certificate_number_pattern=certificate_number_pattern,
        minutes_signatories=minutes_signatories,
        certificate_signatory=certificate_signatory,
    )
    if signature is not None:
        _check_signature(signature)
    saved, _created = ResultsDocuments.objects.get_or_create(contest=contest)
    for name, value in values.items():
        setattr(saved, name, value)
    old_scan = saved.certificate_signature.name or ""
    if signature is not None:
        saved.certificate_signature.save(
            signature.name or "signature.png", signature, save=False
        )
    elif remove_signature:
        saved.certificate_signature = ""
    saved.save()
    if old_scan and old_scan != (saved.certificate_signature.name or ""):
        _delete_on_commit(saved.certificate_signature.storage, old_scan)
    ledger.record(
        action="results.documents_set",
        obj=saved,
        by=by,
        contest=contest,
        data={**values, "signature": saved.certificate_signature.name or ""},
    )
    return saved
