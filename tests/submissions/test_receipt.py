"""The receipt of a submission: its printable page and its API route."""

import pytest
from django.urls import reverse

from submissions import services
from submissions.enums import SubmissionState
from tests.factories.contest import CriterionFactory, StageFactory
from tests.factories.submissions import EvidenceFactory
from tests.submissions.conftest import set_state

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def submitted(entry, evidence, delegate):
    return services.submit_submission(submission=entry, by=delegate)


def _page(entry):
    return reverse(
        "submissions:receipt", kwargs={"slug": entry.contest.slug, "pk": entry.pk}
    )


def _api(entry):
    return f"/api/v1/contests/{entry.contest.slug}/submissions/{entry.pk}/receipt/"


def test_receipt_page_shows_number_time_contents_and_next_steps(
    client, submitted, delegate
):
    client.force_login(delegate)

    response = client.get(_page(submitted))

    text = response.content.decode()
    assert response.status_code == 200
    assert submitted.receipt_number in text
    assert "Laporan tahunan" in text
    assert "What happens next" in text
    assert submitted.contest.timezone_abbreviation in text
    assert "data-print" in text


def test_receipt_lists_each_piece_of_evidence(client, entry, evidence, delegate):
    criterion = CriterionFactory(stage=StageFactory(contest=entry.contest))
    EvidenceFactory(submission=entry, title="Foto layanan", criterion=criterion)
    services.submit_submission(submission=entry, by=delegate)
    client.force_login(delegate)

    text = client.get(_page(entry)).content.decode()

    assert "Foto layanan" in text
    assert criterion.name in text
    assert "2 pieces of evidence" in text


def test_receipt_page_of_a_draft_sends_back_to_the_entry(client, entry, delegate):
    client.force_login(delegate)

    response = client.get(_page(entry))

    assert response.status_code == 302
    assert response["Location"].endswith(f"/{entry.pk}/")


def test_entry_page_links_to_the_receipt_once_submitted(client, submitted, delegate):
    client.force_login(delegate)

    text = client.get(
        reverse(
            "submissions:detail",
            kwargs={"slug": submitted.contest.slug, "pk": submitted.pk},
        )
    ).content.decode()

    assert _page(submitted) in text
    assert submitted.receipt_number in text


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("delegate", 200),
        ("organizer", 200),
        ("superuser", 200),
        ("other_delegate", 404),
        ("other_organizer", 404),
    ],
)
def test_receipt_page_by_role(sign_in, client, submitted, role, status):
    sign_in(role)

    response = client.get(_page(submitted))

    assert response.status_code == status


def test_receipt_api_answers_the_receipt(api, submitted, delegate):
    api.force_authenticate(delegate)

    response = api.get(_api(submitted))

    body = response.json()
    assert response.status_code == 200
    assert body["number"] == submitted.receipt_number
    assert body["state"] == SubmissionState.SUBMITTED
    assert [e["title"] for e in body["evidence"]] == ["Laporan tahunan"]
    assert body["total_size"] == submitted.evidence.get().size


def test_receipt_api_of_a_draft_is_404(api, entry, delegate):
    api.force_authenticate(delegate)

    response = api.get(_api(entry))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("other_delegate", 404), ("organizer", 200)],
)
def test_receipt_api_by_role(api_as, api, submitted, role, status):
    api_as(role)

    response = api.get(_api(submitted))

    assert response.status_code == status


def test_receipt_of_a_resubmission_names_the_new_number(client, submitted, delegate):
    first = submitted.receipt_number
    set_state(submitted, SubmissionState.REVISION_REQUESTED)
    services.submit_submission(submission=submitted, by=delegate)
    client.force_login(delegate)

    text = client.get(_page(submitted)).content.decode()

    submitted.refresh_from_db()
    assert submitted.receipt_number != first
    assert submitted.receipt_number in text
