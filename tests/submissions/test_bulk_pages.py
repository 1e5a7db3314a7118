"""The screening queue's pages for many entries: search, selection (one page or
all matching), confirmation, result; saved filters; the next entry after a
decision; the drafts and their reminder. Over the test client."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from submissions.enums import SubmissionState
from submissions.models import SavedFilter, Submission
from tests.factories.contest import DelegateFactory, RegionFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory
from tests.submissions.conftest import ROLES, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState


def queue_url(contest, query=""):
    return reverse("submissions:screening", kwargs={"slug": contest.slug}) + query


def bulk_url(contest, query=""):
    return reverse("submissions:screening-bulk", kwargs={"slug": contest.slug}) + query


def detail_url(entry, query=""):
    return (
        reverse(
            "submissions:screening-detail",
            kwargs={"slug": entry.contest.slug, "pk": entry.pk},
        )
        + query
    )


def _text(response):
    return response.content.decode()


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def _submitted(contest, category, n, **fields):
    return [
        set_state(
            SubmissionFactory(contest=contest, category=category, **fields),
            S.SUBMITTED,
        )
        for _ in range(n)
    ]


# ---------------------------------------------------------------- search


@pytest.mark.parametrize(
    ("query", "wanted"),
    [
        ("Aduan", "title"),
        ("banyuasin", "region"),
        ("Dinas Kesehatan", "agency"),
        ("7-77-ABCD", "receipt"),
    ],
)
def test_queue_search_finds_title_region_agency_and_receipt(
    client, organizer, contest, category, query, wanted
):
    found = {
        "title": SubmissionFactory(
            contest=contest, category=category, title="Layanan Aduan Warga"
        ),
        "region": SubmissionFactory(
            contest=contest,
            category=category,
            region=RegionFactory(name="Kabupaten Banyuasin"),
        ),
        "agency": SubmissionFactory(
            contest=contest, category=category, agency="Dinas Kesehatan Kota"
        ),
        "receipt": SubmissionFactory(
            contest=contest, category=category, receipt_number="1-7-77-ABCD1234"
        ),
    }
    for entry in found.values():
        set_state(entry, S.SUBMITTED)
    client.force_login(organizer)

    response = client.get(queue_url(contest, f"?q={query}"))

    assert [e.pk for e in response.context["entries"]] == [found[wanted].pk]


def test_queue_offers_a_checkbox_per_row_and_all_matching(
    client, organizer, contest, category
):
    entries = _submitted(contest, category, 2)
    client.force_login(organizer)

    response = client.get(queue_url(contest, "?state=submitted"))

    text = _text(response)
    for entry in entries:
        assert f'name="submissions" value="{entry.pk}"' in text
        assert detail_url(entry, "?state=submitted") in text
    assert "Select all 2 entries matching this filter" in text
    assert f'action="{bulk_url(contest, "?state=submitted")}"' in text


def test_queue_of_a_frozen_contest_offers_no_bulk_action(
    client, organizer, contest, category
):
    _submitted(contest, category, 1)
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])
    client.force_login(organizer)

    response = client.get(queue_url(contest))

    assert response.status_code == 200
    assert "Review the action" not in _text(response)


@pytest.mark.parametrize("count", [1, 3])
def test_queue_runs_a_constant_number_of_queries_with_search_and_saved_filters(
    client, organizer, contest, category, count, django_assert_num_queries
):
    for entry in _submitted(contest, category, count, agency="Dinas Kominfo"):
        EvidenceFactory(submission=entry)
    for name in ("Satu", "Dua"):
        SavedFilter.objects.create(
            contest=contest, owner=organizer, name=name, params={"q": name}
        )
    client.force_login(organizer)

    with django_assert_num_queries(11):
        response = client.get(queue_url(contest, "?q=kominfo&sort=title"))

    assert len(response.context["entries"]) == count


# ---------------------------------------------------------------- bulk actions


def test_bulk_first_post_confirms_how_many_and_what_without_changing_anything(
    client, organizer, contest, category
):
    entries = _submitted(contest, category, 3)
    client.force_login(organizer)

    response = client.post(
        bulk_url(contest),
        {"action": "eligible", "submissions": [e.pk for e in entries[:2]]},
    )

    text = _text(response)
    assert response.status_code == 200
    assert "2 entries will be marked eligible" in text
    assert 'name="confirm"' in text
    assert "Apply to 2 entries" in text
    assert set(Submission.objects.values_list("state", flat=True)) == {S.SUBMITTED}


def test_bulk_confirmed_applies_and_reports_done_and_skipped(
    client, organizer, contest, category, region, django_capture_on_commit_callbacks
):
    entries = _submitted(contest, category, 2, region=region)
    done_before = set_state(
        SubmissionFactory(contest=contest, category=category, title="Sudah"),
        S.ELIGIBLE,
    )
    ids = [e.pk for e in entries] + [done_before.pk]
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            bulk_url(contest, "?state=submitted"),
            {
                "action": "ineligible",
                "reason": "Belum dua tahun berjalan.",
                "submissions": ids,
                "expected": 3,
                "confirm": "1",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == queue_url(contest, "?state=submitted")
    said = _messages(response)
    assert said[0] == "Done for 2 entries; 1 skipped."
    assert said[1].startswith("Skipped “Sudah”: This entry is “Eligible”")
    assert [Submission.objects.get(pk=e.pk).screening_reason for e in entries] == [
        "Belum dua tahun berjalan."
    ] * 2
    assert Notification.objects.filter(event="submission.screened").count() == 2


def test_bulk_all_matching_takes_every_page_of_the_filter(
    client, organizer, contest, category
):
    wanted = _submitted(contest, category, 53, agency="Dinas Kominfo")
    other = _submitted(contest, category, 1, agency="Bappeda")[0]
    client.force_login(organizer)
    query = "?q=kominfo&state=submitted"

    confirm = client.post(
        bulk_url(contest, query), {"action": "eligible", "all_matching": "True"}
    )
    applied = client.post(
        bulk_url(contest, query),
        {"action": "eligible", "all_matching": "True", "expected": 53, "confirm": "1"},
    )

    assert "53 entries will be marked eligible" in _text(confirm)
    assert applied.status_code == 302
    states = Submission.objects.filter(pk__in=[e.pk for e in wanted])
    assert set(states.values_list("state", flat=True)) == {S.ELIGIBLE}
    assert Submission.objects.get(pk=other.pk).state == S.SUBMITTED


def test_bulk_refuses_when_the_selection_changed_since_the_confirmation(
    client, organizer, contest, category
):
    _submitted(contest, category, 3)
    client.force_login(organizer)

    response = client.post(
        bulk_url(contest, "?state=submitted"),
        {"action": "eligible", "all_matching": "True", "expected": 2, "confirm": "1"},
    )

    assert response.status_code == 409
    assert "The selection changed: it is now 3 entries." in _text(response)
    assert set(Submission.objects.values_list("state", flat=True)) == {S.SUBMITTED}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"action": "ineligible"}, "Say why the entries are ineligible."),
        ({"action": "revision", "note": "Lengkapi."}, "Give a deadline."),
        ({"action": "message", "subject": "Hal"}, "Write the message."),
        ({"action": "eligible", "submissions": []}, "Select at least one entry."),
        ({"action": "advance"}, "Select a valid choice."),
    ],
)
def test_bulk_names_what_is_missing_before_the_confirmation(
    client, organizer, contest, category, data, error
):
    entry = _submitted(contest, category, 1)[0]
    data = {"submissions": [entry.pk], **data}
    client.force_login(organizer)

    response = client.post(bulk_url(contest), data)

    assert response.status_code == 400
    assert error in _text(response)
    assert 'name="confirm"' not in _text(response)


def test_bulk_revision_reads_the_deadline_in_the_contests_zone(
    client, organizer, contest, category
):
    entry = _submitted(contest, category, 1)[0]
    local = timezone.localtime(timezone.now() + dt.timedelta(days=4), contest.tzinfo)
    client.force_login(organizer)

    response = client.post(
        bulk_url(contest),
        {
            "action": "revision",
            "note": "Lengkapi SK.",
            "deadline": local.strftime("%Y-%m-%dT%H:%M"),
            "submissions": [entry.pk],
            "expected": 1,
            "confirm": "1",
        },
    )

    entry.refresh_from_db()
    assert response.status_code == 302
    assert entry.state == S.REVISION_REQUESTED
    assert entry.revision_deadline == local.replace(second=0, microsecond=0)


def test_bulk_message_goes_to_the_delegates_once(
    client, organizer, contest, category, region, delegate
):
    entries = _submitted(contest, category, 2, region=region)
    client.force_login(organizer)

    response = client.post(
        bulk_url(contest),
        {
            "action": "message",
            "subject": "Jadwal",
            "body": "Presentasi tanggal 5.",
            "submissions": [e.pk for e in entries],
            "expected": 2,
            "confirm": "1",
        },
    )

    assert _messages(response) == [
        "Done for 2 entries; 0 skipped. The message went to 1 person."
    ]
    assert list(Notification.objects.values_list("email", flat=True)) == [
        delegate.email
    ]


BULK_STATUS = {
    "anonymous": 302,
    "delegate": 403,
    "other_delegate": 403,
    "other_organizer": 403,
    "organizer": 302,
    "superuser": 302,
}


@pytest.mark.parametrize("role", ROLES)
def test_bulk_is_for_the_contests_organizers(client, sign_in, contest, category, role):
    entry = _submitted(contest, category, 1)[0]
    sign_in(role)

    response = client.post(
        bulk_url(contest),
        {
            "action": "eligible",
            "submissions": [entry.pk],
            "expected": 1,
            "confirm": "1",
        },
    )

    entry.refresh_from_db()
    assert response.status_code == BULK_STATUS[role]
    if role == "anonymous":
        assert "/accounts/login/" in response["Location"]
    assert entry.state == (
        S.ELIGIBLE if role in ("organizer", "superuser") else S.SUBMITTED
    )


# ---------------------------------------------------------------- saved filters


def test_saved_filter_is_saved_listed_and_deleted(client, organizer, contest):
    client.force_login(organizer)
    save = reverse("submissions:screening-filter-save", kwargs={"slug": contest.slug})

    client.post(save + "?state=submitted&q=kota&page=2", {"name": "Kota disaring"})
    page = client.get(queue_url(contest))
    saved = SavedFilter.objects.get()
    client.post(
        reverse(
            "submissions:screening-filter-delete",
            kwargs={"slug": contest.slug, "pk": saved.pk},
        )
    )

    assert saved.params == {"q": "kota", "state": "submitted"}
    assert saved.owner == organizer
    assert 'href="/manage/' in _text(page)
    assert "?q=kota&amp;state=submitted" in _text(page)
    assert SavedFilter.objects.count() == 0


def test_saved_filters_are_each_organizers_own(client, organizer, superuser, contest):
    SavedFilter.objects.create(
        contest=contest, owner=superuser, name="Punya admin", params={"q": "x"}
    )
    client.force_login(organizer)

    page = client.get(queue_url(contest))
    delete = client.post(
        reverse(
            "submissions:screening-filter-delete",
            kwargs={"slug": contest.slug, "pk": SavedFilter.objects.get().pk},
        )
    )

    assert "Punya admin" not in _text(page)
    assert delete.status_code == 404
    assert SavedFilter.objects.count() == 1


# ---------------------------------------------------------------- next entry


def test_detail_links_the_next_entry_of_the_same_filter_and_order(
    client, organizer, contest, category
):
    a, b, c = (
        set_state(
            SubmissionFactory(contest=contest, category=category, title=t), S.SUBMITTED
        )
        for t in ("Alfa", "Beta", "Charlie")
    )
    client.force_login(organizer)

    response = client.get(detail_url(a, "?sort=title"))
    last = client.get(detail_url(c, "?sort=title"))

    assert response.context["next_url"] == detail_url(b, "?sort=title")
    assert last.context["next_url"] is None


def test_decision_goes_on_to_the_next_entry_then_back_to_the_queue(
    client, organizer, contest, category
):
    a, b = (
        set_state(
            SubmissionFactory(contest=contest, category=category, title=t), S.SUBMITTED
        )
        for t in ("Alfa", "Beta")
    )
    query = "?state=submitted&sort=title"
    client.force_login(organizer)
    screen = "submissions:screen"

    first = client.post(
        reverse(screen, kwargs={"slug": contest.slug, "pk": a.pk}) + query,
        {"screen-decision": "eligible"},
    )
    second = client.post(
        reverse(screen, kwargs={"slug": contest.slug, "pk": b.pk}) + query,
        {"screen-decision": "eligible"},
    )

    assert first["Location"] == detail_url(b, query)
    assert second["Location"] == queue_url(contest, query)
    assert "No entry left after this one in the queue." in _messages(second)


# ---------------------------------------------------------------- drafts


def drafts_url(contest):
    return reverse("submissions:screening-drafts", kwargs={"slug": contest.slug})


def test_drafts_page_lists_drafts_with_their_delegates(
    client, organizer, contest, entry, delegate, other_entry
):
    client.force_login(organizer)

    response = client.get(drafts_url(contest))

    text = _text(response)
    assert entry.title in text
    assert other_entry.title in text
    assert delegate.email in text
    assert "2 drafts are not submitted yet." in text


@pytest.mark.parametrize("count", [1, 3])
def test_drafts_page_runs_a_constant_number_of_queries(
    client, organizer, contest, category, count, django_assert_num_queries
):
    for _ in range(count):
        region = RegionFactory()
        DelegateFactory(contest=contest, region=region)
        DelegateFactory(contest=contest, region=region)
        SubmissionFactory(contest=contest, category=category, region=region)
    client.force_login(organizer)

    with django_assert_num_queries(8):
        response = client.get(drafts_url(contest))

    assert len(response.context["drafts"]) == count
    assert all(len(d.delegate_users) == 2 for d in response.context["drafts"])


def test_drafts_reminder_says_how_many_and_is_refused_the_same_day(
    client, organizer, contest, entry, delegate
):
    client.force_login(organizer)
    remind = reverse(
        "submissions:screening-drafts-remind", kwargs={"slug": contest.slug}
    )

    first = client.post(remind)
    second = client.post(remind)

    assert _messages(first)[-1:] == ["1 delegate was reminded of their drafts."]
    assert _messages(second)[-1:] == [
        "These delegates were already reminded today; remind them again tomorrow."
    ]
    assert Notification.objects.filter(event="submission.deadline").count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_drafts_page_is_for_the_contests_organizers(client, sign_in, contest, role):
    sign_in(role)

    response = client.get(drafts_url(contest))

    expected = {"anonymous": 302, "organizer": 200, "superuser": 200}
    assert response.status_code == expected.get(role, 403)


@pytest.mark.parametrize("hostile", ["²", "9" * 30, "-1", "1e3", " 7"])
def test_bulk_drops_ids_that_are_not_plain_numbers(
    client, organizer, contest, category, hostile
):
    entry = _submitted(contest, category, 1)[0]
    client.force_login(organizer)

    asked = client.post(
        bulk_url(contest), {"action": "eligible", "submissions": [hostile, entry.pk]}
    )
    applied = client.post(
        bulk_url(contest),
        {
            "action": "eligible",
            "submissions": [hostile, entry.pk],
            "expected": 1,
            "confirm": "1",
        },
    )

    assert asked.status_code == 200
    assert "1 entry will be marked eligible" in _text(asked)
    assert applied.status_code == 302
    assert Submission.objects.get(pk=entry.pk).state == S.ELIGIBLE


def test_bulk_all_matching_refuses_a_filter_value_that_names_nothing(
    client, organizer, contest, category
):
    _submitted(contest, category, 2)
    client.force_login(organizer)
    client.cookies["django_language"] = "en"
    query = f"?category={999_999}&state=submitted"

    response = client.post(
        bulk_url(contest, query),
        {"action": "eligible", "all_matching": "True", "expected": 2, "confirm": "1"},
    )

    assert response.status_code == 400
    assert "names nothing" in _text(response)
    assert set(Submission.objects.values_list("state", flat=True)) == {S.SUBMITTED}
