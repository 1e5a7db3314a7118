"""Guards every write service calls, so a rule holds whatever path a change takes."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from common.errors import DomainError


def ensure_not_frozen(contest: Any) -> None:
    """Refuse (409) any write to a contest whose final results are published.

    `Contest.frozen_at` is set by the final publication in the same transaction;
    pass the contest row the caller has (locked or not), never a stale copy.
    """
    if contest is not None and contest.frozen_at is not None:
        raise DomainError(
            _("The results are published; this contest no longer changes."),
            status=409,
        )


def require_organizer(contest: Any, by: Any) -> None:
    """Refuse (403) anyone but the contest's organizers (and superusers)."""
    if by is None or not by.has_perm("contest.manage_contest", contest):
        raise DomainError(_("Only the contest's organizers may do this."), status=403)
