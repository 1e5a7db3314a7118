"""What every results write takes first: the contest's row lock (the organizer check
is `common.guards.require_organizer`)."""

from __future__ import annotations

from contest.models import Contest


def _lock(contest: Contest) -> Contest:
    """Lock the contest's row: publications, awards and decisions of one contest
    are made one at a time, across processes."""
    return Contest.objects.select_for_update().get(pk=contest.pk)
