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

    Every row has an entry: a row that none records (inserted by SQL) is reported
    as "not in the ledger". Services that write many audited rows at once (an
    assignment run, a stage's entries, the derived conflicts) record them with
    `record_many()`: one entry per row, with the head locked once and one query per
    model, whatever the number of rows. Which rows the check covers: on a database
    that held rows without entries when this check came (written by older code),
    the migration `contest 0003_ledger_rows_baseline` wrote one chained entry
    listing them (`baseline_entry`), and every other row must have an entry; on a
    database without such an entry, every row of a model from its first row with a
    row hash on (what a test's factories make before it is left alone).

The end of the chain
    Deleting the last entries and moving the head back leaves a shorter chain that is
    consistent in itself. `head_anchor()` (the `ledger_anchor` command) exports the head
    to be kept outside the database; `check_anchor()` (`verify_ledger --anchor FILE`)
    proves the chain still extends it. Publications and stage minutes record the head
    too, and `verify_publications` checks that their head is still in the chain.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.db.models.signals import pre_delete
from django.utils import timezone

from common.audit import changes  # noqa: F401 (judging.services calls ledger.changes)
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
BASELINE_ACTION = "ledger.rows_baselined"
BASELINE_OBJECT_TYPE = "contest.ledgerhead"


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

# An entry keeps the label its model had when it was written: the results' models
# were judging's until they moved to their own app, and their older entries still
# say so (entries are chained: they are never rewritten). {former: current}.
FORMER_LABELS: dict[str, str] = {
    f"judging.{model}": f"results.{model}"
    for model in (
        "advancementdecision",
        "award",
        "objection",
        "publication",
        "scoreband",
        "stageminutes",
        "stageweight",
    )
}


def labels_of(label: str) -> list[str]:
    """A model's label and the former labels its entries may carry."""
    return [label, *(old for old, new in FORMER_LABELS.items() if new == label)]


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


def _actor(by: Any) -> Any:
    return by if by is not None and getattr(by, "is_authenticated", False) else None


def _row_states(objs: Sequence[Any], *, deleted: bool) -> list[str]:
    """The row hash of each of `objs` as stored now (see `row_hash`): one query per
    model (and one per related state), whatever the number of rows."""
    states: list[str] = []
    wanted: dict[str, set[Any]] = defaultdict(set)
    for obj in objs:
        label = obj._meta.label_lower
        if label in _REGISTRY and not deleted and obj.pk is not None:
            wanted[label].add(obj.pk)
    current: dict[str, dict[str, str]] = {}
    for label, pks in wanted.items():
        spec = _REGISTRY[label]
        queryset = spec.model._base_manager.filter(pk__in=pks)
        current[label] = row_hashes(spec, queryset)
    for obj in objs:
        label = obj._meta.label_lower
        if label not in _REGISTRY:
            states.append("")
        elif deleted or obj.pk is None:
            states.append(ROW_DELETED)
        else:
            states.append(current[label].get(str(obj.pk), ROW_DELETED))
    return states


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
        AuditEntry.objects.filter(
            object_type__in=labels_of(spec.label), object_id=str(instance.pk)
        )
        .order_by("-seq")
        .values_list("row_hash", flat=True)
        .first()
    )
    if last is None or last == ROW_DELETED:
        return
    contest = spec.contest_of(instance) if spec.contest_of else None
    _append_many(
        [
            _Pending(
                action=f"{sender._meta.model_name}.deleted",
                obj=instance,
                actor=None,
                # The FK stays empty: the contest itself may be going in the same
                # delete.
                contest=None,
                contest_slug=getattr(contest, "slug", "") or "",
                data={"with": _describe(origin)},
                row=ROW_DELETED,
            )
        ]
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
    current = {old: new for old, new in FORMER_LABELS.items() if new in _REGISTRY}
    entries = (
        AuditEntry.objects.filter(object_type__in=[*_REGISTRY, *current])
        .order_by("seq")
        .values_list("object_type", "object_id", "seq", "row_hash")
    )
    for object_type, object_id, seq, row in entries.iterator(chunk_size=5000):
        last[current.get(object_type, object_type)][object_id] = (seq, row)
    return last


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _first_audited(rows: Mapping[str, tuple[int, str]]) -> int | None:
    """The lowest pk of a model's rows whose entries hash their state: the ledger
    has audited that model since it, so every row from it on must have an entry."""
    pks = [_as_int(pk) for pk, (_seq, row) in rows.items() if row]
    pks = [pk for pk in pks if pk is not None]
    return min(pks) if pks else None


def pk_ranges(pks: Iterable[int]) -> list[list[int]]:
    """[[first, last], ...] of the runs of consecutive numbers in `pks`."""
    runs: list[list[int]] = []
    for pk in sorted(set(pks)):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def _baselined() -> dict[str, list[list[int]]]:
    """{object type: pk ranges} of the rows a baseline entry found without an entry
    of their own (see `baseline_entry`), one query."""
    out: dict[str, list[list[int]]] = defaultdict(list)
    for data in AuditEntry.objects.filter(
        action=BASELINE_ACTION, object_type=BASELINE_OBJECT_TYPE
    ).values_list("data", flat=True):
        for label, runs in (data.get("unrecorded") or {}).items():
            out[label].extend(runs)
    return out


def _in_runs(pk: int, runs: Sequence[Sequence[int]]) -> bool:
    """Whether `pk` is in one of `runs` (sorted by their first number)."""
    index = bisect.bisect_right(runs, [pk, float("inf")]) - 1
    return index >= 0 and runs[index][0] <= pk <= runs[index][1]


def verify_rows() -> RowCheck:
    """Compare every audited row with what its last entry recorded, and report the
    rows that have no entry at all ("not in the ledger"): one query per model.

    Which rows must have an entry: on a database migrated from before this check
    (it holds a baseline entry, see `baseline_entry`), every row but those the
    baseline lists. Otherwise every row of a model from the model's first row with
    a row hash on: a new database records every row from its first, and the rows a
    test makes with factories (outside the services) before it are left alone."""
    problems: list[RowProblem] = []
    checked = 0
    last = _last_row_hashes()
    baselined = _baselined()
    for label, spec in sorted(_REGISTRY.items()):
        rows = last.get(label, {})
        expected = {pk: (seq, row) for pk, (seq, row) in rows.items() if row}
        floor = _first_audited(rows) if not baselined else -1
        if floor is None:
            continue
        if expected:
            current = row_hashes(spec, spec.model._base_manager.all())
            checked += len(expected)
            problems += _compare(label, expected, current)
        else:
            current = {
                str(pk): ""
                for pk in spec.model._base_manager.values_list("pk", flat=True)
            }
        runs = sorted(baselined.get(label, []))
        problems += _unrecorded(label, current, rows, floor=floor, baselined=runs)
    problems.sort(key=lambda p: (p.seq, p.object_type, _as_int(p.object_id) or 0))
    return RowCheck(checked=checked, problems=problems)


def _compare(
    label: str,
    expected: Mapping[str, tuple[int, str]],
    current: Mapping[str, str],
) -> list[RowProblem]:
    """The rows whose current state is not what their last entry recorded."""
    problems = []
    for pk, (seq, row) in expected.items():
        actual = current.get(pk)
        if row == ROW_DELETED:
            if actual is not None:
                reason = f"still exists, but entry #{seq} recorded that it was removed"
                problems.append(RowProblem(seq, label, pk, reason))
        elif actual is None:
            reason = f"was deleted with no ledger entry (last entry #{seq})"
            problems.append(RowProblem(seq, label, pk, reason))
        elif actual != row:
            reason = f"differs from what its last entry #{seq} recorded"
            problems.append(RowProblem(seq, label, pk, reason))
    return problems


def _unrecorded(
    label: str,
    current: Iterable[str],
    rows: Mapping[str, tuple[int, str]],
    *,
    floor: int,
    baselined: Sequence[Sequence[int]],
) -> list[RowProblem]:
    """The rows of `current` from `floor` on that no entry records and no baseline
    lists (seq 0: there is no entry)."""
    problems = []
    for pk in current:
        if pk in rows:
            continue
        number = _as_int(pk)
        if number is None or number < floor or _in_runs(number, baselined):
            continue
        reason = "not in the ledger: no entry records this row"
        problems.append(RowProblem(0, label, pk, reason))
    return problems


def baseline_entry(
    *, entry_model: type[models.Model], head: Any, unrecorded: Mapping[str, Any]
) -> Any:
    """The entry (not saved) that exempts `unrecorded` ({object type: pk ranges},
    rows an older database holds without an entry of their own) from the check that
    every audited row has an entry. It is chained like any other, so the list cannot
    be widened later without breaking the chain. Written once, by the migration
    `contest 0003_ledger_rows_baseline`, and only on a database that held such
    rows; a new database starts with every row recorded."""
    entry = entry_model(
        seq=head.last_seq + 1,
        created_at=timezone.now().replace(microsecond=0),
        contest_slug="",
        actor_email="",
        action=BASELINE_ACTION,
        object_type=BASELINE_OBJECT_TYPE,
        object_id=str(head.pk),
        data=_plain({"unrecorded": dict(unrecorded)}),
        row_hash="",
        prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(entry)
    return entry


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
