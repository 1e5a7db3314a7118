"""The contest-scoped view mixins of `common.views`, bound to the Contest rows."""

from __future__ import annotations

from common.views import (
    ContestScopedMixin,
    ContestZoneMixin,
    ServiceFormMixin,
    object_or_404,
)
from contest.enums import ContestTimezone
from contest.selectors import contests_visible_to

__all__ = [
    "ContestMixin",
    "ContestPermissionMixin",
    "ContestTimezoneMixin",
    "ServiceFormMixin",
    "object_or_404",
]


class ContestMixin(ContestScopedMixin):
    """The contest among those the user may see; 404 for any other."""

    def get_contest_queryset(self):
        return contests_visible_to(self.request.user)


class ContestPermissionMixin(ContestMixin):
    """Checks `permission_required` against the contest (403 when it is visible)."""

    contest_permission = True


class ContestTimezoneMixin(ContestZoneMixin):
    """A contest form's dates read in the zone it chooses (the posted `timezone`),
    else the contest's; WIB for a contest not made yet."""

    def get_timezone_name(self) -> str:
        chosen = self.request.POST.get("timezone")
        if chosen in ContestTimezone.values:
            return chosen
        contest = getattr(self, "contest", None)
        return contest.timezone if contest is not None else ContestTimezone.WIB
