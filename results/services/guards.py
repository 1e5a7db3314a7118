"""What every results write checks first: the organizer, the contest's row lock."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest.models import Contest
from contest.rules import is_contest_organizer

User = get_user_model()

# ---------------------------------------------------------------- guards


def _when(contest: Contest, value) -> str:
    local = timezone.localtime(value, contest.tzinfo)
    return f"{formats.date_format(local, 'j F Y, H:i')} {contest.timezone_abbreviation}"


def _require_organizer(contest: Contest, by: User | None) -> None:
    if by is None or not is_contest_organizer.test(by, contest):
        raise DomainError(_("Only the contest's organizers may do this."), status=403)


def _lock(contest: Contest) -> Contest:
    """Lock the contest's row: publications, awards and decisions of one contest
    are made one at a time, across processes."""
    return Contest.objects.select_for_update().get(pk=contest.pk)
