import pytest

from contest.demo import load_demo_contest
from contest.models import AuditEntry
from judging import selectors
from judging.demo import load_demo_judges, load_demo_judging
from judging.enums import SheetState
from judging.models import Assignment, ScoreSheet
from submissions.demo import load_demo_submissions

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def demo(regions):
    contest = load_demo_contest()
    load_demo_submissions(contest)
    load_demo_judges(contest)
    return contest


def test_load_demo_judging_assigns_and_submits_the_desk_evaluation(demo):
    submitted = load_demo_judging(demo)

    stage = demo.stages.get(order=2)
    entries = list(selectors.stage_entries(stage))
    assert submitted == 3 * len(entries)
    assert ScoreSheet.objects.filter(state=SheetState.SUBMITTED).count() == submitted
    for entry in entries:
        assert stage.assignments.filter(submission=entry).count() == 3
    conflicted = selectors.with_conflict_flag(Assignment.objects.all()).filter(
        conflicted=True
    )
    assert not conflicted.exists()
    assert [row.submission.title for row in selectors.flagged_entries(stage)] == [
        "Gerakan Menuju Smart City Buleleng"
    ]
    assert AuditEntry.objects.filter(action="sheet.submitted").count() == submitted


def test_load_demo_judging_twice_changes_nothing(demo):
    load_demo_judging(demo)
    sheets = list(ScoreSheet.objects.values_list("pk", "version"))
    entries = AuditEntry.objects.count()

    again = load_demo_judging(demo)

    assert again == 0
    assert list(ScoreSheet.objects.values_list("pk", "version")) == sheets
    assert AuditEntry.objects.count() == entries


def test_load_demo_judging_without_eligible_entries_does_nothing(regions):
    contest = load_demo_contest()
    load_demo_judges(contest)

    assert load_demo_judging(contest) == 0
    assert not Assignment.objects.exists()
