"""An entry's evidence: files (checked, stored and audited all or nothing), links,
removal, and the processing of an image (no metadata, a thumbnail)."""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import ensure_not_frozen
from common.queueing import enqueue
from contest import ledger
from contest.models import Criterion
from submissions import files
from submissions.enums import EvidenceKind
from submissions.models import (
    Evidence,
    Submission,
    evidence_upload_to,
    thumbnail_upload_to,
)
from submissions.selectors import evidence_total_size
from submissions.services._common import (
    User,
    _committed,
    _delete_files_on_commit,
    _lock,
    _require_delegate,
)
from submissions.services.indicators import check_indicator_open
from submissions.services.workflow import check_open_for_changes
from submissions.validators import display_name, validate_http_url

logger = logging.getLogger(__name__)


def _check_criterion(submission: Submission, criterion: Criterion | None) -> None:
    if criterion is not None and criterion.stage.contest_id != submission.contest_id:
        raise DomainError(
            _("Choose a criterion of this contest's rubric."), field="criterion"
        )


def _check_open(submission: Submission, criterion: Criterion | None) -> None:
    """An indicator's evidence follows its answer's window; any other evidence
    follows the entry's."""
    _check_criterion(submission, criterion)
    if criterion is not None and criterion.stage.is_indicator:
        check_indicator_open(submission, criterion)
    else:
        check_open_for_changes(submission)


@transaction.atomic
def add_evidence_files(
    *,
    submission: Submission,
    uploads: Sequence[Any],
    by: User,
    title: str = "",
    criterion: Criterion | None = None,
) -> list[Evidence]:
    """Attach uploaded files. All or nothing: if one file is refused, none is stored and
    the error says why for each refused file."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    _check_open(submission, criterion)
    return _attach_files(
        submission=submission, uploads=uploads, by=by, title=title, criterion=criterion
    )


def add_evidence_file(
    *,
    submission: Submission,
    file: Any,
    by: User,
    title: str = "",
    criterion: Criterion | None = None,
) -> Evidence:
    ensure_not_frozen(submission.contest)
    return add_evidence_files(
        submission=submission, uploads=[file], by=by, title=title, criterion=criterion
    )[0]


def _attach_files(
    *,
    submission: Submission,
    uploads: Sequence[Any],
    by: User | None,
    title: str = "",
    criterion: Criterion | None = None,
) -> list[Evidence]:
    """Check and store files; no window or role check. The demo loader calls it directly
    (its contest's window was in 2023); the content checks all apply."""
    ensure_not_frozen(_committed(submission.contest))
    _check_criterion(submission, criterion)
    checked = _inspected_uploads(uploads)
    _check_entry_size(submission, sum(upload.size for upload, _n, _t in checked))
    created = _store_files(
        submission=submission,
        checked=checked,
        by=by,
        title=(title or "").strip(),
        criterion=criterion,
    )
    _process_images_on_commit(created)
    return created


def _inspected_uploads(uploads: Sequence[Any]) -> list[tuple[Any, str, Any]]:
    """(upload, display name, file type) for each upload; every refusal at once."""
    uploads = [u for u in uploads if u is not None]
    if not uploads:
        raise DomainError(_("Choose at least one file."), field="file")
    checked = []
    errors = []
    for upload in uploads:
        name = display_name(upload.name)
        try:
            ftype = files.inspect_upload(upload, name=name, size=upload.size)
        except DomainError as exc:
            errors.append(str(exc.message))
        else:
            checked.append((upload, name, ftype))
    if errors:
        raise DomainError(" ".join(errors), field="file")
    return checked


def _check_entry_size(submission: Submission, new_total: int) -> None:
    existing = evidence_total_size(submission)
    limit = settings.EVIDENCE_MAX_ENTRY_SIZE
    if existing + new_total > limit:
        raise DomainError(
            _(
                "With these files the entry's evidence would take %(total)s; an entry "
                "may have at most %(limit)s (%(existing)s used already)."
            )
            % {
                "total": filesizeformat(existing + new_total),
                "limit": filesizeformat(limit),
                "existing": filesizeformat(existing),
            },
            field="file",
        )


def _store_files(
    *,
    submission: Submission,
    checked: list[tuple[Any, str, Any]],
    by: User | None,
    title: str,
    criterion: Criterion | None,
) -> list[Evidence]:
    """Save each file and its row, audited; on any failure the stored files go."""
    stored: list[str] = []
    created: list[Evidence] = []
    try:
        for upload, name, ftype in checked:
            evidence = Evidence(
                submission=submission,
                kind=EvidenceKind.FILE,
                title=_evidence_title(title, name, len(checked)),
                criterion=criterion,
                original_name=name,
                content_type=ftype.mime,
                size=upload.size,
                created_by=by,
                processed_at=None if ftype.is_image else timezone.now(),
            )
            upload.seek(0)
            evidence.file.name = default_storage.save(
                evidence_upload_to(evidence, f"upload.{ftype.ext}"), upload
            )
            stored.append(evidence.file.name)
            evidence.save()
            created.append(evidence)
            ledger.record(
                action="evidence.added",
                obj=evidence,
                by=by,
                contest=submission.contest,
                data={
                    "submission": submission.pk,
                    "kind": EvidenceKind.FILE.value,
                    "title": evidence.title,
                    "name": name,
                    "content_type": ftype.mime,
                    "size": upload.size,
                    "criterion": criterion.pk if criterion else None,
                },
            )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise
    return created


def _process_images_on_commit(created: list[Evidence]) -> None:
    from submissions.tasks import task_process_image

    for evidence in created:
        if evidence.is_image:
            evidence_id = evidence.pk
            transaction.on_commit(
                lambda evidence_id=evidence_id: enqueue(
                    task_process_image, evidence_id=evidence_id
                ),
                robust=True,
            )


def _evidence_title(title: str, name: str, count: int) -> str:
    if not title:
        return (PurePosixPath(name).stem or name)[:200]
    if count == 1:
        return title[:200]
    return f"{title}: {name}"[:200]


@transaction.atomic
def add_evidence_link(
    *,
    submission: Submission,
    url: str,
    title: str,
    by: User,
    criterion: Criterion | None = None,
) -> Evidence:
    """Attach a link to a video or a web page (http or https only)."""
    return _add_evidence_link(
        submission=submission, url=url, title=title, by=by, criterion=criterion
    )


@transaction.atomic
def _add_evidence_link(
    *,
    submission: Submission,
    url: str,
    title: str,
    by: User,
    criterion: Criterion | None = None,
    check_window: bool = True,
) -> Evidence:
    """`add_evidence_link`; with `check_window=False` (the demo, which loads a
    contest of 2023) the entry's or the indicator's window is not checked."""
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    _check_criterion(submission, criterion)
    if check_window:
        _check_open(submission, criterion)
    url = (url or "").strip()
    title = (title or "").strip()
    try:
        validate_http_url(url)
    except Exception:
        raise DomainError(
            _("Enter a web address that starts with http:// or https://."), field="url"
        ) from None
    if not title:
        raise DomainError(_("Give the link a title."), field="title")
    evidence = Evidence.objects.create(
        submission=submission,
        kind=EvidenceKind.LINK,
        title=title[:200],
        url=url,
        criterion=criterion,
        created_by=by,
    )
    ledger.record(
        action="evidence.added",
        obj=evidence,
        by=by,
        contest=submission.contest,
        data={
            "submission": submission.pk,
            "kind": EvidenceKind.LINK.value,
            "title": evidence.title,
            "url": url,
            "criterion": criterion.pk if criterion else None,
        },
    )
    return evidence


_UNCHANGED: Any = object()


@transaction.atomic
def edit_evidence(
    *,
    evidence: Evidence,
    by: User,
    title: str | None = None,
    criterion: Criterion | None = _UNCHANGED,
) -> Evidence:
    """Change a piece of evidence's title or the criterion it supports (None: no
    particular criterion), on the rules of an upload: only a delegate of the
    entry's region, only while the entry is open for changes. The file or link
    itself never changes; `title=None` or an omitted `criterion` keeps it."""
    submission = evidence.submission
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    # Read again under the entry's lock: removed meanwhile, it is not found.
    evidence = Evidence.objects.filter(pk=evidence.pk, submission=submission).first()
    if evidence is None:
        raise DomainError(_("This evidence no longer exists."), status=404)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    changed = []
    if title is not None:
        title = title.strip()
        if not title:
            raise DomainError(_("Give the evidence a title."), field="title")
        if title[:200] != evidence.title:
            evidence.title = title[:200]
            changed.append("title")
    if criterion is not _UNCHANGED and (
        (criterion.pk if criterion else None) != evidence.criterion_id
    ):
        _check_criterion(submission, criterion)
        evidence.criterion = criterion
        changed.append("criterion")
    if not changed:
        return evidence
    evidence.save(update_fields=changed)
    ledger.record(
        action="evidence.edited",
        obj=evidence,
        by=by,
        contest=submission.contest,
        data={
            "submission": submission.pk,
            "title": evidence.title,
            "criterion": evidence.criterion_id,
            "changed": changed,
        },
    )
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, by: User) -> None:
    submission = evidence.submission
    ensure_not_frozen(_committed(submission.contest))
    _lock(submission)
    _require_delegate(contest=submission.contest, region=submission.region, by=by)
    check_open_for_changes(submission)
    ledger.record(
        action="evidence.removed",
        obj=evidence,
        by=by,
        contest=submission.contest,
        data={"submission": submission.pk, "title": evidence.title},
    )
    names = [evidence.file.name, evidence.thumbnail.name]
    evidence.delete()
    _delete_files_on_commit(names)


def process_evidence_image(*, evidence: Evidence) -> Evidence:
    """Re-encode an image without EXIF (GPS) and other metadata and make its thumbnail.
    Idempotent; if the evidence was removed meanwhile, the new files are dropped.

    Runs on a frozen contest too, on purpose: it derives a clean copy and a thumbnail
    of an image stored before the freeze (queued on commit, or by the sweep) and
    changes nothing anyone wrote. Refusing it would leave the image unservable forever
    (`Evidence.is_ready` waits for it), hiding evidence the published results rest on.
    """
    if evidence.processed_at is not None or not evidence.is_image:
        return evidence
    ftype = files.type_for_mime(evidence.content_type)
    if ftype is None or not ftype.is_image:
        return evidence
    old_name = evidence.file.name
    logger.info("processing image evidence %s", evidence.pk)
    content = _stored_bytes(evidence, old_name)
    if content is None:  # another run processed it meanwhile
        return evidence
    try:
        clean = files.clean_image(io.BytesIO(content), ftype)
    except Exception as exc:
        return _unreadable(evidence, exc)
    new_name = default_storage.save(
        evidence_upload_to(evidence, f"image.{ftype.ext}"),
        File(clean.image, name="image"),
    )
    thumb_name = default_storage.save(
        thumbnail_upload_to(evidence, "thumb.jpg"), File(clean.thumbnail, name="thumb")
    )
    clean.image.close()
    clean.thumbnail.close()
    updated = Evidence.objects.filter(
        pk=evidence.pk, file=old_name, processed_at__isnull=True
    ).update(
        file=new_name,
        thumbnail=thumb_name,
        size=clean.image_size,
        processed_at=timezone.now(),
        processing_error="",
    )
    if updated:
        default_storage.delete(old_name)
        evidence.refresh_from_db()
    else:
        default_storage.delete(new_name)
        default_storage.delete(thumb_name)
    return evidence


def _stored_bytes(evidence: Evidence, name: str) -> bytes | None:
    """The stored upload's bytes; None when another run processed the image and
    deleted it meanwhile. The storage's errors (a timeout, the bucket
    unreachable) are raised: the task tries again, and the sweep finds the image
    still waiting; only an image that cannot be read as one is marked."""
    try:
        with default_storage.open(name, "rb") as source:
            return source.read()
    except FileNotFoundError:
        evidence.refresh_from_db()
        if evidence.processed_at is not None:
            return None
        raise


def _unreadable(evidence: Evidence, exc: Exception) -> Evidence:
    """Mark the image as one that cannot be read, for good, with the reason its
    delegate and the organizers see."""
    logger.warning("image evidence %s could not be processed: %s", evidence.pk, exc)
    message = (
        str(exc.message)
        if isinstance(exc, DomainError)
        else _("The image could not be read.")
    )
    # Not over a copy another run has processed meanwhile (it deleted the
    # original this run was reading).
    Evidence.objects.filter(pk=evidence.pk, processed_at__isnull=True).update(
        processing_error=message[:300]
    )
    evidence.processing_error = message[:300]
    return evidence


# An image is handed to the worker when its upload commits. One still waiting
# EVIDENCE_WAITING_GRACE_SECONDS after it was added lost its task (the broker was
# down, or the worker died and its message was dropped): the sweep processes it.
def _waiting_grace() -> dt.timedelta:
    return dt.timedelta(seconds=settings.EVIDENCE_WAITING_GRACE_SECONDS)


def images_waiting(*, now: dt.datetime | None = None, limit: int = 200) -> list[int]:
    """The ids of image evidence neither processed nor refused yet, added more
    than the grace ago: the oldest first, at most `limit`."""
    before = (now or timezone.now()) - _waiting_grace()
    return list(
        Evidence.objects.filter(
            kind=EvidenceKind.FILE,
            content_type__startswith="image/",
            processed_at__isnull=True,
            processing_error="",
            created_at__lt=before,
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
