"""The judge's assignments page (current work first, "3 of 5 done" per stage, due
dates in the contest's zone) and the scoring page's previous and next entry and
level descriptors, with their API counterparts."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from judging.selectors import assignments_for_judge, judge_neighbours
from judging.selectors.assignments import CLOSED, CURRENT, DONE_OPEN, UPCOMING
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]

MY_ASSIGNMENTS = reverse("judging:my-assignments")


def _stage(contest, name, *, opens_in, closes_in):
    now = timezone.now()
    return OpenStageFactory(
        contest=contest,
        name=name,
        opens=now + dt.timedelta(days=opens_in),
        closes=now + dt.timedelta(days=closes_in),
    )


@pytest.fixture
def workload():
    """One judge: an open stage with five entries (three submitted), a stage that
    opens later and a closed one, one entry each."""
    judge = JudgeFactory()
    contest = judge.contest
    open_stage = _stage(contest, "Desk", opens_in=-3, closes_in=4)
    later = _stage(contest, "Presentasi", opens_in=10, closes_in=20)
    closed = _stage(contest, "Lama", opens_in=-20, closes_in=-10)
    rows = {}
    for title in ("A", "B", "C", "D", "E"):
        rows[title] = AssignmentFactory(
            stage=open_stage,
            judge=judge,
            submission=EligibleSubmissionFactory(contest=contest, title=title),
        )
    for title in ("A", "C", "E"):
        SubmittedSheetFactory(assignment=rows[title])
    rows["later"] = AssignmentFactory(stage=later, judge=judge)
    rows["closed"] = AssignmentFactory(stage=closed, judge=judge)
    return judge, rows


def test_assignments_for_judge_put_current_work_first(workload):
    judge, rows = workload

    listed = list(assignments_for_judge(judge.user))

    assert [a.pk for a in listed] == [
        rows["B"].pk,
        rows["D"].pk,
        rows["later"].pk,
        rows["A"].pk,
        rows["C"].pk,
        rows["E"].pk,
        rows["closed"].pk,
    ]
    assert [a.standing for a in listed] == [
        CURRENT,
        CURRENT,
        UPCOMING,
        DONE_OPEN,
        DONE_OPEN,
        DONE_OPEN,
        CLOSED,
    ]
    assert {(a.stage.name, a.stage_done, a.stage_total) for a in listed} == {
        ("Desk", 3, 5),
        ("Presentasi", 0, 1),
        ("Lama", 0, 1),
    }


def test_assignments_for_judge_count_no_conflicted_entry(workload):
    judge, rows = workload
    DeclaredConflictFactory(judge=judge, submission=rows["B"].submission)

    listed = list(assignments_for_judge(judge.user))

    assert rows["B"].pk not in [a.pk for a in listed]
    assert {a.stage_total for a in listed if a.stage.name == "Desk"} == {4}


def test_assignments_page_shows_groups_progress_and_due_dates(client, workload):
    judge, rows = workload
    stage = rows["B"].stage
    stage.closes = dt.datetime(2031, 8, 25, 15, 0, tzinfo=dt.UTC)
    stage.save()
    client.force_login(judge.user)

    response = client.get(MY_ASSIGNMENTS)

    html = response.content.decode()
    assert html.index("To score now") < html.index("Opening later")
    assert html.index("Opening later") < html.index("Submitted, stage still open")
    assert html.index("Submitted, stage still open") < html.index("Closed stages")
    assert html.count("3 of 5 done") == 5
    assert "25 Aug 2031, 23:00" in html
    assert "WITA" in html
    assert reverse("judging:packs") in html


def _page(client, django_assert_num_queries, stages):
    judge = JudgeFactory()
    for index in range(stages):
        stage = OpenStageFactory(contest=judge.contest)
        for _ in range(2):
            assignment = AssignmentFactory(stage=stage, judge=judge)
        if index:
            SubmittedSheetFactory(assignment=assignment)
    client.force_login(judge.user)
    with django_assert_num_queries(5):
        return client.get(MY_ASSIGNMENTS)


def test_assignments_page_queries_constant_one_stage(client, django_assert_num_queries):
    response = _page(client, django_assert_num_queries, 1)

    assert len(response.context["assignments"]) == 2


def test_assignments_page_queries_constant_three_stages(
    client, django_assert_num_queries
):
    response = _page(client, django_assert_num_queries, 3)

    assert len(response.context["assignments"]) == 6
    assert response.content.decode().count("1 of 2 done") == 4


def test_api_assignments_carry_current_and_stage_progress(api, workload):
    judge, rows = workload
    api.force_authenticate(judge.user)

    response = api.get("/api/v1/assignments/")

    results = response.data["results"]
    assert [r["id"] for r in results[:2]] == [rows["B"].pk, rows["D"].pk]
    assert [r["current"] for r in results] == [True, True] + [False] * 5
    assert (results[0]["stage_done"], results[0]["stage_total"]) == (3, 5)


# ---------------------------------------------------------------- scoring page


def test_judge_neighbours_follow_the_judges_order_in_the_stage(workload):
    _judge, rows = workload

    first = judge_neighbours(rows["A"])
    middle = judge_neighbours(rows["C"])
    last = judge_neighbours(rows["E"])

    assert (first.previous, first.next, first.position, first.total) == (
        None,
        rows["B"].pk,
        1,
        5,
    )
    assert (middle.previous, middle.next) == (rows["B"].pk, rows["D"].pk)
    assert (last.previous, last.next, last.position) == (rows["D"].pk, None, 5)


def test_judge_neighbours_skip_a_conflicted_entry(workload):
    judge, rows = workload
    DeclaredConflictFactory(judge=judge, submission=rows["B"].submission)

    neighbours = judge_neighbours(rows["A"])

    assert neighbours.next == rows["C"].pk
    assert neighbours.total == 4


def test_scoring_page_links_previous_and_next(client, workload):
    judge, rows = workload
    client.force_login(judge.user)

    response = client.get(reverse("judging:sheet", kwargs={"pk": rows["C"].pk}))

    html = response.content.decode()
    previous = reverse("judging:sheet", kwargs={"pk": rows["B"].pk})
    following = reverse("judging:sheet", kwargs={"pk": rows["D"].pk})
    assert f'rel="prev" href="{previous}"' in html
    assert f'rel="next" href="{following}"' in html
    assert "Entry 3 of 5" in html


def test_scoring_page_shows_the_level_descriptors_beside_the_input(
    client, assignment, criteria
):
    criterion = criteria[0]
    criterion.levels = [
        {"score": 2, "description": "Meniru inovasi daerah lain"},
        {"score": 10, "description": "Pertama di Indonesia"},
    ]
    criterion.save()
    client.force_login(assignment.judge.user)

    response = client.get(reverse("judging:sheet", kwargs={"pk": assignment.pk}))

    html = response.content.decode()
    block = html[html.index(f'id="levels-{criterion.pk}"') :]
    block = block[: block.index("</dl>")]
    assert "Meniru inovasi daerah lain" in block
    assert "Pertama di Indonesia" in block
    assert "<details" not in html[html.index("criterion-input") : html.index(block)]


def test_api_sheet_names_previous_and_next(api, workload):
    judge, rows = workload
    api.force_authenticate(judge.user)

    response = api.get(f"/api/v1/assignments/{rows['A'].pk}/sheet/")

    assert response.data["previous"] is None
    assert response.data["next"] == rows["B"].pk


def test_organizer_reads_the_judges_order_too(client, workload):
    from tests.factories.contest import OrganizerFactory

    judge, rows = workload
    organizer = OrganizerFactory(contest=judge.contest).user
    StepCriterionFactory(stage=rows["B"].stage)
    client.force_login(organizer)

    response = client.get(reverse("judging:sheet", kwargs={"pk": rows["B"].pk}))

    assert response.context["neighbours"].previous == rows["A"].pk
    assert response.context["neighbours"].next == rows["C"].pk
