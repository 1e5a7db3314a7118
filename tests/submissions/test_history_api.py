"""Eligibility from history through the API and the pages: naming the earlier
entry, the organizers' check, submit refused (too recent, a past winner), the
screening page's line, and the contest's two settings."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from submissions.enums import PreviousEntryState, SubmissionState
from submissions.services.history import claim_previous_entry
from tests.factories.submissions import SubmissionFactory
from tests.submissions.test_history import published_winner

pytestmark = [pytest.mark.django_db]


def entry_url(entry, tail=""):
    return f"/api/v1/contests/{entry.contest.slug}/submissions/{entry.pk}/{tail}"


def test_delegate_names_the_earlier_entry_through_the_api(api, entry, delegate, region):
    earlier = SubmissionFactory(region=region)
    api.force_authenticate(delegate)

    response = api.patch(
        entry_url(entry), {"previous_entry": earlier.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["previous_entry"] == earlier.pk
    assert response.json()["previous_entry_state"] == "claimed"


@pytest.mark.parametrize("value", ["x", True, 10**9, [1]])
def test_previous_entry_bad_values_are_400(api, entry, delegate, value):
    api.force_authenticate(delegate)

    response = api.patch(entry_url(entry), {"previous_entry": value}, format="json")

    assert response.status_code == 400
    assert "previous_entry" in response.json()


def test_another_regions_entry_is_400(api, entry, delegate):
    api.force_authenticate(delegate)

    response = api.patch(
        entry_url(entry), {"previous_entry": SubmissionFactory().pk}, format="json"
    )

    assert response.status_code == 400
    assert "previous_entry" in response.json()


def test_organizer_confirms_through_the_api(api, entry, delegate, organizer, region):
    claim_previous_entry(
        submission=entry, previous_entry=SubmissionFactory(region=region), by=delegate
    )
    api.force_authenticate(delegate)
    refused = api.post(entry_url(entry, "previous-entry/"), {"confirmed": True})
    api.force_authenticate(organizer)

    bad = api.post(entry_url(entry, "previous-entry/"), {"confirmed": "maybe"})
    done = api.post(
        entry_url(entry, "previous-entry/"),
        {"confirmed": False, "note": "Lain"},
        format="json",
    )

    assert refused.status_code == 403
    assert bad.status_code == 400
    assert "confirmed" in bad.json()
    assert done.status_code == 200
    assert done.json()["previous_entry_state"] == "rejected"


def test_submit_too_recent_through_the_api(api, entry, evidence, delegate):
    entry.contest.min_running_months = 24
    entry.contest.save()
    entry.started_on = timezone.localdate() - dt.timedelta(days=40)
    entry.save()
    api.force_authenticate(delegate)

    response = api.post(entry_url(entry, "submit/"))

    assert response.status_code == 400
    assert "started_on" in response.json()
    assert "qualifies from" in str(response.json()["started_on"])


def test_submit_excluded_past_winner_through_the_api(
    api, entry, evidence, delegate, region
):
    winner = published_winner(region)
    entry.contest.past_award_exclusions = [{"contest": "kipp-2023", "awards": []}]
    entry.contest.save()
    claim_previous_entry(submission=entry, previous_entry=winner, by=delegate)
    api.force_authenticate(delegate)

    response = api.post(entry_url(entry, "submit/"))

    assert response.status_code == 400
    assert "Terbaik I" in str(response.json()["previous_entry"])


def test_submit_page_shows_the_too_recent_message(client, entry, evidence, delegate):
    entry.contest.min_running_months = 24
    entry.contest.save()
    entry.started_on = timezone.localdate() - dt.timedelta(days=40)
    entry.save()
    client.force_login(delegate)

    response = client.post(
        reverse(
            "submissions:submit", kwargs={"slug": entry.contest.slug, "pk": entry.pk}
        )
    )

    entry.refresh_from_db()
    assert response.status_code == 400
    assert "qualifies from" in response.content.decode()
    assert entry.state == SubmissionState.DRAFT


def test_edit_page_offers_the_regions_earlier_entries(client, entry, delegate, region):
    earlier = SubmissionFactory(region=region, title="Inovasi Lama")
    client.force_login(delegate)
    url = reverse(
        "submissions:edit", kwargs={"slug": entry.contest.slug, "pk": entry.pk}
    )

    shown = client.get(url)

    assert "Inovasi Lama" in shown.content.decode()
    assert shown.context["form"].fields["previous_entry"].queryset.get() == earlier


def _screening(client, entry):
    return client.get(
        reverse(
            "submissions:screening-detail",
            kwargs={"slug": entry.contest.slug, "pk": entry.pk},
        )
    )


def test_screening_page_shows_running_time_and_excluded_winner(
    client, entry, delegate, organizer, region
):
    from tests.submissions.conftest import set_state

    winner = published_winner(region)
    contest = entry.contest
    contest.min_running_months = 12
    contest.past_award_exclusions = [{"contest": "kipp-2023", "awards": []}]
    contest.save()
    entry.started_on = timezone.localdate() - dt.timedelta(days=100)
    entry.save()
    claim_previous_entry(submission=entry, previous_entry=winner, by=delegate)
    set_state(entry, SubmissionState.SUBMITTED)
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    before = _screening(client, entry).content.decode()
    client.post(
        reverse(
            "submissions:screening-previous-entry",
            kwargs={"slug": contest.slug, "pk": entry.pk},
        ),
        {"confirmed": "1", "note": "Sama"},
    )
    after = _screening(client, entry).content.decode()

    entry.refresh_from_db()
    assert "Too recent" in before
    assert "Lama" in before
    assert "Terbaik I" in before
    assert "Mark it ineligible" not in before
    assert entry.previous_entry_state == PreviousEntryState.CONFIRMED
    assert "Excluded:" in after
    assert "Mark it ineligible with this reason" in after


def test_screening_page_says_running_months(client, entry, organizer):
    entry.contest.min_running_months = 12
    entry.contest.save()
    entry.started_on = timezone.localdate() - dt.timedelta(days=450)
    entry.save()
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    html = _screening(client, entry).content.decode()

    assert "Running 14 months" in html


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"min_running_months": -1}, "min_running_months"),
        ({"min_running_months": "lama"}, "min_running_months"),
        ({"min_running_months": 999}, "min_running_months"),
        ({"past_award_exclusions": "kipp"}, "past_award_exclusions"),
        ({"past_award_exclusions": [{"contest": 3}]}, "past_award_exclusions"),
        ({"past_award_exclusions": [{"x": "y"}]}, "past_award_exclusions"),
    ],
)
def test_contest_api_refuses_bad_history_settings(
    api, contest, organizer, payload, field
):
    api.force_authenticate(organizer)

    response = api.patch(f"/api/v1/contests/{contest.slug}/", payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_contest_api_takes_the_history_settings(api, contest, organizer):
    api.force_authenticate(organizer)
    rules = [{"contest": "kipp-2023", "awards": ["Top 45"]}]

    response = api.patch(
        f"/api/v1/contests/{contest.slug}/",
        {"min_running_months": 12, "past_award_exclusions": rules},
        format="json",
    )

    contest.refresh_from_db()
    assert response.status_code == 200
    assert (contest.min_running_months, contest.past_award_exclusions) == (12, rules)


def test_setup_form_takes_exclusions_as_lines(client, creator):
    from contest.models import Contest
    from tests.contest.views.test_pages import _contest_form

    client.force_login(creator)
    data = _contest_form(
        min_running_months="12",
        past_award_exclusions="kipp-2023: Top 45, Terbaik I\nkipp-2022\n",
    )

    response = client.post(reverse("contest:create"), data)
    contest = Contest.objects.get(slug="kkdi-2027")
    shown = client.get(reverse("contest:edit", kwargs={"slug": contest.slug}))
    bad = client.post(
        reverse("contest:edit", kwargs={"slug": contest.slug}),
        {**data, "past_award_exclusions": "x" * 90},
    )

    assert response.status_code == 302
    assert contest.min_running_months == 12
    assert contest.past_award_exclusions == [
        {"contest": "kipp-2023", "awards": ["Top 45", "Terbaik I"]},
        {"contest": "kipp-2022", "awards": []},
    ]
    assert "kipp-2023: Top 45, Terbaik I\nkipp-2022" in shown.content.decode()
    assert "past_award_exclusions" in bad.context["form"].errors
