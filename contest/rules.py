"""Who may do what with contests, their set-up and their roles."""

from __future__ import annotations

import rules


def contest_of(obj):
    """The contest of an object: a contest, or anything with .contest or .stage."""
    if obj is None:
        return None
    if hasattr(obj, "submission_opens"):
        return obj
    if hasattr(obj, "contest_id"):
        return obj.contest
    if hasattr(obj, "stage_id"):
        return obj.stage.contest
    return None


def role_cache(user) -> dict:
    """What the predicates learnt of this user's roles, kept on the user object for
    the request (a page asks the same role of many rows)."""
    cache = getattr(user, "_contest_role_cache", None)
    if cache is None:
        cache = {}
        user._contest_role_cache = cache
    return cache


@rules.predicate
def is_superuser(user) -> bool:
    return bool(user and user.is_active and user.is_superuser)


@rules.predicate
def may_create_contests(user) -> bool:
    return bool(user and user.is_authenticated and user.can_create_contests)


def _has_role(user, obj, people: str) -> bool:
    """The user is among the contest's `people` (its organizers, delegates or
    judges: a reverse relation, so a higher app's rows are read without importing
    it); asked once per contest and request."""
    contest = contest_of(obj)
    if contest is None or not user.is_authenticated or not hasattr(contest, people):
        return False
    key = (people, contest.pk)
    cache = role_cache(user)
    if key not in cache:
        cache[key] = getattr(contest, people).filter(user_id=user.pk).exists()
    return cache[key]


@rules.predicate
def is_organizer_of(user, obj) -> bool:
    return _has_role(user, obj, "organizers")


@rules.predicate
def is_delegate_of(user, obj) -> bool:
    return _has_role(user, obj, "delegates")


@rules.predicate
def is_judge_of(user, obj) -> bool:
    """True when the user judges in the contest (the judging app owns Judge)."""
    return _has_role(user, obj, "judges")


@rules.predicate
def is_public_contest(user, obj) -> bool:
    contest = contest_of(obj)
    return bool(contest is not None and contest.is_public)


is_contest_organizer = is_superuser | is_organizer_of
can_create_contest = is_superuser | may_create_contests
can_view_contest = (
    is_public_contest | is_contest_organizer | is_delegate_of | is_judge_of
)
# The contest's outbox log (what was sent to whom, why it failed) and its retry.
can_view_notifications = is_contest_organizer

rules.add_perm("contest.create_contest", can_create_contest)
rules.add_perm("contest.manage_contest", is_contest_organizer)
rules.add_perm("contest.invite_delegate", is_contest_organizer)
rules.add_perm("contest.read_rubric", is_contest_organizer | is_judge_of)
rules.add_perm(
    "contest.read_questions", is_contest_organizer | is_delegate_of | is_judge_of
)
rules.add_perm("contest.view_notifications", can_view_notifications)

# A contest's life beyond its set-up (contest/lifecycle.py). Django's own
# `contest.delete_contest` stays the admin's (superusers); deleting a contest that
# has no entries yet is the organizers' (`contest.remove_contest`). Cloning reads
# the contest's set-up and creates a contest, so it takes both rights.
can_manage_creators = is_superuser
can_remove_contest = is_contest_organizer
can_clone_contest = is_superuser | (is_organizer_of & may_create_contests)

rules.add_perm("contest.manage_creators", can_manage_creators)
rules.add_perm("contest.manage_organizers", is_contest_organizer)
rules.add_perm("contest.remove_contest", can_remove_contest)
rules.add_perm("contest.clone_contest", can_clone_contest)

# Requests to join a contest as a region's delegate (contest/joining.py): any
# signed-in user without a region there asks; the organizers decide.
can_request_to_join = rules.is_authenticated & ~is_delegate_of
rules.add_perm("contest.request_to_join", can_request_to_join)
rules.add_perm("contest.decide_join_requests", is_contest_organizer)
# The list holds the user's own requests (an organizer's: all of the contest's).
rules.add_perm("contest.list_join_requests", rules.is_authenticated)
