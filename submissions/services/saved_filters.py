"""An organizer's saved filters of a contest's screening queue: a name for the
query string's values, kept per organizer and contest."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.guards import require_organizer
from contest.models import Contest
from submissions.models import SavedFilter
from submissions.services._common import User

# The queue's query-string values a saved filter keeps (nothing else is stored).
FILTER_KEYS = ("q", "category", "state", "region_type", "sort")
NAME_MAX = 80
VALUE_MAX = 200
MAX_SAVED = 50


def filter_params(data: Mapping[str, Any]) -> dict[str, str]:
    """The queue's filter values among `data` (a query string or a JSON object),
    without the empty ones."""
    params = {}
    for key in FILTER_KEYS:
        value = data.get(key)
        if value is None or isinstance(value, dict | list):
            continue
        value = str(value).strip()
        if value:
            params[key] = value[:VALUE_MAX]
    return params


@transaction.atomic
def save_filter(
    *, contest: Contest, name: str, params: Mapping[str, Any], by: User
) -> SavedFilter:
    """Keep the filter under `name`; a filter of the same name is replaced.
    Organizer's own view of the queue: no entry changes, so nothing is audited
    and a frozen contest's queue may still be filtered and saved."""
    require_organizer(contest, by)
    name = " ".join((name or "").split())
    if not name:
        raise DomainError(_("Name the filter."), field="name")
    if len(name) > NAME_MAX:
        raise DomainError(
            _("The name is at most %(n)s characters.") % {"n": NAME_MAX},
            field="name",
        )
    values = filter_params(params)
    if not values:
        raise DomainError(_("Choose a filter before saving it."), field="params")
    mine = SavedFilter.objects.select_for_update().filter(contest=contest, owner=by)
    existing = mine.filter(name=name).first()
    if existing is not None:
        existing.params = values
        existing.save(update_fields=["params"])
        return existing
    if mine.count() >= MAX_SAVED:
        raise DomainError(
            _("You can keep at most %(n)s filters; delete one first.")
            % {"n": MAX_SAVED},
            field="name",
            status=409,
        )
    return SavedFilter.objects.create(
        contest=contest, owner=by, name=name, params=values
    )


def delete_filter(*, saved: SavedFilter, by: User) -> None:
    """Only its owner deletes a saved filter (404 for anyone else, who does not
    see it)."""
    if saved.owner_id != getattr(by, "pk", None):
        raise DomainError(_("No such saved filter."), status=404)
    saved.delete()
