"""Writing: `record()` and `record_many()` append the entries of a change, each with
the hash of its row as stored now, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from contest.ledger.chain import _append_many, _Pending
from contest.ledger.rows import _is_removal, _row_states
from contest.models import AuditEntry


def _actor(by: Any) -> Any:
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def record(
    *,
    action: str,
    obj: Any,
    by: Any = None,
    contest: Any = None,
    data: dict[str, Any] | None = None,
    deleted: bool | None = None,
) -> AuditEntry:
    """Append one entry for `obj` (a model instance) in the caller's transaction.

    Call it after the change's last write: the entry hashes the row as stored now.
    An action ending in "removed" or "deleted" (or `deleted=True`) records the row as
    gone; the caller deletes it in the same transaction."""
    [entry] = record_many(
        action=action, objs=[obj], by=by, contest=contest, data=data, deleted=deleted
    )
    return entry


def record_many(
    *,
    action: str,
    objs: Iterable[Any],
    by: Any = None,
    contest: Any = None,
    data: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]] | None = None,
    deleted: bool | None = None,
) -> list[AuditEntry]:
    """Append one entry for each of `objs`, in their order, as `record()` would one
    by one (`data` is the same for all or a function of each object), but with the
    head locked once, the rows read back with one query per model, the entries
    inserted together and the head moved once: for the services that create or
    delete many audited rows at once (an assignment run, a stage's entries).

    Every audited row must have an entry (`verify_rows` reports one without), so a
    bulk write of audited rows records them here, after its last write (or, for a
    removal, before the delete, in the same transaction)."""
    objs = list(objs)
    if deleted is None:
        deleted = _is_removal(action)
    rows = _row_states(objs, deleted=deleted)
    actor = _actor(by)
    slug = getattr(contest, "slug", "") or ""
    return _append_many(
        [
            _Pending(
                action=action,
                obj=obj,
                actor=actor,
                contest=contest,
                contest_slug=slug,
                data=dict((data(obj) if callable(data) else data) or {}),
                row=row,
            )
            for obj, row in zip(objs, rows, strict=True)
        ]
    )
