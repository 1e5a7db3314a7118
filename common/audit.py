"""The audited update every update service makes: apply, validate, save, diff.

The ledger entry itself is the caller's (`contest.ledger.record`, passed in as
`record`), so that this package imports no app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from common.errors import DomainError


def snapshot(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The fields' values, a related row by its key."""
    out = {}
    for name in fields:
        value = getattr(instance, name)
        out[name] = value.pk if hasattr(value, "pk") else value
    return out


def stored(instance: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The row as the database holds it (a bound form may have changed `instance`)."""
    return snapshot(type(instance).objects.get(pk=instance.pk), fields)


def apply_fields(instance: Any, fields: Iterable[str], data: dict[str, Any]) -> None:
    """Set the given values; a field outside `fields` is refused (400, named)."""
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise DomainError(_("This field cannot be changed here."), field=unknown[0])
    for name, value in data.items():
        setattr(instance, name, value)


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


def audited_update(
    instance: Any,
    *,
    fields: list[str],
    data: dict[str, Any],
    before: dict[str, Any],
    record: Callable[[dict[str, Any]], Any],
    check: Callable[[Any], None] | None = None,
    reload: bool = False,
) -> dict[str, Any]:
    """Apply `data` to `instance`, validate it (`full_clean`, then `check`), save it
    and, when a field changed, pass the {field: [old, new]} diff to `record` (the
    caller's ledger entry). `before` is the row as stored, from `stored` or a
    snapshot taken after a locked reload. With `reload`, the diff is taken from the
    row as saved (a decimal "35" reads back as "35.00", so it is not a change).
    Returns the diff."""
    apply_fields(instance, fields, data)
    instance.full_clean()
    if check is not None:
        check(instance)
    instance.save()
    if reload:
        instance.refresh_from_db()
    diff = changes(instance, fields, before)
    if diff:
        record(diff)
    return diff
