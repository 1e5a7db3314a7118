"""The objections over the API: filed by whom the page lets object, read by the
objector (their own) and the organizers (all), answered one by one or several
at once, through the services the pages call."""

import datetime as dt

import pytest
from django.utils import timezone

from results import services
from results.enums import ObjectionOutcome
from results.models import Objection

pytestmark = [pytest.mark.django_db]


def url(contest, tail=""):
    return f"/api/v1/contests/{contest.slug}/objections/{tail}"


@pytest.fixture
def window(contest, scored, organizer):
    return services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=3),
    )


@pytest.fixture
def filed(contest, window, entries, delegate):
    return services.file_objection(
        contest=contest,
        submission_id=entries["E2"].pk,
        text="Nilai E2 terlalu tinggi.",
        by=delegate,
    )


# ---------------------------------------------------------------- filing


def test_delegate_files_an_objection(api, delegate, contest, window, entries):
    api.force_authenticate(delegate)

    response = api.post(
        url(contest),
        {"submission": entries["E2"].pk, "text": "  Datanya tidak lengkap.  "},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["submission"], body["submission_title"]) == (
        entries["E2"].pk,
        "Lapor Akai Meno",
    )
    assert (body["text"], body["outcome"], body["answer"]) == (
        "Datanya tidak lengkap.",
        "pending",
        "",
    )
    assert "filed_by" not in body
    stored = Objection.objects.get()
    assert (stored.filed_by, stored.publication, stored.text) == (
        delegate,
        window,
        "Datanya tidak lengkap.",
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("judge", 403), ("other_organizer", 403), ("superuser", 403)],
)
def test_filing_refused_to_whom_the_page_refuses(
    api, api_as, contest, window, entries, role, status
):
    api_as(role)

    response = api.post(
        url(contest), {"submission": entries["E2"].pk, "text": "Tidak adil."}
    )

    assert response.status_code == status
    assert not Objection.objects.exists()


def test_filing_outside_the_window_answers_409(api, delegate, contest, scored, entries):
    api.force_authenticate(delegate)

    response = api.post(
        url(contest),
        {"submission": entries["E2"].pk, "text": "Tidak adil."},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "No objection window is open for this contest."
    assert not Objection.objects.exists()


def test_filing_names_the_field_of_an_entry_not_in_the_results(
    api, delegate, contest, window, other_organizer
):
    api.force_authenticate(delegate)

    response = api.post(
        url(contest), {"submission": 999_999, "text": "Tidak adil."}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["submission"] == [
        "Choose an entry of the provisional results."
    ]
    assert not Objection.objects.exists()


# ---------------------------------------------------------------- reading


def test_objector_reads_their_own_objections_only(
    api, delegate, contest, window, entries, filed
):
    other = services.file_objection(
        contest=contest,
        submission_id=entries["E3"].pk,
        text="Oleh orang lain.",
        by=_another_delegate(contest),
    )
    api.force_authenticate(delegate)

    listed = api.get(url(contest)).json()
    other_one = api.get(url(contest, f"{other.pk}/"))

    assert [row["id"] for row in listed["results"]] == [filed.pk]
    assert other_one.status_code == 404


def test_organizer_reads_every_objection_with_the_addresses(
    api, organizer, delegate, contest, filed
):
    api.force_authenticate(organizer)

    body = api.get(url(contest, f"{filed.pk}/")).json()

    assert (body["filed_by"], body["answered_by"]) == (delegate.email, None)
    assert api.get(url(contest)).json()["count"] == 1


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("role", ["organizer", "delegate"])
def test_objections_list_runs_a_constant_number_of_queries(
    request, api, contest, window, entries, count, role, django_assert_num_queries
):
    delegate = request.getfixturevalue("delegate")
    for key in ["E1", "E2", "E3"][:count]:
        services.file_objection(
            contest=contest, submission_id=entries[key].pk, text="X.", by=delegate
        )
    user = request.getfixturevalue(role)
    # A fresh instance: no role the services asked of this one is remembered.
    api.force_authenticate(type(user).objects.get(pk=user.pk))

    with django_assert_num_queries(4):
        response = api.get(url(contest))

    assert response.json()["count"] == count


# ---------------------------------------------------------------- answers


def test_organizer_answers_an_objection_and_the_objector_reads_it(
    api, organizer, delegate, contest, filed
):
    api.force_authenticate(organizer)

    response = api.post(
        url(contest, f"{filed.pk}/answer/"),
        {"outcome": "dismissed", "answer": "Nilai sudah sesuai rubrik."},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["answered_by"] == organizer.email
    filed.refresh_from_db()
    assert (filed.outcome, filed.answer, filed.answered_by) == (
        ObjectionOutcome.DISMISSED,
        "Nilai sudah sesuai rubrik.",
        organizer,
    )
    api.force_authenticate(delegate)
    mine = api.get(url(contest, f"{filed.pk}/")).json()
    assert (mine["outcome"], mine["answer"]) == (
        "dismissed",
        "Nilai sudah sesuai rubrik.",
    )


def test_answer_names_the_outcome_it_cannot_take(api, organizer, contest, filed):
    api.force_authenticate(organizer)

    response = api.post(
        url(contest, f"{filed.pk}/answer/"),
        {"outcome": "pending", "answer": "Nanti."},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["outcome"] == ["Uphold or dismiss the objection."]
    filed.refresh_from_db()
    assert filed.outcome == ObjectionOutcome.PENDING


def test_a_second_answer_is_refused_with_409(
    api, organizer, contest, filed, table_rows
):
    services.resolve_objection(
        objection=filed, outcome="upheld", answer="Diterima.", by=organizer
    )
    api.force_authenticate(organizer)
    rows_before = table_rows()

    response = api.post(
        url(contest, f"{filed.pk}/answer/"),
        {"outcome": "dismissed", "answer": "Ditolak."},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["detail"] == "This objection is already answered."
    assert table_rows() == rows_before


def test_answer_refused_to_the_objector(api, delegate, contest, filed):
    api.force_authenticate(delegate)

    response = api.post(
        url(contest, f"{filed.pk}/answer/"),
        {"outcome": "upheld", "answer": "Saya terima sendiri."},
        format="json",
    )

    assert response.status_code == 403
    filed.refresh_from_db()
    assert filed.outcome == ObjectionOutcome.PENDING


def test_one_answer_to_several_objections(
    api, organizer, delegate, contest, entries, filed
):
    second = services.file_objection(
        contest=contest, submission_id=entries["E3"].pk, text="Juga.", by=delegate
    )
    api.force_authenticate(organizer)

    response = api.post(
        url(contest, "answer/"),
        {
            "objections": [filed.pk, second.pk],
            "outcome": "upheld",
            "answer": "Nilai diperiksa ulang.",
        },
        format="json",
    )

    assert response.status_code == 200
    assert sorted(row["id"] for row in response.json()) == [filed.pk, second.pk]
    assert set(Objection.objects.values_list("outcome", "answer")) == {
        ("upheld", "Nilai diperiksa ulang.")
    }


def test_several_answers_refused_when_one_is_answered(
    api, organizer, delegate, contest, entries, filed
):
    second = services.file_objection(
        contest=contest, submission_id=entries["E3"].pk, text="Juga.", by=delegate
    )
    services.resolve_objection(
        objection=filed, outcome="upheld", answer="Diterima.", by=organizer
    )
    api.force_authenticate(organizer)

    response = api.post(
        url(contest, "answer/"),
        {"objections": [filed.pk, second.pk], "outcome": "dismissed", "answer": "X"},
        format="json",
    )

    assert response.status_code == 409
    assert response.json()["objections"] == [
        "Some of these objections are already answered."
    ]
    second.refresh_from_db()
    assert second.outcome == ObjectionOutcome.PENDING


def _another_delegate(contest):
    from tests.factories.contest import DelegateFactory

    return DelegateFactory(contest=contest).user
