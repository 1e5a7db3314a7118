"""Files prepared for judges and panels who work offline: an entry's printable
PDF, and a ZIP of a stage's evidence for one category (every entry's PDF, its
evidence files and an index). Asked for on a page or the API, built by a Celery
task with its progress on the row (`done` of `total` entries); built here and now
when the broker cannot take the task.

A pack is a read of the contest, not a change to it: it is allowed after the final
publication, and it is not in the ledger (which is why it lives here and not in
judging.services, whose every write refuses a frozen contest). Who may ask for
which pack is `judging.rules` (`can_request_entry_pdf`, `can_request_stage_zip`);
what a pack made for a judge holds (their own entries, never a conflicted one) is
decided here.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tempfile
import zipfile
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.queueing import enqueue
from contest.models import Category, Stage
from judging import entry_pdf
from judging.enums import PackKind, PackState
from judging.models import Judge, Pack
from judging.selectors.assignments import evidence_of
from judging.selectors.packs import pack_is_current, zip_entries
from judging.tasks import task_build_pack
from submissions.answers import answer_text
from submissions.models import Submission
from submissions.services.answers_required import answer_rows

User = get_user_model()
logger = logging.getLogger(__name__)

INDEX_COLUMNS = (
    "entry_id",
    "entry_title",
    "region_code",
    "region",
    "category",
    "evidence_id",
    "evidence_title",
    "criterion",
    "kind",
    "file_in_zip",
    "url",
)


IN_PROGRESS = (PackState.QUEUED, PackState.RUNNING)
# A pack still queued this long lost its task: the sweep queues it again.
REQUEUE_AFTER = timedelta(minutes=10)
# A pack still queued or being built this long is lost: the sweep marks it failed,
# and a new request no longer waits for it.
LOST_AFTER = timedelta(minutes=60)
# A finished pack is handed out again for the same request at most this long after
# it was asked for (evidence removed or edited leaves no timestamp to compare).
REUSE_WITHIN = timedelta(hours=1)
# How many packs one user may have queued or being built at once.
IN_PROGRESS_LIMIT = 3
CHUNK = 1024 * 1024

# What the requester reads on a failure (English, translated when shown); the
# exception itself, which may name storage paths, goes to the log only.
FAILED_MESSAGE = gettext_noop(
    "The file could not be prepared. Ask for it again; if it fails again, tell the "
    "organizers."
)
LOST_MESSAGE = gettext_noop(
    "Preparing the file took too long and was given up. Ask for it again."
)


def _pending(**scope) -> Pack | None:
    """The same request still queued or being built: asking twice makes one file.
    A row older than LOST_AFTER is not waited for (its build was lost)."""
    return (
        Pack.objects.filter(
            state__in=IN_PROGRESS,
            created_at__gte=timezone.now() - LOST_AFTER,
            **scope,
        )
        .order_by("-pk")
        .first()
    )


def reusable(**scope) -> Pack | None:
    """The latest finished pack of the same request, asked for less than
    REUSE_WITHIN ago, whose entries and evidence did not change since and whose
    file is still kept."""
    pack = (
        Pack.objects.filter(
            state=PackState.DONE,
            created_at__gte=timezone.now() - REUSE_WITHIN,
            **scope,
        )
        .exclude(file="")
        .select_related("stage", "category", "judge")
        .order_by("-pk")
        .first()
    )
    if pack is None or not pack_is_current(pack):
        return None
    try:
        kept = default_storage.exists(pack.file.name)
    except Exception:  # a storage that cannot answer: build a new one
        logger.warning("pack %s: its file could not be checked", pack.pk, exc_info=True)
        return None
    return pack if kept else None


def _check_limit(by: User) -> None:
    in_progress = Pack.objects.filter(
        requested_by=by,
        state__in=IN_PROGRESS,
        created_at__gte=timezone.now() - LOST_AFTER,
    ).count()
    if in_progress >= IN_PROGRESS_LIMIT:
        raise DomainError(
            _(
                "You already have %(count)s files being prepared. Wait until one "
                "is ready, then ask again."
            )
            % {"count": in_progress},
            status=409,
        )


def _existing_or_new(scope: dict, *, contest_id: int, total: int = 0) -> Pack:
    pack = _pending(**scope) or reusable(**scope)
    if pack is not None:
        return pack
    _check_limit(scope["requested_by"])
    pack = Pack.objects.create(contest_id=contest_id, total=total, **scope)
    _queue(pack)
    return pack


def _queue(pack: Pack) -> None:
    """Hand the build to the worker after the commit. With the broker down, an
    entry's PDF (one small file) is built here; a stage's ZIP is never built in
    a web request: it stays queued and the sweep hands it on."""

    def run() -> None:
        if enqueue(task_build_pack, pack_id=pack.pk):
            return
        if pack.kind == PackKind.ENTRY_PDF:
            build_pack(pack=Pack.objects.get(pk=pack.pk))
        else:
            logger.warning("pack %s left queued for the sweep", pack.pk)

    transaction.on_commit(run)


@transaction.atomic
def request_entry_pdf(*, submission: Submission, by: User) -> Pack:
    """Queue the printable PDF of an entry for `by` (checked by the caller with
    `judging.request_entry_pdf`)."""
    scope = {
        "kind": PackKind.ENTRY_PDF,
        "submission": submission,
        "requested_by": by,
    }
    return _existing_or_new(scope, contest_id=submission.contest_id, total=1)


@transaction.atomic
def request_stage_zip(
    *, stage: Stage, category: Category, judge: Judge | None, by: User
) -> Pack:
    """Queue the ZIP of a stage's evidence for one category: for `judge`, their own
    entries only (never a conflicted one); with no judge (an organizer), every
    entry of the stage in the category."""
    if not stage.is_scoring:
        raise DomainError(
            _("Only a scoring stage has entries to prepare."), field="stage", status=409
        )
    if category.contest_id != stage.contest_id:
        raise DomainError(
            _("This category is not one of the stage's contest."), field="category"
        )
    if judge is not None and judge.contest_id != stage.contest_id:
        raise DomainError(_("This judge is not one of the contest's."), field="judge")
    scope = {
        "kind": PackKind.STAGE_ZIP,
        "stage": stage,
        "category": category,
        "judge": judge,
        "requested_by": by,
    }
    return _existing_or_new(scope, contest_id=stage.contest_id)


def build_pack(*, pack: Pack) -> Pack:
    """Build the pack's file, writing its progress as it goes; only a queued pack
    is built, and by one run only (safe to run twice, even at once). A failure is
    recorded on the pack (state failed, with a message for the requester; the
    detail is logged), never raised."""
    claimed = Pack.objects.filter(pk=pack.pk, state=PackState.QUEUED).update(
        state=PackState.RUNNING
    )
    if not claimed:
        return pack
    try:
        if pack.kind == PackKind.ENTRY_PDF:
            _build_entry_pdf(pack)
        else:
            _build_stage_zip(pack)
    except Exception:  # whatever failed, the requester must learn of it
        logger.exception("pack %s failed", pack.pk)
        _save(pack, state=PackState.FAILED, error=FAILED_MESSAGE, finished=True)
        return pack
    return pack


def _stale(age: timedelta):
    return Pack.objects.filter(created_at__lt=timezone.now() - age)


def sweep_packs() -> dict[str, int]:
    """The beat schedule's pass over the packs: queue again those still queued
    after REQUEUE_AFTER (build them here if the broker still refuses: this is
    a worker or `run_scheduled`, not a web request), mark failed those queued or
    being built for longer than LOST_AFTER, and delete, file and row, those asked
    for more than PACK_KEEP_DAYS ago. Answers how many of each."""
    lost = _stale(LOST_AFTER).filter(state__in=IN_PROGRESS)
    given_up = lost.update(
        state=PackState.FAILED, error=LOST_MESSAGE, finished_at=timezone.now()
    )
    if given_up:
        logger.warning("%s pack(s) lost while being prepared, marked failed", given_up)
    waiting = list(
        _stale(REQUEUE_AFTER)
        .filter(state=PackState.QUEUED)
        .values_list("pk", flat=True)
        .order_by("pk")
    )
    for pk in waiting:
        if not enqueue(task_build_pack, pack_id=pk):
            pack = Pack.objects.select_related("stage", "category", "judge").get(pk=pk)
            build_pack(pack=pack)
    return {
        "requeued": len(waiting),
        "failed": given_up,
        "deleted": _delete_expired(),
    }


def _delete_expired() -> int:
    """Delete the packs older than PACK_KEEP_DAYS with their files; one whose file
    the storage fails to delete is kept for the next pass."""
    expired = _stale(timedelta(days=settings.PACK_KEEP_DAYS)).only("pk", "file")
    deleted = []
    for pack in expired.iterator():
        if pack.file:
            try:
                default_storage.delete(pack.file.name)
            except Exception:
                logger.warning("pack %s: file not deleted", pack.pk, exc_info=True)
                continue
        deleted.append(pack.pk)
    Pack.objects.filter(pk__in=deleted).delete()
    return len(deleted)


def _save(pack: Pack, *, finished: bool = False, **fields) -> None:
    for name, value in fields.items():
        setattr(pack, name, value)
    if finished:
        pack.finished_at = timezone.now()
        fields["finished_at"] = pack.finished_at
    Pack.objects.filter(pk=pack.pk).update(**fields)


def _entry_pdf_bytes(entry: Submission) -> bytes:
    return entry_pdf.entry_pdf(
        entry=entry,
        evidence=list(evidence_of(entry)),
        generated_at=timezone.now().replace(microsecond=0),
        answers=_answer_texts(entry),
    )


def _answer_texts(entry: Submission) -> list[tuple[str, str]]:
    """(question, answer) of each question asked of the entry (a file by name)."""
    rows = answer_rows(entry, language=(get_language() or "id")[:2])
    out = []
    for row in rows:
        answer = row["answer"]
        if answer is None:
            text = ""
        elif answer.file:
            text = answer.original_name
        else:
            text = answer_text(row["question"], answer.value)
        out.append((row["label"], text))
    return out


def _build_entry_pdf(pack: Pack) -> None:
    entry = Submission.objects.select_related("contest", "category", "region").get(
        pk=pack.submission_id
    )
    _save(pack, state=PackState.RUNNING, total=1, done=0, entry_ids=[entry.pk])
    name = default_storage.save(
        pack.file.field.generate_filename(pack, "entry.pdf"),
        ContentFile(_entry_pdf_bytes(entry)),
    )
    pack.file.name = name
    _save(pack, file=name, state=PackState.DONE, done=1, error="", finished=True)


def _safe(text: str, limit: int = 60) -> str:
    return slugify(text)[:limit].strip("-") or "x"


def _file_name(evidence) -> str:
    original = re.sub(r"[^\w.\-]+", "_", evidence.original_name or "")[-80:]
    return f"{evidence.pk}-{original or 'file'}"


def _build_stage_zip(pack: Pack) -> None:
    """Every entry's PDF, evidence files (copied from storage a chunk at a time)
    and an index (index.csv) into a temporary file, then into storage."""
    entries = list(
        zip_entries(stage=pack.stage, category=pack.category, judge=pack.judge)
    )
    _save(
        pack,
        state=PackState.RUNNING,
        total=len(entries),
        done=0,
        entry_ids=[entry.pk for entry in entries],
    )
    index = io.StringIO()
    writer = csv.writer(index)
    writer.writerow(INDEX_COLUMNS)
    root = f"{_safe(pack.stage.name)}-{_safe(pack.category.name)}"
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for done, entry in enumerate(entries, start=1):
                _add_entry(archive, writer, root, entry)
                _save(pack, done=done)
            archive.writestr(f"{root}/index.csv", index.getvalue())
        spool.seek(0)
        name = default_storage.save(
            pack.file.field.generate_filename(pack, "pack.zip"), File(spool)
        )
    pack.file.name = name
    _save(pack, file=name, state=PackState.DONE, error="", finished=True)


def _add_entry(archive: zipfile.ZipFile, writer, root: str, entry: Submission) -> None:
    folder = f"{root}/{entry.pk}-{_safe(entry.title)}"
    archive.writestr(f"{folder}/entry.pdf", _entry_pdf_bytes(entry))
    base = [entry.pk, entry.title, entry.region.code, entry.region.name]
    base.append(entry.category.name)
    for evidence in evidence_of(entry):
        criterion = evidence.criterion.name if evidence.criterion_id else ""
        path = ""
        if evidence.is_file and evidence.is_ready and evidence.file:
            path = f"{folder}/evidence/{_file_name(evidence)}"
            if not _copy_evidence(archive, path, evidence.file.name):
                path = ""
        writer.writerow(
            [
                *base,
                evidence.pk,
                evidence.title,
                criterion,
                evidence.kind,
                path,
                evidence.url,
            ]
        )


def _copy_evidence(archive: zipfile.ZipFile, path: str, name: str) -> bool:
    """Copy one evidence file from storage into the archive a chunk at a time;
    answers False, the file counted as missing, on any error of the storage (a
    missing file is FileNotFoundError on disk, botocore's ClientError on S3), so
    that one unreadable file never fails the whole ZIP. The first chunk is read
    before the archive's member is opened: a file that cannot be read at all
    leaves no member behind."""
    try:
        source = default_storage.open(name, "rb")
    except Exception:
        logger.warning("pack: evidence file %s not readable", name, exc_info=True)
        return False
    with source:
        try:
            chunk = source.read(CHUNK)
        except Exception:
            logger.warning("pack: evidence file %s not readable", name, exc_info=True)
            return False
        with archive.open(path, "w", force_zip64=True) as target:
            while chunk:
                target.write(chunk)
                try:
                    chunk = source.read(CHUNK)
                except Exception:  # the member keeps what was read
                    logger.warning(
                        "pack: evidence file %s cut short", name, exc_info=True
                    )
                    return False
    return True
