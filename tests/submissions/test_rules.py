import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from submissions.enums import SubmissionState
from submissions.rules import allows
from tests.factories.submissions import EvidenceFactory
from tests.submissions.conftest import ROLES, close_window, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState
ALLOWED_ROLES = {
    "view": {"delegate", "organizer", "superuser"},
    "role_delegate": {"delegate"},
    "role_organizer": {"organizer", "superuser"},
}


def _user(request, role):
    if role == "anonymous":
        return AnonymousUser()
    return request.getfixturevalue(role)


def _table(allowed: set[str]):
    return [(role, role in allowed) for role in ROLES]


@pytest.mark.parametrize(("role", "expected"), _table(ALLOWED_ROLES["view"]))
def test_view_submission_truth_table(request, entry, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.view_submission", entry) is expected


@pytest.mark.parametrize(("role", "expected"), _table(ALLOWED_ROLES["view"]))
def test_view_evidence_truth_table(request, evidence, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.view_evidence", evidence) is expected


@pytest.mark.parametrize(("role", "expected"), _table(ALLOWED_ROLES["role_delegate"]))
def test_write_submission_truth_table(request, entry, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.write_submission", entry) is expected


@pytest.mark.parametrize(("role", "expected"), _table(ALLOWED_ROLES["role_organizer"]))
def test_manage_submission_truth_table(request, entry, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.manage_submission", entry) is expected


@pytest.mark.parametrize(("role", "expected"), _table(ALLOWED_ROLES["role_organizer"]))
def test_review_evidence_truth_table(request, evidence, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.change_evidence", evidence) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    _table({"delegate", "other_delegate", "organizer", "superuser"}),
)
def test_list_submissions_truth_table(request, contest, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.list_submissions", contest) is expected


@pytest.mark.parametrize(("role", "expected"), _table({"delegate", "other_delegate"}))
def test_add_submission_truth_table(request, contest, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.add_submission", contest) is expected


@pytest.mark.parametrize(("role", "expected"), _table(ALLOWED_ROLES["role_organizer"]))
def test_screen_submissions_truth_table(request, contest, role, expected):
    user = _user(request, role)

    assert allows(user, "submissions.screen_submissions", contest) is expected


# Edit, submit and remove evidence: the region's delegates, while the entry is open.
OPEN_CASES = [
    # (state, window open, revision deadline in the future, open for changes)
    (S.DRAFT, True, None, True),
    (S.DRAFT, False, None, False),
    (S.SUBMITTED, True, None, False),
    (S.REVISION_REQUESTED, False, True, True),
    (S.REVISION_REQUESTED, True, False, False),
    (S.ELIGIBLE, True, None, False),
    (S.INELIGIBLE, True, None, False),
    (S.WITHDRAWN, True, None, False),
]


def _arrange(entry, contest, state, window_open, deadline_ahead):
    extra = {}
    if deadline_ahead is not None:
        delta = dt.timedelta(days=2) if deadline_ahead else -dt.timedelta(hours=1)
        extra["revision_deadline"] = timezone.now() + delta
    set_state(entry, state, **extra)
    if not window_open:
        close_window(contest)
    entry.refresh_from_db()


@pytest.mark.parametrize("perm", ["change_submission", "submit_submission"])
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "window_open", "deadline_ahead", "open_"), OPEN_CASES
)
def test_edit_and_submit_truth_table(
    request, entry, contest, perm, role, state, window_open, deadline_ahead, open_
):
    _arrange(entry, contest, state, window_open, deadline_ahead)
    user = _user(request, role)

    assert allows(user, f"submissions.{perm}", entry) is (role == "delegate" and open_)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "window_open", "deadline_ahead", "open_"), OPEN_CASES
)
def test_remove_evidence_truth_table(
    request, entry, contest, role, state, window_open, deadline_ahead, open_
):
    evidence = EvidenceFactory(submission=entry)
    _arrange(entry, contest, state, window_open, deadline_ahead)
    user = _user(request, role)

    assert allows(user, "submissions.delete_evidence", evidence) is (
        role == "delegate" and open_
    )


@pytest.mark.parametrize(
    ("role", "state", "window_open", "expected"),
    [
        ("delegate", S.DRAFT, True, True),
        ("delegate", S.DRAFT, False, False),
        ("delegate", S.SUBMITTED, True, False),
        ("delegate", S.REVISION_REQUESTED, True, False),
        ("other_delegate", S.DRAFT, True, False),
        ("organizer", S.DRAFT, True, False),
        ("superuser", S.DRAFT, True, False),
        ("anonymous", S.DRAFT, True, False),
    ],
)
def test_delete_submission_truth_table(
    request, entry, contest, role, state, window_open, expected
):
    _arrange(
        entry,
        contest,
        state,
        window_open,
        True if state == S.REVISION_REQUESTED else None,
    )
    user = _user(request, role)

    assert allows(user, "submissions.delete_submission", entry) is expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "withdrawable"),
    [
        (S.DRAFT, True),
        (S.SUBMITTED, True),
        (S.REVISION_REQUESTED, True),
        (S.ELIGIBLE, True),
        (S.INELIGIBLE, False),
        (S.ADVANCED, False),
        (S.NOT_ADVANCED, False),
        (S.WITHDRAWN, False),
    ],
)
def test_withdraw_submission_truth_table(request, entry, role, state, withdrawable):
    set_state(entry, state)
    user = _user(request, role)

    assert allows(user, "submissions.withdraw_submission", entry) is (
        role == "delegate" and withdrawable
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "deadline_ahead", "screenable"),
    [
        (S.DRAFT, None, False),
        (S.SUBMITTED, None, True),
        (S.REVISION_REQUESTED, True, False),
        (S.REVISION_REQUESTED, False, True),
        (S.ELIGIBLE, None, False),
        (S.INELIGIBLE, None, False),
        (S.WITHDRAWN, None, False),
    ],
)
def test_screen_submission_truth_table(
    request, entry, contest, role, state, deadline_ahead, screenable
):
    _arrange(entry, contest, state, True, deadline_ahead)
    user = _user(request, role)

    assert allows(user, "submissions.screen_submission", entry) is (
        role in ALLOWED_ROLES["role_organizer"] and screenable
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "expected_for_organizers"),
    [
        (S.DRAFT, False),
        (S.SUBMITTED, True),
        (S.ELIGIBLE, False),
        (S.WITHDRAWN, False),
    ],
)
def test_request_revision_truth_table(
    request, entry, role, state, expected_for_organizers
):
    set_state(entry, state)
    user = _user(request, role)

    assert allows(user, "submissions.request_revision_submission", entry) is (
        role in ALLOWED_ROLES["role_organizer"] and expected_for_organizers
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("state", "reopenable"),
    [
        (S.DRAFT, False),
        (S.SUBMITTED, True),
        (S.REVISION_REQUESTED, False),
        (S.ELIGIBLE, True),
        (S.INELIGIBLE, True),
        (S.ADVANCED, False),
        (S.WITHDRAWN, True),
    ],
)
def test_reopen_submission_truth_table(request, entry, role, state, reopenable):
    set_state(entry, state)
    user = _user(request, role)

    assert allows(user, "submissions.reopen_submission", entry) is (
        role in ALLOWED_ROLES["role_organizer"] and reopenable
    )


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        (S.SUBMITTED, False),
        (S.WITHDRAWN, False),
        (S.ELIGIBLE, True),
        (S.INELIGIBLE, True),
    ],
)
def test_reopen_after_the_window_only_undoes_decisions(
    entry, contest, organizer, state, expected
):
    set_state(entry, state)
    close_window(contest)
    entry.refresh_from_db()

    assert allows(organizer, "submissions.reopen_submission", entry) is expected


def test_superuser_passes_djangos_has_perm_but_is_no_delegate(entry, superuser):
    assert superuser.has_perm("submissions.change_submission", entry) is True
    assert allows(superuser, "submissions.change_submission", entry) is False
    assert allows(superuser, "submissions.manage_submission", entry) is True


def test_unassigned_judge_lists_but_cannot_view_entry(entry, contest):
    from judging.models import Judge
    from tests.factories.accounts import UserFactory

    judge = UserFactory()
    Judge.objects.create(contest=contest, user=judge)

    assert judge.has_perm("submissions.view_submission", entry) is False
    assert judge.has_perm("submissions.list_submissions", contest) is True
