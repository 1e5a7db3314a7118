"""Indicator validation's pages and API per role, with their query counts, and
an indicator stage's rubric (levels)."""

import pytest
from django.urls import reverse

from contest.models import Criterion
from judging.enums import QualityCheck, Verdict
from judging.models import Assignment
from judging.models_formats import IndicatorValidation
from tests.factories.indicators import (
    LEVELS,
    IndicatorAnswerFactory,
    IndicatorValidationFactory,
)
from tests.factories.judging import JudgeFactory
from tests.factories.submissions import LinkEvidenceFactory
from tests.judging.validation_world import build_world, freeze

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world():
    world = build_world()
    for criterion in world.indicators:
        IndicatorAnswerFactory(submission=world.entry, criterion=criterion, level=2)
        LinkEvidenceFactory(submission=world.entry, criterion=criterion, title="Bukti")
    return world


def _url(name, world, **extra):
    return reverse(
        f"judging:{name}",
        kwargs={"slug": world.contest.slug, "stage_pk": world.stage.pk, **extra},
    )


def _user(world, who):
    value = getattr(world, who)
    return getattr(value, "user", value)


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("validator", 200),
        ("organizer", 200),
        ("other_judge", 200),
        ("delegate", 403),
    ],
)
def test_queue_page_roles(client, world, who, status):
    client.force_login(_user(world, who))

    assert client.get(_url("validation-queue", world)).status_code == status


def test_queue_lists_counts(client, world):
    IndicatorValidationFactory(
        stage=world.stage,
        criterion=world.indicators[0],
        submission=world.entry,
        verdict=Verdict.INVALID,
    )
    client.force_login(world.validator.user)

    response = client.get(_url("validation-queue", world))

    queue = response.context["queue"]
    assert [(a.n_pending, a.n_valid, a.n_invalid) for a in queue] == [(1, 0, 1)]


def test_organizer_sees_progress(client, world):
    IndicatorValidationFactory(criterion=world.indicators[0], submission=world.entry)
    client.force_login(world.organizer)

    progress = client.get(_url("validation-queue", world)).context["progress"]

    assert (progress["valid"], progress["pending"]) == (1, 3)


@pytest.mark.parametrize("size", [1, 3])
def test_queue_query_count_at_two_sizes(client, django_assert_num_queries, size):
    world = build_world(entries=size)
    client.force_login(world.validator.user)
    client.get(_url("validation-queue", world))

    with django_assert_num_queries(9):
        response = client.get(_url("validation-queue", world))

    assert len(response.context["queue"]) == size


@pytest.mark.parametrize(
    ("who", "status"),
    [("validator", 200), ("organizer", 200), ("other_judge", 404), ("conflicted", 404)],
)
def test_entry_page_roles(client, world, who, status):
    client.force_login(_user(world, who))

    response = client.get(_url("validation-entry", world, submission_pk=world.entry.pk))

    assert response.status_code == status


def test_entry_page_shows_claim_points_and_evidence(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(world.validator.user)

    response = client.get(_url("validation-entry", world, submission_pk=world.entry.pk))

    body = response.content.decode()
    assert "Menyeluruh" in body
    assert "100 points" in body
    assert "Bukti" in body
    assert 'name="verdict"' in body


@pytest.mark.parametrize("size", [1, 3])
def test_entry_page_query_count(client, django_assert_num_queries, size):
    world = build_world()
    for criterion in world.indicators:
        criterion.delete()
    from tests.factories.indicators import IndicatorFactory

    for n in range(size):
        criterion = IndicatorFactory(stage=world.stage, order=n)
        IndicatorAnswerFactory(submission=world.entry, criterion=criterion)
        LinkEvidenceFactory(submission=world.entry, criterion=criterion)
    client.force_login(world.validator.user)
    url = _url("validation-entry", world, submission_pk=world.entry.pk)
    client.get(url)

    with django_assert_num_queries(13):
        response = client.get(url)

    assert len(response.context["rows"]) == size


def test_verdict_htmx(client, world):
    client.force_login(world.validator.user)
    url = _url(
        "validation-verdict",
        world,
        submission_pk=world.entry.pk,
        criterion_pk=world.indicators[0].pk,
    )

    response = client.post(url, {"verdict": "valid"}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert 'id="indicator-' in response.content.decode()
    assert IndicatorValidation.objects.get().verdict == Verdict.VALID


def test_verdict_invalid_without_note_400(client, world):
    client.force_login(world.validator.user)
    url = _url(
        "validation-verdict",
        world,
        submission_pk=world.entry.pk,
        criterion_pk=world.indicators[0].pk,
    )

    response = client.post(url, {"verdict": "invalid"})

    assert response.status_code == 400
    assert not IndicatorValidation.objects.exclude(verdict=Verdict.PENDING).exists()


def test_verdict_frozen_409(client, world):
    freeze(world.contest)
    client.force_login(world.validator.user)
    url = _url(
        "validation-verdict",
        world,
        submission_pk=world.entry.pk,
        criterion_pk=world.indicators[0].pk,
    )

    assert client.post(url, {"verdict": "valid"}).status_code == 409


def test_conflicted_judge_refused_on_page(client, world):
    client.force_login(world.conflicted.user)
    url = _url(
        "validation-verdict",
        world,
        submission_pk=world.entry.pk,
        criterion_pk=world.indicators[0].pk,
    )

    assert client.post(url, {"verdict": "valid"}).status_code == 404
    assert not IndicatorValidation.objects.exists()


def _sample(world):
    for criterion in world.indicators:
        IndicatorValidationFactory(
            criterion=criterion,
            submission=world.entry,
            validated_by=world.validator,
            qc_state=QualityCheck.SAMPLED,
        )


@pytest.mark.parametrize("size", [1, 3])
def test_qc_page_query_count(client, django_assert_num_queries, size):
    world = build_world(entries=size)
    for entry in world.entries:
        IndicatorValidationFactory(
            criterion=world.indicators[0],
            submission=entry,
            validated_by=world.validator,
            qc_state=QualityCheck.SAMPLED,
        )
    client.force_login(world.other_judge.user)
    client.get(_url("validation-qc", world))

    with django_assert_num_queries(12):
        response = client.get(_url("validation-qc", world))

    assert len(response.context["sample"]) == size


def test_qc_page_overturn(client, world):
    _sample(world)
    validation = IndicatorValidation.objects.get(criterion=world.indicators[0])
    client.force_login(world.other_judge.user)

    response = client.post(
        _url("validation-qc-review", world, pk=validation.pk),
        {"overturn": "1", "note": "Tidak sah"},
    )

    assert response.status_code == 302
    validation.refresh_from_db()
    assert (validation.verdict, validation.qc_verdict_before) == ("invalid", "valid")


def test_qc_page_hides_from_validator(client, world):
    _sample(world)
    client.force_login(world.validator.user)

    assert client.get(_url("validation-qc", world)).context["sample"] == []


def test_qc_draw_page(client, world):
    IndicatorValidationFactory(criterion=world.indicators[0], submission=world.entry)
    client.force_login(world.organizer)

    response = client.post(_url("validation-qc", world))

    assert response.status_code == 302
    assert IndicatorValidation.objects.get().qc_state == QualityCheck.SAMPLED


# ------------------------------------------------------------------ API


def _api(world, tail=""):
    return f"/api/v1/contests/{world.contest.slug}/stages/{world.stage.pk}/{tail}"


def _one(world, n=0):
    return _api(world, f"validations/{world.entry.pk}/{world.indicators[n].pk}/")


def test_api_list_organizer_and_judge(api, world):
    api.force_authenticate(world.organizer)
    everything = api.get(_api(world, "validations/")).json()
    api.force_authenticate(world.other_judge.user)
    theirs = api.get(_api(world, "validations/")).json()

    assert everything["count"] == 2
    first = next(e for e in everything["results"] if e["submission"] == world.entry.pk)
    assert first["indicators"][0]["points"] == "100.00"
    assert [e["submission"] for e in theirs["results"]] == [world.other_entry.pk]


def test_api_put_verdict(api, world):
    api.force_authenticate(world.validator.user)

    response = api.put(_one(world), {"verdict": "invalid", "note": "x"}, format="json")

    assert response.status_code == 200
    assert response.json()["verdict"] == "invalid"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"verdict": "invalid"}, "note"),
        ({"verdict": "maybe"}, "verdict"),
        ({"verdict": ["valid"]}, "verdict"),
        ({"verdict": "valid", "note": "x" * 5000}, "note"),
    ],
)
def test_api_put_bad_input_names_field(api, world, body, field):
    api.force_authenticate(world.validator.user)

    response = api.put(_one(world), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    ("who", "status"),
    [("organizer", 403), ("other_judge", 404), ("conflicted", 404), ("delegate", 403)],
)
def test_api_put_refused(api, world, who, status):
    api.force_authenticate(_user(world, who))

    response = api.put(_one(world), {"verdict": "valid"}, format="json")

    assert response.status_code == status
    assert not IndicatorValidation.objects.exists()


def test_api_unknown_ids_404(api, world):
    api.force_authenticate(world.validator.user)

    bad = _api(world, f"validations/99999999999999/{world.indicators[0].pk}/")

    assert api.put(bad, {"verdict": "valid"}, format="json").status_code == 404


def test_api_frozen_409_on_every_write(api, world):
    _sample(world)
    freeze(world.contest)
    api.force_authenticate(world.validator.user)
    put = api.put(_one(world), {"verdict": "valid"}, format="json")
    api.force_authenticate(world.organizer)
    draw = api.post(_api(world, "qc-sample/"), {}, format="json")
    qc = api.post(_one(world) + "qc/", {"overturn": False}, format="json")

    assert (put.status_code, draw.status_code, qc.status_code) == (409, 409, 409)


def test_api_qc_overturn(api, world):
    _sample(world)
    api.force_authenticate(world.organizer)

    response = api.post(
        _one(world) + "qc/",
        {"overturn": True, "verdict": "invalid", "note": "Palsu"},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["qc_verdict_before"] == "valid"
    assert response.json()["verdict"] == "invalid"


def test_api_qc_sample_draw_and_read(api, world):
    IndicatorValidationFactory(criterion=world.indicators[0], submission=world.entry)
    api.force_authenticate(world.organizer)

    drawn = api.post(_api(world, "qc-sample/"), {"percent": 100}, format="json")
    read = api.get(_api(world, "qc-sample/"))

    assert drawn.status_code == 201
    assert len(read.json()) == 1


def test_api_qc_refused_to_validator(api, world):
    _sample(world)
    api.force_authenticate(world.validator.user)

    response = api.post(_one(world) + "qc/", {"overturn": False}, format="json")

    assert response.status_code == 404


# ------------------------------------------------------------------ rubric


def _criteria_api(world):
    return f"/api/v1/contests/{world.contest.slug}/stages/{world.stage.pk}/criteria/"


def test_indicator_levels_set_score_range(api, world):
    api.force_authenticate(world.organizer)

    response = api.post(
        _criteria_api(world),
        {"name": "Inovasi", "weight": "2", "levels": LEVELS},
        format="json",
    )

    assert response.status_code == 201, response.json()
    criterion = Criterion.objects.get(name="Inovasi")
    assert (criterion.min_score, criterion.max_score) == (0, 100)


@pytest.mark.parametrize(
    "levels",
    [
        [],
        [LEVELS[0]],
        [LEVELS[0], dict(LEVELS[0])],
        [{"label": "A", "points": -1}, {"label": "B", "points": 2}],
        [{"label": "A", "points": "x"}, {"label": "B", "points": 2}],
        [{"label": "A", "points": 0}, {"label": "B", "points": 0}],
        [{"label": f"L{n}", "points": n} for n in range(21)],
        "levels",
        [{"score": 1, "description": "old"}, {"score": 2, "description": "x"}],
    ],
)
def test_indicator_bad_levels_400(api, world, levels):
    api.force_authenticate(world.organizer)

    response = api.post(
        _criteria_api(world),
        {"name": "Inovasi", "weight": "2", "levels": levels},
        format="json",
    )

    assert response.status_code == 400
    assert "levels" in response.json()


def test_assignment_runs_for_indicator_stage(world):
    from judging.services import add_assignment

    judge = JudgeFactory(contest=world.contest)

    assignment = add_assignment(
        stage=world.stage, judge=judge, submission=world.entry, by=world.organizer
    )

    assert Assignment.objects.filter(pk=assignment.pk, stage=world.stage).exists()


def test_options_and_trace_on_the_routes(api, world):
    api.force_authenticate(world.organizer)
    scoring = world.contest.stages.create(
        name="Skor",
        order=99,
        kind="scoring",
        opens=world.stage.opens,
        closes=world.stage.closes,
    )
    urls = [
        _api(world, "validations/"),
        _one(world),
        _one(world) + "qc/",
        _api(world, "qc-sample/"),
        f"/api/v1/contests/{world.contest.slug}/submissions/{world.entry.pk}/indicators/",
        f"/api/v1/contests/{world.contest.slug}/stages/{scoring.pk}/validations/",
    ]

    options = [api.options(url).status_code for url in urls]
    trace = [api.generic("TRACE", url).status_code for url in urls]
    on_scoring = api.get(urls[-1]).status_code

    assert options == [200] * len(urls)
    assert trace == [405] * len(urls)
    assert on_scoring == 404
