"""The audit ledger: an append-only log whose entries are chained by SHA-256.

The chain
    Each entry's hash covers its own canonical content and the previous entry's hash,
    so changing or removing any entry breaks every hash after it. Writers lock the
    single LedgerHead row, which serializes appends across processes and machines.

The rows
    Each entry also records `row_hash`: the SHA-256 of the audited row's state right
    after the change, the canonical JSON of the fields registered for its model (and of
    its registered children: a submitted sheet's scores, a judge's panels). `record()`
    reads that state back from the database, in the caller's transaction, so it hashes
    what is stored and not what an instance in memory holds.

    Why at call time: the entry's own hash covers `row_hash`, and an entry is final
    the moment it is chained (the next writer chains onto it), so the row hash cannot
    be filled in later, at commit. The rule that makes this hold is therefore an order:
    every service calls `record()` after the last write of its change (the services
    were checked for it; `tests/contest/test_ledger_life.py` runs a contest's whole
    life through them, every audited kind included, and verifies after each step, and
    `tests/contest/test_ledger_tamper.py` loads the demo and verifies it: a write after
    `record()` fails those tests rather than a contest's audit).

    Only registered fields count, so a row may change without an entry where nothing
    audited changes: a thumbnail written by a task, `updated_at`, a sheet's version
    counter, a draft sheet's scores (a judge's working copy, counted nowhere; they are
    hashed from the moment the sheet is submitted), the accounts behind `created_by`
    (set to NULL when an account is deleted; the actor is in the entry itself). Apps
    register their models with `register()` from their AppConfig.ready(): the ledger
    lives in `contest`, which imports no higher app.

    Deletions: an action ending in "removed" or "deleted" (or `deleted=True`) records
    the row as gone (`ROW_DELETED`); verification then checks it no longer exists. A
    registered row that has entries and is deleted through the ORM without one (a
    cascade, a bulk delete inside a service) gets its own entry from a `pre_delete`
    receiver, so only a deletion that bypasses the ORM (SQL) is unrecorded, and
    verification reports that row as missing.

    `verify_rows()` takes the last entry of every audited row and compares its
    `row_hash` with the row's current state: one query per model (and one per child
    relation), not one per row. Entries written before row hashes existed have an
    empty `row_hash`, which the entry's hashed payload then leaves out, so they still
    verify; their rows are checked from their next entry on.

The end of the chain
    Deleting the last entries and moving the head back leaves a shorter chain that is
    consistent in itself. `head_anchor()` (the `ledger_anchor` command) exports the head
    to be kept outside the database; `check_anchor()` (`verify_ledger --anchor FILE`)
    proves the chain still extends it. Publications and stage minutes record the head
    too, and `verify_publications` checks that their head is still in the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.utils import timezone

from contest.models import (
    AuditEntry,
    Category,
    Contest,
    Criterion,
    Delegate,
    LedgerHead,
    Organizer,
    Stage,
)

GENESIS_HASH = "0" * 64
ROW_DELETED = "deleted"
REMOVAL_SUFFIXES = ("removed", "deleted")


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


# ---------------------------------------------------------------- audited models

RelatedState = Callable[[models.QuerySet], Mapping[Any, Any]]


@dataclass(frozen=True)
class Audited:
    """What of a model's rows the ledger hashes: `fields` (column names) and, for
    each name of `related`, a function from a queryset of the rows to {pk: value}."""

    model: type[models.Model]
    fields: tuple[str, ...]
    related: dict[str, RelatedState] = field(default_factory=dict)
    contest_of: Callable[[Any], Any] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_REGISTRY: dict[str, Audited] = {}


def register(
    model: type[models.Model],
    *,
    fields: Sequence[str],
    related: Mapping[str, RelatedState] | None = None,
    contest_of: Callable[[Any], Any] | None = None,
) -> None:
    """Audit `model`'s rows: hash `fields` (and `related`) in each entry about one.
    `contest_of(instance)` names the contest of an entry written for a deletion
    nobody recorded (a cascade). Registering a model again replaces its fields."""
    columns = tuple(model._meta.get_field(name).attname for name in fields)
    label = model._meta.label_lower
    previous = _REGISTRY.get(label)
    merged = dict(previous.related) if previous else {}
    merged.update(related or {})
    _REGISTRY[label] = Audited(
        model=model,
        fields=columns,
        related=merged,
        contest_of=contest_of or (previous.contest_of if previous else None),
    )
    pre_delete.connect(
        _record_unrecorded_deletion,
        sender=model,
        weak=False,
        dispatch_uid=f"ledger-deletion-{label}",
    )


def add_related(model: type[models.Model], name: str, state: RelatedState) -> None:
    """Add children to a registered model's state (a higher app's rows that belong
    to a lower app's row, such as a contest's stage weights)."""
    spec = _REGISTRY[model._meta.label_lower]
    _REGISTRY[spec.label] = Audited(
        model=spec.model,
        fields=spec.fields,
        related={**spec.related, name: state},
        contest_of=spec.contest_of,
    )


def audited_models() -> dict[str, Audited]:
    return dict(_REGISTRY)


def children(
    queryset: models.QuerySet, parent: str, values: Sequence[str]
) -> dict[Any, list[list[Any]]]:
    """{parent id: [[value, ...], ...]} of child rows, in a stable order: a helper
    for `related` state functions."""
    out: dict[Any, list[list[Any]]] = defaultdict(list)
    for row in queryset.order_by(parent, "pk").values_list(parent, *values):
        out[row[0]].append(list(row[1:]))
    return dict(out)


def _hash_state(state: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(state)).hexdigest()


def row_hashes(spec: Audited, queryset: models.QuerySet) -> dict[str, str]:
    """{str(pk): row hash} for the rows of `queryset`; one query, and one more per
    related state."""
    states: dict[str, dict[str, Any]] = {}
    for row in queryset.values("pk", *spec.fields):
        states[str(row.pop("pk"))] = row
    if states:
        for name, state in spec.related.items():
            values = {str(pk): value for pk, value in state(queryset).items()}
            for pk, row in states.items():
                row[name] = values.get(pk, [])
    return {pk: _hash_state(row) for pk, row in states.items()}


def row_hash(obj: Any) -> str:
    """The hash of `obj`'s row as stored now; ROW_DELETED when it is gone and ""
    when its model is not audited."""
    spec = _REGISTRY.get(obj._meta.label_lower)
    if spec is None:
        return ""
    if obj.pk is None:
        return ROW_DELETED
    queryset = spec.model._base_manager.filter(pk=obj.pk)
    return row_hashes(spec, queryset).get(str(obj.pk), ROW_DELETED)


# ---------------------------------------------------------------- writing


def _is_removal(action: str) -> bool:
    return action.endswith(REMOVAL_SUFFIXES)


def _append(
    *,
    action: str,
    obj: Any,
    actor: Any,
    contest: Any,
    contest_slug: str,
    data: dict[str, Any],
    row: str,
) -> AuditEntry:
    with transaction.atomic():
        head, _created = LedgerHead.objects.select_for_update().get_or_create(id=1)
        entry = AuditEntry(
            seq=head.last_seq + 1,
            created_at=timezone.now().replace(microsecond=0),
            contest=contest,
            contest_slug=contest_slug,
            actor=actor,
            actor_email=getattr(actor, "email", "") or "",
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            data=_plain(data),
            row_hash=row,
            prev_hash=head.last_hash,
        )
        entry.hash = entry_hash(entry)
        entry.save()
        head.last_seq = entry.seq
        head.last_hash = entry.hash
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


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
    if deleted is None:
        deleted = _is_removal(action)
    row = ROW_DELETED if deleted and obj._meta.label_lower in _REGISTRY else ""
    if not row:
        row = row_hash(obj)
    actor = by if by is not None and getattr(by, "is_authenticated", False) else None
    return _append(
        action=action,
        obj=obj,
        actor=actor,
        contest=contest,
        contest_slug=getattr(contest, "slug", "") or "",
        data=data or {},
        row=row,
    )


def _describe(origin: Any) -> str:
    if isinstance(origin, models.Model):
        return f"{origin._meta.label_lower}:{origin.pk}"
    model = getattr(origin, "model", None)
    return model._meta.label_lower if model is not None else ""


def _record_unrecorded_deletion(sender, instance, origin=None, **kwargs) -> None:
    """A registered row with entries, deleted through the ORM without an entry of its
    own (a cascade or a bulk delete): record that it is gone. Rows without entries
    (never audited) are left alone."""
    spec = _REGISTRY.get(sender._meta.label_lower)
    if spec is None or instance.pk is None:
        return
    last = (
        AuditEntry.objects.filter(object_type=spec.label, object_id=str(instance.pk))
        .order_by("-seq")
        .values_list("row_hash", flat=True)
        .first()
    )
    if last is None or last == ROW_DELETED:
        return
    contest = spec.contest_of(instance) if spec.contest_of else None
    _append(
        action=f"{sender._meta.model_name}.deleted",
        obj=instance,
        actor=None,
        # The FK stays empty: the contest itself may be going in the same delete.
        contest=None,
        contest_slug=getattr(contest, "slug", "") or "",
        data={"with": _describe(origin)},
        row=ROW_DELETED,
    )


# ---------------------------------------------------------------- verifying


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


def verify_head() -> list[LedgerProblem]:
    """The head row must name the last entry."""
    head = LedgerHead.objects.filter(id=1).first()
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash").first()
    if head is None or last is None:
        return []
    if head.last_seq != last.seq or head.last_hash != last.hash:
        return [LedgerProblem(last.seq, "ledger head does not match")]
    return []


@dataclass(frozen=True)
class RowProblem:
    seq: int
    object_type: str
    object_id: str
    reason: str


@dataclass(frozen=True)
class RowCheck:
    checked: int
    problems: list[RowProblem]


def _last_row_hashes() -> dict[str, dict[str, tuple[int, str]]]:
    """{object type: {object id: (seq, row hash) of its last entry}}, one query."""
    last: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    entries = (
        AuditEntry.objects.filter(object_type__in=list(_REGISTRY))
        .order_by("seq")
        .values_list("object_type", "object_id", "seq", "row_hash")
    )
    for object_type, object_id, seq, row in entries.iterator(chunk_size=5000):
        last[object_type][object_id] = (seq, row)
    return last


def verify_rows() -> RowCheck:
    """Compare every audited row with what its last entry recorded."""
    problems: list[RowProblem] = []
    checked = 0
    for label, rows in sorted(_last_row_hashes().items()):
        expected = {pk: (seq, row) for pk, (seq, row) in rows.items() if row}
        if not expected:
            continue
        spec = _REGISTRY[label]
        current = row_hashes(spec, spec.model._base_manager.all())
        for pk, (seq, row) in expected.items():
            checked += 1
            actual = current.get(pk)
            if row == ROW_DELETED:
                if actual is not None:
                    reason = (
                        f"still exists, but entry #{seq} recorded that it was removed"
                    )
                    problems.append(RowProblem(seq, label, pk, reason))
            elif actual is None:
                reason = f"was deleted with no ledger entry (last entry #{seq})"
                problems.append(RowProblem(seq, label, pk, reason))
            elif actual != row:
                reason = f"differs from what its last entry #{seq} recorded"
                problems.append(RowProblem(seq, label, pk, reason))
    problems.sort(key=lambda p: (p.seq, p.object_type, p.object_id))
    return RowCheck(checked=checked, problems=problems)


# ---------------------------------------------------------------- anchors


def head_anchor() -> dict[str, Any]:
    """The chain's head, to be kept outside the database: its last entry's number,
    hash and time (number 0 and the genesis hash for an empty ledger)."""
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash", "created_at").first()
    return {
        "seq": last.seq if last else 0,
        "hash": last.hash if last else GENESIS_HASH,
        "created_at": last.created_at.isoformat() if last else None,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
    }


class AnchorError(ValueError):
    """An anchor that is not one (`field` names what is wrong)."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def parse_anchor(text: str) -> tuple[int, str]:
    """The (seq, hash) of an anchor's JSON; AnchorError if it is malformed."""
    try:
        value = json.loads(text)
    except ValueError:
        raise AnchorError("the anchor is not JSON", field="anchor") from None
    if not isinstance(value, dict):
        raise AnchorError("the anchor is not a JSON object", field="anchor")
    seq = value.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise AnchorError("seq must be a whole number, 0 or more", field="seq")
    digest = value.get("hash")
    if (
        not isinstance(digest, str)
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise AnchorError("hash must be 64 lower-case hex digits", field="hash")
    return seq, digest


def check_anchor(seq: int, digest: str) -> list[LedgerProblem]:
    """The chain must still extend an anchor: its entry #seq exists with that hash."""
    if seq == 0:
        if digest != GENESIS_HASH:
            return [LedgerProblem(0, "the anchor's hash is not the genesis hash")]
        return []
    entry = AuditEntry.objects.filter(seq=seq).only("seq", "hash").first()
    if entry is None:
        last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
        return [
            LedgerProblem(
                seq,
                f"the anchored entry is missing: the chain ends at #{last or 0}, "
                f"before the anchor",
            )
        ]
    if entry.hash != digest:
        return [LedgerProblem(seq, "the anchored entry has another hash")]
    return []


def chain_has_hash(digest: str) -> bool:
    """Whether `digest` is the hash of an entry (or the genesis hash)."""
    return digest == GENESIS_HASH or AuditEntry.objects.filter(hash=digest).exists()


# ---------------------------------------------------------------- helpers


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


# ---------------------------------------------------------------- contest's rows

register(
    Contest,
    fields=[
        "name",
        "slug",
        "description",
        "host_region",
        "timezone",
        "submission_opens",
        "submission_closes",
        "eligible_region_types",
        "max_entries_per_region",
        "is_public",
        "frozen_at",
    ],
    contest_of=lambda contest: contest,
)
register(
    Category,
    fields=["contest", "name", "slug", "description", "order"],
    contest_of=lambda category: category.contest,
)
register(
    Stage,
    fields=[
        "contest",
        "name",
        "order",
        "kind",
        "description",
        "opens",
        "closes",
        "judges_per_entry",
        "advance_per_category",
        "disagreement_threshold",
        "peer_scores_visible",
    ],
    contest_of=lambda stage: stage.contest,
)
register(
    Criterion,
    fields=[
        "stage",
        "name",
        "description",
        "weight",
        "min_score",
        "max_score",
        "step",
        "levels",
        "expected_evidence",
        "order",
    ],
    contest_of=lambda criterion: criterion.stage.contest,
)
register(
    Organizer,
    fields=["contest", "user"],
    contest_of=lambda organizer: organizer.contest,
)
register(
    Delegate,
    fields=["contest", "user", "region"],
    contest_of=lambda delegate: delegate.contest,
)
