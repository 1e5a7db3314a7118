"""Who may do what with entries and their evidence.

Two layers: the `can_*` predicates combine the role with the entry's state and the
contest's window (what the pages offer); `is_region_delegate` and `is_contest_organizer`
alone are the role checks the API and the POST handlers make before calling a service,
which then answers a closed window or a wrong state with a 409 that says why.
Judges read the entries they are assigned to without a conflict of interest: that
rule is judging's, which registers it here as an entry reader
(`register_entry_reader`), so this app never imports judging (the apps' imports flow
one way: contest <- submissions <- judging) and holds no copy of its conflict rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import rules
from django.db.models import Q, QuerySet
from django.utils import timezone

from contest.rules import is_contest_organizer, is_delegate_of, is_judge_of, role_cache
from submissions.enums import (
    EDITABLE_STATES,
    REOPEN_TARGETS,
    SCREENABLE_STATES,
    WITHDRAWABLE_STATES,
    SubmissionState,
)


def delegate_region_ids(user, contest_id: int) -> frozenset[str]:
    """The regions the user is a delegate of in one contest (cached on the user)."""
    if not user.is_authenticated:
        return frozenset()
    key = ("delegate_regions", contest_id)
    cache = role_cache(user)
    if key not in cache:
        cache[key] = frozenset(
            user.delegate_roles.filter(contest_id=contest_id).values_list(
                "region_id", flat=True
            )
        )
    return cache[key]


def revision_open(submission, at: dt.datetime | None = None) -> bool:
    at = at or timezone.now()
    return (
        submission.state == SubmissionState.REVISION_REQUESTED
        and submission.revision_deadline is not None
        and at < submission.revision_deadline
    )


def open_for_changes(submission, at: dt.datetime | None = None) -> bool:
    """Delegates may change the entry (fields, evidence) and submit it: a draft while
    the contest's window is open, or an entry sent back for revision before its
    deadline; never once the contest is frozen (its final results published)."""
    if submission.contest.is_frozen:
        return False
    if submission.state == SubmissionState.DRAFT:
        return submission.contest.submission_window_open(at)
    return revision_open(submission, at)


@rules.predicate
def is_region_delegate(user, submission) -> bool:
    if submission is None:
        return False
    return submission.region_id in delegate_region_ids(user, submission.contest_id)


@rules.predicate
def is_open_for_changes(user, submission) -> bool:
    return submission is not None and open_for_changes(submission)


@rules.predicate
def is_contest_unfrozen(user, submission) -> bool:
    """The contest's final results are not published yet (nothing is frozen)."""
    return submission is not None and not submission.contest.is_frozen


@rules.predicate
def is_deletable(user, submission) -> bool:
    return (
        submission is not None
        and submission.state == SubmissionState.DRAFT
        and submission.contest.submission_window_open()
    )


@rules.predicate
def is_withdrawable(user, submission) -> bool:
    return submission is not None and submission.state in WITHDRAWABLE_STATES


@rules.predicate
def is_awaiting_screening(user, submission) -> bool:
    if submission is None or submission.state not in SCREENABLE_STATES:
        return False
    return not revision_open(submission)


@rules.predicate
def is_submitted(user, submission) -> bool:
    return submission is not None and submission.state == SubmissionState.SUBMITTED


@rules.predicate
def is_reopenable(user, submission) -> bool:
    """A screening decision can always be undone; back to draft only in the window."""
    if submission is None or submission.state not in REOPEN_TARGETS:
        return False
    if REOPEN_TARGETS[submission.state] == SubmissionState.DRAFT:
        return submission.contest.submission_window_open()
    return True


@rules.predicate
def is_in_editable_state(user, submission) -> bool:
    return submission is not None and submission.state in EDITABLE_STATES


# The apps above that let more users read an entry register a reader here: judging
# registers the judges assigned to the entry without a conflict of interest (the rule
# is judging's, in judging/rules.py). A reader takes a queryset of entries and a user
# and answers the entries among them that the user may read.
EntryReader = Callable[[QuerySet, Any], QuerySet]
_entry_readers: list[EntryReader] = []


def register_entry_reader(reader: EntryReader) -> EntryReader:
    """Let the users `reader` names read those entries (and their evidence); an app
    above calls it when it loads, so this app imports nothing above it."""
    if reader not in _entry_readers:
        _entry_readers.append(reader)
    return reader


def judged_entries(entries: QuerySet, user) -> QuerySet:
    """The entries among `entries` that an app above lets the user read: those the
    user judges at some stage of their contest without a conflict of interest
    (the reader judging registers)."""
    if not _entry_readers:
        return entries.none()
    if len(_entry_readers) == 1:
        return _entry_readers[0](entries, user)
    granted = Q()
    for reader in _entry_readers:
        granted |= Q(pk__in=reader(entries, user).values("pk"))
    return entries.filter(granted)


@rules.predicate
def is_assigned_judge(user, submission) -> bool:
    """The user judges this entry at some stage, without a conflict of interest
    (`judged_entries`: what judging registered)."""
    if submission is None or not user.is_authenticated:
        return False
    key = ("judged_entries", submission.contest_id)
    cache = role_cache(user)
    if key not in cache:
        mine = type(submission).objects.filter(contest_id=submission.contest_id)
        cache[key] = frozenset(judged_entries(mine, user).values_list("pk", flat=True))
    return submission.pk in cache[key]


can_create_submission = is_delegate_of
can_list_submissions = is_delegate_of | is_contest_organizer | is_judge_of
can_view_submission = is_region_delegate | is_contest_organizer | is_assigned_judge
can_edit_submission = is_region_delegate & is_open_for_changes
can_submit_submission = is_region_delegate & is_open_for_changes
can_delete_submission = is_region_delegate & is_contest_unfrozen & is_deletable
can_withdraw_submission = is_region_delegate & is_contest_unfrozen & is_withdrawable
can_screen_submission = (
    is_contest_organizer & is_contest_unfrozen & is_awaiting_screening
)
can_request_revision = is_contest_organizer & is_contest_unfrozen & is_submitted
can_reopen_submission = is_contest_organizer & is_contest_unfrozen & is_reopenable


@rules.predicate
def can_view_evidence(user, evidence) -> bool:
    return evidence is not None and can_view_submission.test(user, evidence.submission)


@rules.predicate
def can_remove_evidence(user, evidence) -> bool:
    return evidence is not None and can_edit_submission.test(user, evidence.submission)


@rules.predicate
def can_review_evidence(user, evidence) -> bool:
    return evidence is not None and is_contest_organizer.test(user, evidence.submission)


def allows(user, perm: str, obj=None) -> bool:
    """The predicate's own verdict. `user.has_perm` grants an active superuser every
    permission before asking `rules`; a superuser organizes every contest but is no
    region's delegate, so the pages ask this instead."""
    return rules.has_perm(perm, user, obj)


ENTRY_ACTIONS = [
    "change",
    "submit",
    "withdraw",
    "delete",
    "screen",
    "request_revision",
    "reopen",
    "manage",
]


def entry_abilities(user, submission) -> dict[str, bool]:
    """What the pages offer the user for one entry: {"change": True, ...}."""
    return {
        name: allows(user, f"submissions.{name}_submission", submission)
        for name in ENTRY_ACTIONS
    }


# Contest-level permissions (checked against the contest).
rules.add_perm("submissions.list_submissions", can_list_submissions)
rules.add_perm("submissions.screen_submissions", is_contest_organizer)
# An entry's API routes ask only this of its contest: the entry itself is then found
# among those the user may know of (404 for anyone else, as on its pages) and the
# action is asked of it (403).
rules.add_perm("submissions.look_up_submission", rules.is_authenticated)
# An entry's answers to an indicator stage (submissions.services.indicators): its
# region's delegates answer them, the organizers read them.
rules.add_perm("submissions.view_indicators", is_region_delegate | is_contest_organizer)
rules.add_perm("submissions.answer_indicators", is_region_delegate)
