"""The delegate's answers to an indicator stage: the service, its windows, the
reopening of a validation, the page and the API."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from judging.enums import Verdict
from submissions.enums import SubmissionState
from submissions.models import Evidence
from submissions.models_answers import IndicatorAnswer
from submissions.services import add_evidence_link
from submissions.services.indicators import save_indicator_answers
from tests.factories.indicators import (
    IndicatorAnswerFactory,
    IndicatorFactory,
    IndicatorValidationFactory,
)
from tests.factories.submissions import LinkEvidenceFactory
from tests.judging.validation_world import build_world, freeze

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def world():
    return build_world()


def _answers(world, levels=(2, 1)):
    return [
        {"criterion": c.pk, "level": level, "note": f"Catatan {n}"}
        for n, (c, level) in enumerate(zip(world.indicators, levels, strict=True))
    ]


def test_save_answers_stores_levels_and_ledger(world):
    save_indicator_answers(
        submission=world.entry, answers=_answers(world), by=world.delegate
    )

    rows = list(IndicatorAnswer.objects.order_by("criterion__order"))
    assert [(r.level, r.note) for r in rows] == [(2, "Catatan 0"), (1, "Catatan 1")]
    assert AuditEntry.objects.filter(action="indicator_answer.saved").count() == 2


@pytest.mark.parametrize(
    ("item", "field"),
    [
        ({"criterion": "x", "level": 0}, "criterion"),
        ({"criterion": 10**12, "level": 0}, "criterion"),
        ({"level": 0}, "criterion"),
        (None, "answers"),
    ],
)
def test_save_answers_bad_input_names_field(world, item, field):
    with pytest.raises(DomainError) as exc:
        save_indicator_answers(
            submission=world.entry, answers=[item], by=world.delegate
        )

    assert exc.value.field == field
    assert exc.value.status == 400
    assert not IndicatorAnswer.objects.exists()


@pytest.mark.parametrize("level", [3, -1, "1", True, None])
def test_save_answers_level_out_of_range_names_level(world, level):
    answers = [{"criterion": world.indicators[0].pk, "level": level}]

    with pytest.raises(DomainError) as exc:
        save_indicator_answers(
            submission=world.entry, answers=answers, by=world.delegate
        )

    assert exc.value.field == "level"


def test_save_answers_refused_to_someone_else(world):
    with pytest.raises(DomainError) as exc:
        save_indicator_answers(
            submission=world.entry, answers=_answers(world), by=world.organizer
        )

    assert exc.value.status == 403


def test_save_answers_refused_when_stage_closed(world):
    world.stage.closes = timezone.now() - dt.timedelta(hours=1)
    world.stage.opens = timezone.now() - dt.timedelta(days=3)
    world.stage.save()

    with pytest.raises(DomainError) as exc:
        save_indicator_answers(
            submission=world.entry, answers=_answers(world), by=world.delegate
        )

    assert exc.value.status == 409


def test_save_answers_in_draft_before_stage_opens(world):
    world.stage.opens = timezone.now() + dt.timedelta(days=30)
    world.stage.closes = timezone.now() + dt.timedelta(days=40)
    world.stage.save()
    world.entry.state = SubmissionState.DRAFT
    world.entry.save()

    save_indicator_answers(
        submission=world.entry, answers=_answers(world), by=world.delegate
    )

    assert IndicatorAnswer.objects.count() == 2


def test_save_answers_refused_when_frozen(world):
    freeze(world.contest)

    with pytest.raises(DomainError) as exc:
        save_indicator_answers(
            submission=world.entry, answers=_answers(world), by=world.delegate
        )

    assert exc.value.status == 409
    assert not IndicatorAnswer.objects.exists()


def test_validated_indicator_is_locked(world):
    save_indicator_answers(
        submission=world.entry, answers=_answers(world), by=world.delegate
    )
    IndicatorValidationFactory(
        criterion=world.indicators[0], submission=world.entry, level=2
    )

    with pytest.raises(DomainError) as exc:
        save_indicator_answers(
            submission=world.entry, answers=_answers(world, (1, 1)), by=world.delegate
        )

    assert exc.value.status == 409
    assert IndicatorAnswer.objects.get(criterion=world.indicators[0]).level == 2


def test_revision_reopens_and_changed_answer_returns_to_pending(world):
    save_indicator_answers(
        submission=world.entry, answers=_answers(world), by=world.delegate
    )
    validation = IndicatorValidationFactory(
        criterion=world.indicators[0],
        submission=world.entry,
        level=2,
        verdict=Verdict.REVISION,
    )

    save_indicator_answers(
        submission=world.entry, answers=_answers(world, (1, 1)), by=world.delegate
    )

    validation.refresh_from_db()
    assert validation.verdict == Verdict.PENDING
    assert validation.level == 2
    assert IndicatorAnswer.objects.get(criterion=world.indicators[0]).level == 1
    assert AuditEntry.objects.filter(action="validation.reopened").count() == 1


def test_indicator_evidence_link_in_open_stage(world):
    evidence = add_evidence_link(
        submission=world.entry,
        url="https://example.org/perbup.pdf",
        title="Perbup",
        by=world.delegate,
        criterion=world.indicators[0],
    )

    assert evidence.criterion == world.indicators[0]


def test_indicator_evidence_refused_when_validated(world):
    IndicatorValidationFactory(criterion=world.indicators[0], submission=world.entry)

    with pytest.raises(DomainError) as exc:
        add_evidence_link(
            submission=world.entry,
            url="https://example.org/perbup.pdf",
            title="Perbup",
            by=world.delegate,
            criterion=world.indicators[0],
        )

    assert exc.value.status == 409
    assert not Evidence.objects.exists()


def _page(world):
    return reverse(
        "submissions:indicators",
        kwargs={
            "slug": world.contest.slug,
            "pk": world.entry.pk,
            "stage_pk": world.stage.pk,
        },
    )


def test_page_saves_answers(client, world):
    client.force_login(world.delegate)
    a, b = world.indicators

    response = client.post(
        _page(world),
        {f"level-{a.pk}": "2", f"note-{a.pk}": "Ada", f"level-{b.pk}": "0"},
    )

    assert response.status_code == 302
    assert dict(IndicatorAnswer.objects.values_list("criterion_id", "level")) == {
        a.pk: 2,
        b.pk: 0,
    }


def test_page_shows_levels_and_revision_note(client, world):
    IndicatorValidationFactory(
        criterion=world.indicators[0],
        submission=world.entry,
        verdict=Verdict.REVISION,
        note="Unggah perbup bertanda tangan",
    )
    client.cookies["django_language"] = "en"
    client.force_login(world.delegate)

    response = client.get(_page(world))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Menyeluruh" in body
    assert "100 points" in body
    assert "Laporan dan foto" in body
    assert "Unggah perbup bertanda tangan" in body


def test_page_evidence_link(client, world):
    client.force_login(world.delegate)
    url = reverse(
        "submissions:indicator-evidence",
        kwargs={
            "slug": world.contest.slug,
            "pk": world.entry.pk,
            "stage_pk": world.stage.pk,
            "criterion_pk": world.indicators[1].pk,
        },
    )

    response = client.post(url, {"title": "Video", "url": "https://example.org/v"})

    assert response.status_code == 302
    assert Evidence.objects.get().criterion == world.indicators[1]


def test_page_post_frozen_answers_409(client, world):
    freeze(world.contest)
    client.force_login(world.delegate)

    response = client.post(_page(world), {f"level-{world.indicators[0].pk}": "1"})

    assert response.status_code == 409
    assert not IndicatorAnswer.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("organizer", 200), ("other_judge", 404)])
def test_page_readers(client, world, who, status):
    user = world.organizer if who == "organizer" else world.other_judge.user
    client.force_login(user)

    assert client.get(_page(world)).status_code == status


@pytest.mark.parametrize("size", [1, 3])
def test_page_query_count_at_two_sizes(client, django_assert_num_queries, size):
    world = build_world()
    for criterion in world.indicators:
        criterion.delete()
    for n in range(size):
        criterion = IndicatorFactory(stage=world.stage, order=n)
        IndicatorAnswerFactory(submission=world.entry, criterion=criterion, level=1)
        LinkEvidenceFactory(submission=world.entry, criterion=criterion)
        IndicatorValidationFactory(
            submission=world.entry, criterion=criterion, verdict=Verdict.REVISION
        )
    client.force_login(world.delegate)
    client.get(_page(world))

    with django_assert_num_queries(15):
        response = client.get(_page(world))

    assert response.content.decode().count('class="card indicator"') == size


def _api(world):
    contest, entry = world.contest.slug, world.entry.pk
    return f"/api/v1/contests/{contest}/submissions/{entry}/indicators/"


def test_api_put_and_get(api, world):
    api.force_authenticate(world.delegate)

    put = api.put(_api(world), _answers(world), format="json")
    got = api.get(_api(world))

    assert put.status_code == 200
    assert [(r["criterion"], r["level"]) for r in got.json()] == [
        (world.indicators[0].pk, 2),
        (world.indicators[1].pk, 1),
    ]


def test_api_put_bad_level_names_level(api, world):
    api.force_authenticate(world.delegate)

    response = api.put(
        _api(world), [{"criterion": world.indicators[0].pk, "level": 9}], format="json"
    )

    assert response.status_code == 400
    assert "level" in response.json()


def test_api_put_frozen_409(api, world):
    freeze(world.contest)
    api.force_authenticate(world.delegate)

    response = api.put(_api(world), _answers(world), format="json")

    assert response.status_code == 409


@pytest.mark.parametrize(
    ("who", "get", "put"), [("organizer", 200, 403), ("judge", 404, 404)]
)
def test_api_roles(api, world, who, get, put):
    api.force_authenticate(
        world.organizer if who == "organizer" else world.other_judge.user
    )

    assert api.get(_api(world)).status_code == get
    assert api.put(_api(world), _answers(world), format="json").status_code == put
