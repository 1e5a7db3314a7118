"""Private helpers shared by the entry services: labels, the committed contest and
the entry lock, deleting files once a transaction commits, the delegate check."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest.models import Contest, Delegate, Region
from submissions.enums import SubmissionState
from submissions.models import Submission

User = get_user_model()
logger = logging.getLogger(__name__)


def _label(name: str) -> str:
    return str(Submission._meta.get_field(name).verbose_name)


def _state_label(state: str) -> str:
    return str(SubmissionState(state).label)


def _normalized(data: dict[str, Any]) -> dict[str, Any]:
    """Text without surrounding blanks; links without empty ones."""
    out = {}
    for name, value in data.items():
        if name == "links":
            value = [v.strip() for v in (value or []) if v and v.strip()]
        elif isinstance(value, str):
            value = value.strip()
        out[name] = value
    return out


def _committed(contest: Contest) -> Contest:
    """The contest with its committed `frozen_at`, for `ensure_not_frozen`.

    On PostgreSQL the row is read FOR SHARE: the final publication locks it FOR UPDATE
    to set `frozen_at`, so a write and the publication never interleave (a write that
    began first finishes first; one that began after sees the freeze), while writes
    of different entries do not wait for one another. On SQLite the IMMEDIATE
    transaction of every write already serializes them with the publication. Lock
    order: the contest, then the entry (`_lock`), then the ledger head.
    """
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Contest._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT frozen_at FROM {table} WHERE id = %s FOR SHARE",  # noqa: S608
                [contest.pk],
            )
            row = cursor.fetchone()
        committed = row[0] if row else None
    else:
        committed = (
            Contest.objects.filter(pk=contest.pk)
            .values_list("frozen_at", flat=True)
            .first()
        )
    contest.frozen_at = committed or contest.frozen_at
    return contest


def _lock(submission: Submission) -> None:
    """Lock the entry's row and reload it, so that checks see the committed state."""
    locked = list(
        Submission.objects.select_for_update()
        .filter(pk=submission.pk)
        .values_list("pk")
    )
    if not locked:
        raise DomainError(_("This entry no longer exists."), status=404)
    submission.refresh_from_db()


def _delete_files_on_commit(names: Iterable[str]) -> None:
    names = [n for n in names if n]
    if not names:
        return

    def delete():
        for name in names:
            try:
                default_storage.delete(name)
            except OSError:
                logger.warning("could not delete %s from storage", name)

    transaction.on_commit(delete)


def _require_delegate(*, contest: Contest, region: Region, by: User) -> None:
    if not Delegate.objects.filter(
        contest=contest, user_id=by.pk, region=region
    ).exists():
        raise DomainError(
            _(
                "Only a delegate of %(region)s in this contest may enter or change its "
                "entries."
            )
            % {"region": region.name},
            status=403,
        )
