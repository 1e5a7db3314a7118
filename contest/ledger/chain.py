"""The chain: canonical JSON, each entry's hash over its content and the previous
entry's hash, the append under the locked head, and the check of every link."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.utils import timezone

from contest.models import (
    AuditEntry,
    LedgerHead,
)

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
    payload = {
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
    if entry.row_hash:
        payload["row_hash"] = entry.row_hash
    return payload


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(canonical_json(entry_payload(entry))).hexdigest()


@dataclass(frozen=True)
class _Pending:
    """One entry to append: everything but its place in the chain."""

    action: str
    obj: Any
    actor: Any
    contest: Any
    contest_slug: str
    data: dict[str, Any]
    row: str


def _append_many(pending: Sequence[_Pending]) -> list[AuditEntry]:
    """Chain `pending` onto the head: one lock, one insert, one head update."""
    if not pending:
        return []
    with transaction.atomic():
        head, _created = LedgerHead.objects.select_for_update().get_or_create(id=1)
        now = timezone.now().replace(microsecond=0)
        entries = []
        seq, prev_hash = head.last_seq, head.last_hash
        for item in pending:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                created_at=now,
                contest=item.contest,
                contest_slug=item.contest_slug,
                actor=item.actor,
                actor_email=getattr(item.actor, "email", "") or "",
                action=item.action,
                object_type=item.obj._meta.label_lower,
                object_id=str(item.obj.pk),
                data=_plain(item.data),
                row_hash=item.row,
                prev_hash=prev_hash,
            )
            entry.hash = entry_hash(entry)
            prev_hash = entry.hash
            entries.append(entry)
        if len(entries) == 1:
            entries[0].save()
        else:
            AuditEntry.objects.bulk_create(entries)
        head.last_seq = seq
        head.last_hash = prev_hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entries


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


def kept_stamp() -> tuple[int, str] | None:
    """What a value computed from audited rows can be kept under: the ledger's
    last entry (sequence number and hash), which moves with every audited change
    in the change's own transaction; one read of one row. The hash tells apart
    two entries given the same number when the first was rolled back.

    Read it before the rows the value is computed from (a change committed in
    between is then kept under the stamp before it, never the other way round).
    None inside a transaction (nothing is kept or read there: a service may see
    its own writes before it records them, and may yet roll back) and before the
    ledger's first entry."""
    if connection.in_atomic_block:
        return None
    return LedgerHead.objects.filter(id=1).values_list("last_seq", "last_hash").first()


def verify_head() -> list[LedgerProblem]:
    """The head row must name the last entry."""
    head = LedgerHead.objects.filter(id=1).first()
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    if head is None or last is None:
        return []
    if head.last_seq != last.seq or head.last_hash != last.hash:
        return [LedgerProblem(last.seq, "ledger head does not match")]
    return []
