"""The declarative form apps register their audited models in: a table of `Rows`
(model, fields, the path from a row to its contest, children) and `ChildrenOf`
(children a higher app adds to a lower app's row), handed to `register_rows` from
the app's AppConfig.ready()."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from operator import attrgetter
from typing import Any

from django.db import models

from contest.ledger.rows import RelatedState, add_related, children, register


@dataclass(frozen=True)
class Children:
    """The child rows of `model` hashed with their parent's state: `parent` is the
    lookup from a child to the parent (`judge`, `stage__contest`), `values` the
    child's columns, `where` any further filter. A related state (see
    `rows.Audited`): called with a queryset of parents, answers {parent id:
    [[value, ...], ...]} in one query."""

    model: type[models.Model]
    parent: str
    values: Sequence[str]
    where: Mapping[str, Any] = field(default_factory=dict)

    def __call__(self, parents: models.QuerySet) -> dict[Any, list[list[Any]]]:
        rows = self.model._default_manager.filter(
            **{f"{self.parent}__in": parents}, **self.where
        )
        return children(rows, f"{self.parent}_id", self.values)


@dataclass(frozen=True)
class Rows:
    """An audited model: the `fields` each entry about one of its rows hashes, the
    dotted path from a row to its contest (`stage.contest`; "" when the row is the
    contest) and its `related` children by name."""

    model: type[models.Model]
    fields: Sequence[str]
    contest: str
    related: Mapping[str, RelatedState] = field(default_factory=dict)
    added_later: Sequence[str] = ()


@dataclass(frozen=True)
class ChildrenOf:
    """Children a higher app's rows add to a lower app's registered model (a
    contest's stage weights)."""

    model: type[models.Model]
    name: str
    state: RelatedState


def _itself(row: Any) -> Any:
    return row


def register_rows(table: Iterable[Rows | ChildrenOf]) -> None:
    """Register each model of `table` with the ledger, in order."""
    for item in table:
        if isinstance(item, ChildrenOf):
            add_related(item.model, item.name, item.state)
            continue
        register(
            item.model,
            fields=item.fields,
            related=item.related,
            contest_of=attrgetter(item.contest) if item.contest else _itself,
            added_later=item.added_later,
        )
