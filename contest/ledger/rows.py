"""The rows: the registry of audited models and their fields, the hash of a row's
stored state, the entry for a deletion nobody recorded, the check of every audited
row against its last entry (`verify_rows`) and the baseline of an older database."""

from __future__ import annotations

import bisect
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import pre_delete
from django.utils import timezone

from contest.ledger.chain import (
    _append_many,
    _Pending,
    _plain,
    canonical_json,
    entry_hash,
)
from contest.models import AuditEntry

ROW_DELETED = "deleted"


REMOVAL_SUFFIXES = ("removed", "deleted")


BASELINE_ACTION = "ledger.rows_baselined"


BASELINE_OBJECT_TYPE = "contest.ledgerhead"


RelatedState = Callable[[models.QuerySet], Mapping[Any, Any]]


@dataclass(frozen=True)
class Audited:
    """What of a model's rows the ledger hashes: `fields` (column names) and, for
    each name of `related`, a function from a queryset of the rows to {pk: value}."""

    model: type[models.Model]
    fields: tuple[str, ...]
    related: dict[str, RelatedState] = field(default_factory=dict)
    contest_of: Callable[[Any], Any] | None = None
    # {column: default} of the columns added after rows were first hashed: left out
    # of a row's state while they hold their default, so an older row's hash (made
    # without them) still matches, and any change to them still shows.
    later: dict[str, Any] = field(default_factory=dict)

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
    added_later: Sequence[str] = (),
) -> None:
    """Audit `model`'s rows: hash `fields` (and `related`) in each entry about one.
    `contest_of(instance)` names the contest of an entry written for a deletion
    nobody recorded (a cascade). Registering a model again replaces its fields.
    `added_later` names fields (also in `fields`) added to the model after its rows
    were first hashed: see `Audited.later`."""
    columns = tuple(model._meta.get_field(name).attname for name in fields)
    later = {}
    for name in added_later:
        model_field = model._meta.get_field(name)
        later[model_field.attname] = model_field.get_default()
    label = model._meta.label_lower
    previous = _REGISTRY.get(label)
    merged = dict(previous.related) if previous else {}
    merged.update(related or {})
    _REGISTRY[label] = Audited(
        model=model,
        fields=columns,
        related=merged,
        contest_of=contest_of or (previous.contest_of if previous else None),
        later=later,
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
        later=spec.later,
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
        for column, default in spec.later.items():
            if row.get(column) == default:
                del row[column]
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


def _is_removal(action: str) -> bool:
    return action.endswith(REMOVAL_SUFFIXES)


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
