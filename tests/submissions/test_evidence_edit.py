"""A piece of evidence's title and criterion change after the upload, on the rules
of an upload: the service, the page and the API PATCH."""

import pytest
from django.urls import reverse

from common.errors import DomainError
from contest.models import AuditEntry
from submissions import services
from submissions.enums import SubmissionState
from tests.factories.contest import ContestFactory, CriterionFactory, StageFactory
from tests.submissions.conftest import close_window, set_state

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def criterion(contest):
    return CriterionFactory(stage=StageFactory(contest=contest), name="Kebaruan")


def _page(evidence):
    return reverse(
        "submissions:evidence-edit",
        kwargs={
            "slug": evidence.submission.contest.slug,
            "pk": evidence.submission_id,
            "evidence_pk": evidence.pk,
        },
    )


def _api(evidence):
    return (
        f"/api/v1/contests/{evidence.submission.contest.slug}/submissions/"
        f"{evidence.submission_id}/evidence/{evidence.pk}/"
    )


def test_edit_evidence_changes_title_and_criterion_and_audits(
    evidence, delegate, criterion
):
    services.edit_evidence(
        evidence=evidence, title="  Laporan 2023 ", criterion=criterion, by=delegate
    )

    evidence.refresh_from_db()
    assert evidence.title == "Laporan 2023"
    assert evidence.criterion == criterion
    entry = AuditEntry.objects.filter(action="evidence.edited").get()
    assert entry.data["changed"] == ["title", "criterion"]


def test_edit_evidence_keeps_what_is_not_given(evidence, delegate, criterion):
    evidence.criterion = criterion
    evidence.save()

    services.edit_evidence(evidence=evidence, title="Baru", by=delegate)

    evidence.refresh_from_db()
    assert (evidence.title, evidence.criterion) == ("Baru", criterion)


def test_edit_evidence_without_a_change_writes_nothing(evidence, delegate):
    services.edit_evidence(evidence=evidence, title=evidence.title, by=delegate)

    assert not AuditEntry.objects.filter(action="evidence.edited").exists()


def test_edit_evidence_refuses_an_empty_title(evidence, delegate):
    with pytest.raises(DomainError) as exc:
        services.edit_evidence(evidence=evidence, title="  ", by=delegate)

    assert exc.value.field == "title"
    evidence.refresh_from_db()
    assert evidence.title == "Laporan tahunan"


def test_edit_evidence_refuses_a_criterion_of_another_contest(evidence, delegate):
    foreign = CriterionFactory(stage=StageFactory(contest=ContestFactory()))

    with pytest.raises(DomainError) as exc:
        services.edit_evidence(evidence=evidence, criterion=foreign, by=delegate)

    assert exc.value.field == "criterion"


def test_edit_evidence_refused_after_the_window(evidence, delegate, contest):
    close_window(contest)

    with pytest.raises(DomainError) as exc:
        services.edit_evidence(evidence=evidence, title="Baru", by=delegate)

    assert exc.value.status == 409
    evidence.refresh_from_db()
    assert evidence.title == "Laporan tahunan"


def test_edit_evidence_refused_once_submitted(evidence, delegate, entry):
    set_state(entry, SubmissionState.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.edit_evidence(evidence=evidence, title="Baru", by=delegate)

    assert exc.value.status == 409


def test_edit_evidence_refused_for_another_regions_delegate(evidence, other_delegate):
    with pytest.raises(DomainError) as exc:
        services.edit_evidence(evidence=evidence, title="Baru", by=other_delegate)

    assert exc.value.status == 403


def test_edit_page_saves_and_goes_back_to_the_evidence(
    client, evidence, delegate, criterion
):
    client.force_login(delegate)

    response = client.post(
        _page(evidence), {"title": "Foto layanan", "criterion": criterion.pk}
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/{evidence.submission_id}/evidence/")
    evidence.refresh_from_db()
    assert (evidence.title, evidence.criterion) == ("Foto layanan", criterion)


def test_edit_page_shows_the_current_values(client, evidence, delegate):
    client.force_login(delegate)

    response = client.get(_page(evidence))

    assert response.status_code == 200
    assert 'value="Laporan tahunan"' in response.content.decode()


def test_edit_page_keeps_the_input_on_an_error(client, evidence, delegate):
    client.force_login(delegate)

    response = client.post(_page(evidence), {"title": ""})

    assert response.status_code == 400
    evidence.refresh_from_db()
    assert evidence.title == "Laporan tahunan"


def test_edit_page_after_the_window_sends_back(client, evidence, delegate, contest):
    close_window(contest)
    client.force_login(delegate)

    response = client.get(_page(evidence))
    posted = client.post(_page(evidence), {"title": "Baru"})

    assert response.status_code == 302
    assert posted.status_code == 409


@pytest.mark.parametrize(
    ("role", "status"),
    [("other_delegate", 404), ("organizer", 403), ("other_organizer", 404)],
)
def test_edit_page_refused_to_other_roles(sign_in, client, evidence, role, status):
    sign_in(role)

    response = client.post(_page(evidence), {"title": "Baru"})

    assert response.status_code == status
    evidence.refresh_from_db()
    assert evidence.title == "Laporan tahunan"


def test_evidence_list_links_to_the_edit_page(client, evidence, delegate):
    client.force_login(delegate)

    response = client.get(
        reverse(
            "submissions:evidence",
            kwargs={
                "slug": evidence.submission.contest.slug,
                "pk": evidence.submission_id,
            },
        )
    )

    assert _page(evidence) in response.content.decode()


def test_api_patch_changes_the_evidence(api, evidence, delegate, criterion):
    api.force_authenticate(delegate)

    response = api.patch(
        _api(evidence), {"title": "Via API", "criterion": criterion.pk}, format="json"
    )

    assert response.status_code == 200
    assert response.json()["title"] == "Via API"
    assert response.json()["criterion"] == criterion.pk


def test_api_patch_clears_the_criterion(api, evidence, delegate, criterion):
    evidence.criterion = criterion
    evidence.save()
    api.force_authenticate(delegate)

    response = api.patch(_api(evidence), {"criterion": None}, format="json")

    assert response.status_code == 200
    evidence.refresh_from_db()
    assert evidence.criterion is None


def test_api_patch_names_the_field(api, evidence, delegate):
    api.force_authenticate(delegate)

    response = api.patch(_api(evidence), {"title": ""}, format="json")

    assert response.status_code == 400
    assert "title" in response.json()


def test_api_patch_refused_after_the_window(api, evidence, delegate, contest):
    close_window(contest)
    api.force_authenticate(delegate)

    response = api.patch(_api(evidence), {"title": "Baru"}, format="json")

    assert response.status_code == 409


def test_api_patch_unknown_evidence_is_404(api, evidence, delegate):
    api.force_authenticate(delegate)

    response = api.patch(
        _api(evidence).replace(f"/{evidence.pk}/", "/999999/"),
        {"title": "Baru"},
        format="json",
    )

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 401), ("other_delegate", 404), ("organizer", 403)],
)
def test_api_patch_refused_to_other_roles(api_as, api, evidence, role, status):
    api_as(role)

    response = api.patch(_api(evidence), {"title": "Baru"}, format="json")

    assert response.status_code == status


def test_upload_form_carries_the_servers_size_limit(client, entry, delegate, settings):
    settings.EVIDENCE_MAX_FILE_SIZE = 12345
    client.force_login(delegate)

    text = client.get(
        reverse(
            "submissions:evidence", kwargs={"slug": entry.contest.slug, "pk": entry.pk}
        )
    ).content.decode()

    assert 'data-max-file-size="12345"' in text
    assert "js/upload-size.js" in text


def test_edit_evidence_removed_meanwhile_is_not_found(evidence, delegate):
    stale = type(evidence).objects.get(pk=evidence.pk)
    type(evidence).objects.filter(pk=evidence.pk).delete()

    with pytest.raises(DomainError) as refused:
        services.edit_evidence(evidence=stale, by=delegate, title="Baru")

    assert refused.value.status == 404
