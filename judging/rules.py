"""Who may do what in judging.

Most predicates take an assignment; a score sheet stands for its assignment and a
conflict of interest for its judge's contest. Two layers, as in submissions: the
`can_*` predicates combine the role with the stage's window and the sheet's state (what
the pages offer); `can_write_sheet` is the role alone, which the API and the POST
handlers check before calling a service that answers a closed window or a submitted
sheet with a 409 saying why.
"""

from __future__ import annotations

import rules
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef

from contest.enums import PeerScoreVisibility
from contest.rules import contest_of, is_contest_organizer, is_judge_of, role_cache
from judging.conflicts import judge_rule
from judging.enums import ConflictSource, SheetState
from submissions.rules import register_entry_reader


def assignment_of(obj):
    """The assignment of a score sheet, or the object itself."""
    if obj is None:
        return None
    if hasattr(obj, "assignment_id"):
        return obj.assignment
    return obj


def sheet_of(assignment):
    """The assignment's score sheet, or None when the judge has not saved one yet."""
    if assignment is None:
        return None
    try:
        return assignment.sheet
    except ObjectDoesNotExist:
        return None


def _contest_of(obj):
    """The contest of a sheet, assignment, conflict, judge, stage or contest."""
    obj = assignment_of(obj)
    if obj is None:
        return None
    if hasattr(obj, "judge_id") and not hasattr(obj, "stage_id"):
        return obj.judge.contest
    return contest_of(obj)


@rules.predicate
def is_organizer(user, obj) -> bool:
    contest = _contest_of(obj)
    return contest is not None and is_contest_organizer.test(user, contest)


@rules.predicate
def is_assigned_judge(user, obj) -> bool:
    assignment = assignment_of(obj)
    return (
        assignment is not None
        and user.is_authenticated
        and assignment.judge.user_id == user.pk
    )


@rules.predicate
def is_own_judge(user, obj) -> bool:
    """For a conflict of interest or a judge: the user is that judge."""
    judge = getattr(obj, "judge", obj)
    return judge is not None and user.is_authenticated and judge.user_id == user.pk


@rules.predicate
def is_stage_open(user, obj) -> bool:
    assignment = assignment_of(obj)
    return assignment is not None and assignment.stage.is_open()


@rules.predicate
def has_conflict(user, obj) -> bool:
    """The assignment's judge has a conflict of interest with its entry.

    Selectors annotate `conflicted`; without it, the database is asked.
    """
    assignment = assignment_of(obj)
    if assignment is None:
        return False
    flag = getattr(assignment, "conflicted", None)
    if flag is None:
        flag = (
            type(assignment)
            .objects.filter(pk=assignment.pk)
            .with_conflict_flag()
            .filter(conflicted=True)
            .exists()
        )
        assignment.conflicted = flag
    return bool(flag)


@rules.predicate
def is_sheet_submitted(user, obj) -> bool:
    sheet = sheet_of(assignment_of(obj))
    return sheet is not None and sheet.state == SheetState.SUBMITTED


@rules.predicate
def peers_visible_after_submit(user, obj) -> bool:
    assignment = assignment_of(obj)
    return (
        assignment is not None
        and assignment.stage.peer_scores_visible == PeerScoreVisibility.AFTER_SUBMIT
    )


@rules.predicate
def is_assigned_to_submission(user, submission) -> bool:
    """The user judges this entry at some stage, without a conflict of interest:
    judging's entry reader (`judged_entries`) for one entry, cached per contest."""
    if submission is None or not user.is_authenticated:
        return False
    key = ("judging_assigned", submission.contest_id)
    cache = role_cache(user)
    if key not in cache:
        mine = type(submission).objects.filter(contest_id=submission.contest_id)
        cache[key] = frozenset(judged_entries(mine, user).values_list("pk", flat=True))
    return submission.pk in cache[key]


def judged_entries(entries, user):
    """The entries among `entries` that the user judges at some stage of their
    contest without a conflict of interest; registered as submissions' entry reader,
    so assigned judges read an entry and its evidence. The Assignment model is
    looked up by name (the models import this module); adds no query of its own."""
    if not user.is_authenticated:
        return entries.none()
    mine = (
        apps.get_model("judging", "Assignment")
        .objects.filter(
            judge__user_id=user.pk,
            judge__contest_id=OuterRef("contest_id"),
            submission_id=OuterRef("pk"),
        )
        .without_conflict()
    )
    return entries.filter(Exists(mine))


register_entry_reader(judged_entries)

can_write_sheet = is_assigned_judge & ~has_conflict
can_score = is_assigned_judge & is_stage_open & ~has_conflict & ~is_sheet_submitted
can_view_sheet = (is_assigned_judge & ~has_conflict) | is_organizer
can_see_peer_scores = is_organizer | (
    is_assigned_judge & ~has_conflict & peers_visible_after_submit & is_sheet_submitted
)
can_declare_conflict = is_assigned_judge
can_reopen_sheet = is_organizer & is_sheet_submitted
can_remove_assignment = is_organizer & ~is_sheet_submitted
can_view_conflict = is_organizer | is_own_judge

# Contest-level permissions (checked against the contest).
rules.add_perm("judging.manage_judging", is_contest_organizer)
rules.add_perm("judging.declare_conflict", is_contest_organizer | is_judge_of)
# An organizer's message to a group of the contest's people, and the contest's own
# e-mail texts (judging.services.messages and .templates).
rules.add_perm("judging.send_messages", is_contest_organizer)
rules.add_perm("judging.edit_templates", is_contest_organizer)


# ---------------------------------------------------------------- prepared files


@rules.predicate
def is_stage_judge(user, stage) -> bool:
    """The user has an assignment in this stage on an entry without a conflict."""
    if stage is None or not user.is_authenticated:
        return False
    return (
        apps.get_model("judging", "Assignment")
        .objects.filter(stage_id=stage.pk, judge__user_id=user.pk)
        .without_conflict()
        .exists()
    )


@rules.predicate
def is_pack_requester(user, pack) -> bool:
    return (
        pack is not None and user.is_authenticated and pack.requested_by_id == user.pk
    )


@rules.predicate
def is_pack_in_judge_scope(user, pack) -> bool:
    """Everything in the file is still the user's to read: the entry of a PDF is
    assigned to them without a conflict; a ZIP was made for them and each of its
    entries is still one of their assignments in the stage without a conflict (a
    conflict declared after the file was made takes the file away)."""
    if pack is None or not user.is_authenticated:
        return False
    if pack.submission_id is not None and pack.stage_id is None:
        return is_assigned_to_submission.test(user, pack.submission)
    if pack.judge_id is None or pack.judge.user_id != user.pk:
        return False
    mine = set(
        apps.get_model("judging", "Assignment")
        .objects.filter(stage_id=pack.stage_id, judge_id=pack.judge_id)
        .without_conflict()
        .values_list("submission_id", flat=True)
    )
    return set(pack.entry_ids) <= mine


can_request_entry_pdf = is_organizer | is_assigned_to_submission
can_request_stage_zip = is_organizer | is_stage_judge
can_view_pack = is_organizer | (is_pack_requester & is_pack_in_judge_scope)

rules.add_perm("judging.request_entry_pdf", can_request_entry_pdf)
rules.add_perm("judging.request_stage_zip", can_request_stage_zip)
rules.add_perm("judging.view_pack", can_view_pack)


# ---------------------------------------------------------------- indicator validation


def _judge_of_user(user, contest_id: int):
    if not user.is_authenticated:
        return None
    return (
        apps.get_model("judging", "Judge")
        .objects.filter(contest_id=contest_id, user_id=user.pk)
        .first()
    )


@rules.predicate
def is_validator(user, validation) -> bool:
    """The user gave the validation's verdict."""
    judge = validation.validated_by if validation is not None else None
    return judge is not None and user.is_authenticated and judge.user_id == user.pk


@rules.predicate
def is_validation_stage_judge(user, validation) -> bool:
    return validation is not None and is_stage_judge.test(user, validation.stage)


@rules.predicate
def is_conflicted_with_validated_entry(user, validation) -> bool:
    """The user, as a judge of the contest, has a conflict of interest with the
    validated entry: derived from the regions (home, delegate roles) or declared."""
    if validation is None:
        return False
    submission = validation.submission
    judge = _judge_of_user(user, submission.contest_id)
    if judge is None:
        return False
    homes = user.delegate_roles.filter(contest_id=submission.contest_id).values_list(
        "region_id", flat=True
    )
    if judge_rule(judge.home_region_id, list(homes), submission.region_id):
        return True
    return judge.conflicts.filter(
        submission=submission, source=ConflictSource.DECLARED
    ).exists()


can_validate = is_assigned_judge & ~has_conflict
# Quality control of a sampled validation: never the one who gave it; an
# organizer, or another judge of the stage who is not conflicted with the entry.
can_review_qc = ~is_validator & (
    is_organizer | (is_validation_stage_judge & ~is_conflicted_with_validated_entry)
)
# The validation pages and API of an indicator stage: its organizers and judges
# (each judge then sees only their own assigned entries).
rules.add_perm("judging.validate_indicators", is_contest_organizer | is_judge_of)
