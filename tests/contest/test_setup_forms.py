"""The set-up forms as organizers use them: region pickers searched by name as one
types (a datalist; a code or a name checked on POST, without JS too), the slug
explained and filled from the name, edit pages titled as edits, and every
constraint a form can reach refused in words, never by its name."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contest import models
from contest.models import Contest, Delegate, Stage
from tests.factories.contest import ContestFactory, OrganizerFactory, StageFactory

pytestmark = [pytest.mark.django_db]


def _contest_form(region: str, **overrides) -> dict:
    data = {
        "name": "Kontes Inovasi Daerah 2031",
        "slug": "kid-2031",
        "host_region": region,
        "timezone": "Asia/Makassar",
        "submission_opens": "2031-06-01T08:00",
        "submission_closes": "2031-07-31T23:59",
        "max_entries_per_region": "3",
    }
    data.update(overrides)
    return data


@pytest.fixture
def creator(client, regions):
    from tests.factories.accounts import UserFactory

    user = UserFactory(can_create_contests=True)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return user


@pytest.mark.parametrize(
    "typed", ["52.72", "52.72 · Kota Bima", "kota bima", "  Kota   Bima "]
)
def test_host_region_typed_by_code_label_or_name(client, creator, typed):
    response = client.post(reverse("contest:create"), _contest_form(typed))

    assert response.status_code == 302
    assert Contest.objects.get(slug="kid-2031").host_region_id == "52.72"


@pytest.mark.parametrize("typed", ["Kota Atlantis", "99.99", "Bima"])
def test_host_region_not_in_the_registry_refused_in_words(client, creator, typed):
    response = client.post(reverse("contest:create"), _contest_form(typed))

    assert response.status_code == 200
    assert response.context["form"].errors["host_region"] == [
        "Choose a region from the list: type part of its name or its code "
        "(e.g. 52.72 · Kota Bima)."
    ]
    assert not Contest.objects.exists()


def test_region_picker_offers_every_region_as_a_datalist(client, creator):
    response = client.get(reverse("contest:create"))

    html = response.content.decode()
    assert 'list="id_host_region-options"' in html
    assert '<datalist id="id_host_region-options">' in html
    datalist = html.split('<datalist id="id_host_region-options">')[1].split(
        "</datalist>"
    )[0]
    assert datalist.count("<option value=") == 552
    assert '<option value="52.72 · Kota Bima"></option>' in html
    assert "Type part of the name or the code" in html


def test_edit_form_shows_the_host_region_by_name(client, regions):
    contest = ContestFactory(host_region_id="52.72", name="KKDI 2031")
    client.force_login(OrganizerFactory(contest=contest).user)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("contest:edit", kwargs={"slug": contest.slug}))

    html = response.content.decode()
    assert 'value="52.72 · Kota Bima"' in html
    assert "<title>Edit contest KKDI 2031 · Inovasi Award</title>" in html
    assert "<h1>Edit contest KKDI 2031</h1>" in html


def test_delegate_invited_with_region_typed_by_name(client, regions):
    contest = ContestFactory()
    client.force_login(OrganizerFactory(contest=contest).user)

    response = client.post(
        reverse("contest:delegates", kwargs={"slug": contest.slug}),
        {"email": "operator@bimakota.go.id", "region": "Kota Bima"},
    )

    assert response.status_code == 302
    delegate = Delegate.objects.get(contest=contest)
    assert (delegate.user.email, delegate.region_id) == (
        "operator@bimakota.go.id",
        "52.72",
    )


def test_new_contest_form_explains_the_slug_and_fills_it_by_script(client, creator):
    response = client.get(reverse("contest:create"))

    html = response.content.decode()
    assert "<title>New contest · Inovasi Award</title>" in html
    assert "short name in its web addresses" in html
    assert 'data-slug-source="id_slug"' in html
    assert '<script src="/static/js/contest-form.js" defer></script>' in html
    assert "<script>" not in html


def test_stage_edit_window_backwards_refused_in_words(client):
    contest = ContestFactory()
    stage = StageFactory(contest=contest, name="Presentasi")
    client.force_login(OrganizerFactory(contest=contest).user)
    client.cookies["django_language"] = "en"
    data = {
        "name": stage.name,
        "order": stage.order,
        "kind": stage.kind,
        "opens": "2031-05-10T10:00",
        "closes": "2031-05-01T10:00",
        "judges_per_entry": 3,
        "disagreement_threshold": "20",
        "peer_scores_visible": stage.peer_scores_visible,
    }

    response = client.post(
        reverse("contest:stage-edit", kwargs={"slug": contest.slug, "pk": stage.pk}),
        data,
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "A stage must close after it opens." in html
    assert "window_ordered" not in html
    stage.refresh_from_db()
    assert stage.closes > stage.opens


def test_constraint_refusals_are_in_words():
    contest = ContestFactory.build(pk=1)
    start = dt.datetime(2031, 5, 10, tzinfo=dt.UTC)
    stage = Stage(contest=contest, order=1, opens=start, closes=start - dt.timedelta(1))
    contest.submission_closes = contest.submission_opens

    with pytest.raises(ValidationError) as stage_error:
        stage.validate_constraints(exclude={"contest"})
    with pytest.raises(ValidationError) as contest_error:
        contest.validate_constraints()

    assert stage_error.value.messages == ["A stage must close after it opens."]
    assert contest_error.value.messages == ["Submissions must close after they open."]


FORM_MODELS = [
    models.Contest,
    models.Category,
    models.Stage,
    models.Criterion,
    models.Organizer,
    models.Delegate,
]


@pytest.mark.parametrize("model", FORM_MODELS, ids=lambda m: m.__name__)
def test_every_constraint_a_form_reaches_has_a_message_in_words(model):
    default = "Constraint “%(name)s” is violated."

    unworded = [
        constraint.name
        for constraint in model._meta.constraints
        if constraint.violation_error_message == default
        or constraint.violation_error_message is None
    ]

    assert unworded == []
