"""The set-up checklist on the contest's set-up page (contest.checklist, with the
lines judging and results register): each gap in words with the link where it is
fixed, "ready to open" when nothing is missing, and a constant number of queries."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from contest.enums import StageKind
from contest.models import Stage
from tests.factories.contest import (
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    DelegateFactory,
    OrganizerFactory,
    StageFactory,
)
from tests.factories.judging import JudgeFactory

pytestmark = [pytest.mark.django_db]

DAY = dt.timedelta(days=1)


def ready_contest(*, size: int = 1):
    """A contest with nothing missing: `size` categories, a screening stage after
    submissions close, `size` scoring stages after it with a criterion each, a
    judge on every panel (as many as a stage asks per entry) and `size` delegates."""
    contest = ContestFactory()
    start = contest.submission_closes
    StageFactory(
        contest=contest,
        order=1,
        kind=StageKind.SCREENING,
        opens=start,
        closes=start + DAY,
    )
    for i in range(size):
        CategoryFactory(contest=contest)
        stage = StageFactory(
            contest=contest,
            order=i + 2,
            opens=start + (2 * i + 1) * DAY,
            closes=start + (2 * i + 2) * DAY,
            judges_per_entry=1,
        )
        CriterionFactory(stage=stage)
        JudgeFactory(contest=contest)
        DelegateFactory(contest=contest)
    return contest


def setup_page(client, contest):
    user = OrganizerFactory(contest=contest).user
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client.get(reverse("contest:setup", kwargs={"slug": contest.slug}))


def gaps_of(response) -> list[str]:
    return [gap.key for gap in response.context["gaps"]]


def link_of(response, key: str) -> str:
    gap = next(gap for gap in response.context["gaps"] if gap.key == key)
    return gap.url


def test_checklist_of_empty_contest_lists_each_gap_with_its_link(client):
    contest = ContestFactory()

    response = setup_page(client, contest)

    html = response.content.decode()
    assert gaps_of(response) == ["no_category", "no_scoring_stage", "no_delegates"]
    slug = contest.slug
    assert f'<a href="/manage/{slug}/categories/new/">Add a category</a>' in html
    assert f'<a href="/manage/{slug}/stages/new/">Add a stage</a>' in html
    assert f'<a href="/manage/{slug}/delegates/">Invite delegates</a>' in html
    assert "The contest has no category" in html
    assert "3 things are missing before the contest can open" in html
    assert "Ready to open." not in html


def test_checklist_of_complete_contest_says_ready(client):
    contest = ready_contest()

    response = setup_page(client, contest)

    assert gaps_of(response) == []
    html = response.content.decode()
    assert "Ready to open." in html
    assert "data-gap=" not in html


def test_checklist_names_scoring_stage_without_criteria(client):
    contest = ready_contest()
    bare = StageFactory(
        contest=contest,
        order=9,
        name="Presentasi",
        opens=contest.submission_closes + 20 * DAY,
        closes=contest.submission_closes + 21 * DAY,
        judges_per_entry=1,
    )

    response = setup_page(client, contest)

    assert gaps_of(response) == ["rubric"]
    assert link_of(response, "rubric") == reverse(
        "judging:rubric", kwargs={"slug": contest.slug, "stage_pk": bare.pk}
    )
    assert "The stage “Presentasi” has no criteria to score." in (
        response.content.decode()
    )


def test_checklist_names_category_whose_panel_has_no_judge(client):
    contest = ready_contest(size=2)
    first, second = contest.categories.order_by("pk")
    for judge in contest.judges.all():
        judge.panels.set([first])
    first.name, second.name = "Kesehatan", "Pendidikan"
    first.save()
    second.save()

    response = setup_page(client, contest)

    assert gaps_of(response) == ["panel"]
    assert link_of(response, "panel") == reverse(
        "judging:panels", kwargs={"slug": contest.slug}
    )
    html = response.content.decode()
    assert "The panel of the category “Pendidikan” has no judges." in html
    assert (
        "Kesehatan"
        not in html.split('id="checklist-heading"')[1].split("</section>")[0]
    )


def test_checklist_names_panel_smaller_than_judges_per_entry(client):
    contest = ready_contest()
    Stage.objects.filter(contest=contest, kind=StageKind.SCORING).update(
        judges_per_entry=3
    )

    response = setup_page(client, contest)

    assert gaps_of(response) == ["panel"]
    assert "has 1 judge; a scoring stage asks for 3 per entry." in (
        response.content.decode()
    )


def test_checklist_names_windows_out_of_order(client):
    contest = ready_contest()
    screening = contest.stages.get(order=1)
    scoring = contest.stages.get(order=2)
    # The scoring stage opens while submissions still come in, and overlaps the
    # screening stage before it.
    scoring.opens = contest.submission_closes - DAY
    scoring.save()
    # Written past the services: the contest's window moved after its first stage.
    Stage.objects.filter(pk=screening.pk).update(opens=contest.submission_opens - DAY)

    response = setup_page(client, contest)

    assert gaps_of(response) == ["window", "window", "window"]
    html = response.content.decode()
    assert f"The stage “{screening.name}” opens on" in html
    assert "before submissions open." in html
    assert f"The scoring stage “{scoring.name}” opens on" in html
    assert "before submissions close." in html
    assert "the stages overlap." in html
    edit = reverse(
        "contest:stage-edit", kwargs={"slug": contest.slug, "pk": scoring.pk}
    )
    assert f'<a href="{edit}">Edit the stage</a>' in html


def test_checklist_says_window_times_in_contest_zone(client):
    contest = ready_contest()
    scoring = contest.stages.get(order=2)
    scoring.opens = contest.submission_closes - DAY
    scoring.save()

    response = setup_page(client, contest)

    assert re.search(
        r"opens on \d{1,2} \w+ \d{4}, \d\d:\d\d WITA", response.content.decode()
    )


def test_checklist_names_missing_delegates(client):
    contest = ready_contest()
    contest.delegates.all().delete()

    response = setup_page(client, contest)

    assert gaps_of(response) == ["no_delegates"]


def test_checklist_speaks_indonesian_by_default(client):
    contest = ContestFactory()
    client.force_login(OrganizerFactory(contest=contest).user)

    response = client.get(reverse("contest:setup", kwargs={"slug": contest.slug}))

    assert response.status_code == 200
    assert response.context["LANGUAGE_CODE"] == "id"
    assert [gap.key for gap in response.context["gaps"]] == [
        "no_category",
        "no_scoring_stage",
        "no_delegates",
    ]


@pytest.mark.parametrize("size", [1, 4])
def test_setup_page_with_checklist_queries_constant(
    client, django_assert_num_queries, size
):
    contest = ready_contest(size=size)
    for category in contest.categories.all():
        JudgeFactory(contest=contest, panels=[category])
    user = OrganizerFactory(contest=contest).user
    client.force_login(user)
    url = reverse("contest:setup", kwargs={"slug": contest.slug})

    with django_assert_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200
    assert len(response.context["stages"]) == size + 1
    assert response.context["gaps"] == []
