"""Re-publishing provisional results never shortens the objection window already
announced without saying so: the service refuses (409 naming
`confirm_shorter_window`) unless confirmed, the page asks for the confirmation,
the API takes the flag."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from results import services
from results.enums import PublicationKind

pytestmark = [pytest.mark.django_db]


def _first_window(contest, organizer, days=7):
    return services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=days),
    )


def _local(contest, days):
    moment = timezone.localtime(timezone.now(), contest.tzinfo) + dt.timedelta(
        days=days
    )
    return moment.strftime("%Y-%m-%dT%H:%M")


def test_republish_shorter_window_refused_unconfirmed(contest, organizer, scored):
    first = _first_window(contest, organizer)

    with pytest.raises(DomainError) as refused:
        services.publish_provisional(
            contest=contest,
            by=organizer,
            objections_close=timezone.now() + dt.timedelta(days=3),
        )

    assert refused.value.status == 409
    assert refused.value.field == "confirm_shorter_window"
    assert "earlier" in str(refused.value.message)
    assert list(contest.publications.values_list("pk", flat=True)) == [first.pk]


def test_republish_shorter_window_published_when_confirmed(contest, organizer, scored):
    _first_window(contest, organizer)
    closes = timezone.now() + dt.timedelta(days=3)

    second = services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=closes,
        confirm_shorter_window=True,
    )

    assert second.objections_close == closes.replace(microsecond=0)
    assert contest.publications.filter(kind=PublicationKind.PROVISIONAL).count() == 2


@pytest.mark.parametrize("days", [7, 10])
def test_republish_same_or_longer_window_needs_no_confirmation(
    contest, organizer, scored, days
):
    first = _first_window(contest, organizer)

    second = services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=first.objections_close + dt.timedelta(days=days - 7),
    )

    assert second.objections_close >= first.objections_close


def test_republish_confirmation_must_be_a_boolean(contest, organizer, scored):
    _first_window(contest, organizer)

    with pytest.raises(DomainError) as refused:
        services.publish_provisional(
            contest=contest,
            by=organizer,
            objections_close=timezone.now() + dt.timedelta(days=3),
            confirm_shorter_window="yes",
        )

    assert refused.value.field == "confirm_shorter_window"
    assert contest.publications.count() == 1


def test_page_asks_before_shortening_the_window(client, contest, organizer, scored):
    first = _first_window(contest, organizer)
    client.force_login(organizer)
    publish = reverse("results:publish", kwargs={"slug": contest.slug})
    shorter = {"kind": "provisional", "objections_close": _local(contest, 3)}

    asked = client.post(publish, shorter)

    assert asked.status_code == 200
    page = asked.content.decode()
    assert "Shorten the window and publish" in page
    assert 'name="confirm_shorter_window" value="on"' in page
    assert f'value="{shorter["objections_close"]}"' in page
    assert list(contest.publications.values_list("pk", flat=True)) == [first.pk]

    confirmed = client.post(publish, {**shorter, "confirm_shorter_window": "on"})

    assert confirmed.status_code == 302
    assert contest.publications.count() == 2
    newest = contest.publications.order_by("-published_at", "-pk").first()
    assert newest.objections_close < first.objections_close


def test_page_publishes_a_longer_window_without_asking(
    client, contest, organizer, scored
):
    _first_window(contest, organizer)
    client.force_login(organizer)

    response = client.post(
        reverse("results:publish", kwargs={"slug": contest.slug}),
        {"kind": "provisional", "objections_close": _local(contest, 9)},
    )

    assert response.status_code == 302
    assert contest.publications.count() == 2


def test_api_refuses_a_shorter_window_naming_the_flag(api, contest, organizer, scored):
    first = _first_window(contest, organizer)
    api.force_authenticate(organizer)
    publish = f"/api/v1/contests/{contest.slug}/publish/"
    body = {
        "kind": "provisional",
        "objections_close": (timezone.now() + dt.timedelta(days=2)).isoformat(),
    }

    refused = api.post(publish, body, format="json")
    confirmed = api.post(
        publish, {**body, "confirm_shorter_window": True}, format="json"
    )

    assert refused.status_code == 409
    assert "confirm_shorter_window" in refused.json()
    assert confirmed.status_code == 201
    assert confirmed.json()["kind"] == "provisional"
    assert contest.publications.exclude(pk=first.pk).count() == 1


def test_api_confirmation_flag_must_be_a_boolean(api, contest, organizer, scored):
    _first_window(contest, organizer)
    api.force_authenticate(organizer)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/publish/",
        {
            "kind": "provisional",
            "objections_close": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            "confirm_shorter_window": "perhaps",
        },
        format="json",
    )

    assert response.status_code == 400
    assert "confirm_shorter_window" in response.json()
    assert contest.publications.count() == 1
