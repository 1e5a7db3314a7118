import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db]

ROLE_STATUS = [
    ("anonymous", 302),
    ("delegate", 403),
    ("judge", 403),
    ("other_organizer", 403),
    ("organizer", 200),
    ("superuser", 200),
]
ROLES = [role for role, _status in ROLE_STATUS]


@pytest.fixture
def judge(contest):
    from tests.factories.judging import JudgeFactory

    return JudgeFactory(contest=contest).user


def manage_url(contest, stage):
    return reverse("results:index", kwargs={"slug": contest.slug, "stage_pk": stage.pk})


def public_url(contest, stage):
    return reverse(
        "results:index-public", kwargs={"slug": contest.slug, "stage_pk": stage.pk}
    )


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_live_ranking_page_by_role(
    client, sign_in, contest, index_stage, indexed, role, status
):
    sign_in(role)
    client.cookies["django_language"] = "en"

    response = client.get(manage_url(contest, index_stage))

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "Live ranking of Indeks Inovasi" in page
        assert "87.50" in page
        assert "75.00" in page
        assert response.context["index"].pending == 4


def test_live_ranking_page_of_a_scoring_stage_is_404(client, sign_in, contest, stage):
    sign_in("organizer")

    assert client.get(manage_url(contest, stage)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_public_ranking_is_404_while_closed(
    client, sign_in, contest, index_stage, indexed, role
):
    sign_in(role)

    assert client.get(public_url(contest, index_stage)).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_public_ranking_once_opened(
    client, sign_in, contest, index_stage, indexed, index_regions, role
):
    index_stage.ranking_public = True
    index_stage.save()
    sign_in(role)
    client.cookies["django_language"] = "en"

    response = client.get(public_url(contest, index_stage))

    page = response.content.decode()
    assert response.status_code == 200
    assert index_regions["R1"].name in page
    assert "75.00" in page
    # Regions and figures only: no entry, no validator, no note.
    assert "Judul-A" not in page
    assert "Kurang." not in page


@pytest.mark.parametrize("size", [1, 3])
def test_live_ranking_page_queries_are_constant(
    client,
    sign_in,
    contest,
    category,
    index_stage,
    indicators,
    django_assert_num_queries,
    size,
):
    from tests.factories.indicators import answered
    from tests.factories.judging import EligibleSubmissionFactory

    for _ in range(size):
        entry = EligibleSubmissionFactory(contest=contest, category=category)
        for indicator in indicators:
            answered(submission=entry, criterion=indicator, level=2, verdict="valid")
    sign_in("organizer")

    with django_assert_num_queries(16):
        response = client.get(manage_url(contest, index_stage))

    assert len(response.context["index"].entries) == size


def advance_url(contest, stage):
    return reverse(
        "results:index-advance", kwargs={"slug": contest.slug, "stage_pk": stage.pk}
    )


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_advance_page_by_role(
    client, sign_in, contest, index_stage, scoring_stage, indexed, role, status
):
    sign_in(role)
    client.cookies["django_language"] = "en"

    response = client.get(advance_url(contest, index_stage))

    assert response.status_code == status
    if status == 200:
        page = response.content.decode()
        assert "index scores" in page
        assert "Judul-D" in page
        assert "Judul-A" in page


def test_advance_page_advances_and_returns_to_the_ranking(
    client, sign_in, contest, index_stage, scoring_stage, indexed
):
    from results.models import AdvancementDecision

    sign_in("organizer")

    response = client.post(
        advance_url(contest, index_stage), {"ranked_by": "normalized"}
    )

    assert response.status_code == 302
    assert response["Location"] == manage_url(contest, index_stage)
    decision = AdvancementDecision.objects.get(stage=index_stage)
    assert decision.advanced == sorted([indexed["A"].pk, indexed["D"].pk])
