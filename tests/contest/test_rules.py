import pytest

from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory

pytestmark = [pytest.mark.django_db]

ROLES = [
    "anonymous",
    "delegate",
    "other_organizer",
    "organizer",
    "superuser",
    "creator",
]


def _user(request, role):
    if role == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return request.getfixturevalue(role)


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("delegate", False),
        ("other_organizer", False),
        ("organizer", True),
        ("superuser", True),
        ("creator", False),
    ],
)
def test_manage_contest_truth_table(request, contest, role, expected):
    user = _user(request, role)

    assert user.has_perm("contest.manage_contest", contest) is expected


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", False),
        ("delegate", False),
        ("other_organizer", False),
        ("organizer", False),
        ("superuser", True),
        ("creator", True),
    ],
)
def test_create_contest_truth_table(request, contest, role, expected):
    user = _user(request, role)

    assert user.has_perm("contest.create_contest") is expected


@pytest.mark.parametrize(
    ("role", "public", "expected"),
    [
        ("anonymous", True, True),
        ("anonymous", False, False),
        ("delegate", False, True),
        ("other_organizer", False, False),
        ("organizer", False, True),
        ("superuser", False, True),
    ],
)
def test_view_contest_truth_table(request, contest, role, public, expected):
    contest.is_public = public
    contest.save()
    user = _user(request, role)

    assert user.has_perm("contest.view_contest", contest) is expected


def test_view_contest_allows_judge_of_private_contest():
    from judging.models import Judge

    contest = ContestFactory(is_public=False)
    user = UserFactory()
    Judge.objects.create(contest=contest, user=user)

    assert user.has_perm("contest.view_contest", contest) is True
    assert user.has_perm("contest.read_rubric", contest) is True
    assert user.has_perm("contest.manage_contest", contest) is False
