"""The audit ledger: an append-only log whose entries are chained by SHA-256.

Each entry's hash covers its own canonical content and the previous entry's hash, so
changing or removing any entry breaks every hash after it. Writers lock the single
LedgerHead row, which serializes appends across processes and machines.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from contest.models import AuditEntry, LedgerHead

GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> bytes:
    """UTF-8 JSON, keys sorted, no white space: the form every digest is taken of."""
    return json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        cls=DjangoJSONEncoder,
    ).encode("utf-8")


def _plain(value: Any) -> Any:
    """Round-trip through JSON so what is hashed equals what the database gives back."""
    return json.loads(canonical_json(value))


def entry_payload(entry: AuditEntry) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "created_at": entry.created_at.isoformat(),
        "contest": entry.contest_slug,
        "actor": entry.actor_email,
        "action": entry.action,
        "object_type": entry.object_type,
        "object_id": entry.object_id,
        "data": entry.data,
        "prev_hash": entry.prev_hash,
    }


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical_json(entry_payload(entry))).hexdigest()


def record(
    *,
    action: str,
    obj: Any,
    by: Any = None,
    contest: Any = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry for `obj` (a model instance) in the caller's transaction."""
    with transaction.atomic():
        head, _created = LedgerHead.objects.select_for_update().get_or_create(id=1)
        actor = (
            by if by is not None and getattr(by, "is_authenticated", False) else None
        )
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now().replace(microsecond=0),
            contest=contest,
            contest_slug=getattr(contest, "slug", "") or "",
            actor=actor,
            actor_email=getattr(actor, "email", "") or "",
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            data=_plain(data or {}),
            prev_hash=head.last_hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        head.last_seq = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


@dataclass(frozen=True)
class LedgerProblem:
    seq: int
    reason: str


def verify_chain(entries: Iterable[AuditEntry]) -> list[LedgerProblem]:
    """Check every link of the chain; an empty list means it is intact."""
    problems: list[LedgerProblem] = []
    prev_hash = GENESIS_HASH
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            problems.append(LedgerProblem(entry.seq, f"expected entry #{expected_seq}"))
        if entry.prev_hash != prev_hash:
            problems.append(LedgerProblem(entry.seq, "previous hash does not match"))
        if entry_hash(entry) != entry.hash:
            problems.append(LedgerProblem(entry.seq, "content does not match its hash"))
        prev_hash = entry.hash
        expected_seq = entry.seq + 1
    return problems


def changes(
    instance: Any, fields: Iterable[str], before: dict[str, Any]
) -> dict[str, Any]:
    """The {field: [old, new]} pairs that differ, for an audit entry."""
    out: dict[str, Any] = {}
    for name in fields:
        new = getattr(instance, name)
        if hasattr(new, "pk"):
            new = new.pk
        old = before.get(name)
        if isinstance(new, Decimal):
            new = str(new)
        if isinstance(old, Decimal):
            old = str(old)
        if old != new:
            out[name] = [old, new]
    return out
