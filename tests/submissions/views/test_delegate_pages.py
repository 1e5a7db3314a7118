import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.models import AuditEntry
from submissions.enums import ReviewStatus, SubmissionState
from submissions.models import Evidence, Submission
from tests.factories.contest import CriterionFactory, StageFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory
from tests.submissions import samples
from tests.submissions.conftest import ROLES, close_window, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState


def url(name, entry=None, **kwargs):
    if entry is not None:
        kwargs = {"slug": entry.contest.slug, "pk": entry.pk, **kwargs}
    return reverse(f"submissions:{name}", kwargs=kwargs or None)


def _text(response):
    return response.content.decode()


def _form(**extra):
    return {
        "category": extra.pop("category"),
        "title": "Saninu",
        "summary": "Warga melapor lewat aplikasi.",
        "problem": "",
        "solution": "",
        "impact": "",
        "started_on": "2021-03-01",
        "agency": "Diskominfo",
        "links": "https://bimakota.go.id\nhttps://youtu.be/saninu",
        **extra,
    }


# ---------------------------------------------------------------- my entries

MY_ENTRIES_SEES_OWN = {"delegate"}


@pytest.mark.parametrize("role", ROLES)
def test_my_entries_lists_only_the_users_regions_entries(
    client, sign_in, entry, other_entry, role
):
    sign_in(role)

    response = client.get(url("my-entries"))

    if role == "anonymous":
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
        return
    assert response.status_code == 200
    assert (entry.title in _text(response)) is (role == "delegate")
    assert (other_entry.title in _text(response)) is (role == "other_delegate")


def test_my_entries_shows_state_badges_and_the_new_entry_button(
    client, delegate, entry
):
    set_state(entry, S.INELIGIBLE)
    client.force_login(delegate)

    response = client.get(url("my-entries"))

    text = _text(response)
    assert 'class="badge badge-danger">Ineligible</span>' in text
    assert url("create", slug=entry.contest.slug) in text


@pytest.mark.parametrize("count", [1, 3])
def test_my_entries_runs_a_constant_number_of_queries(
    client, delegate, contest, category, region, count, django_assert_num_queries
):
    for _ in range(count):
        EvidenceFactory(
            submission=SubmissionFactory(
                contest=contest, category=category, region=region
            )
        )
    client.force_login(delegate)

    with django_assert_num_queries(6):
        response = client.get(url("my-entries"))

    assert _text(response).count('class="badge ') == count


# ---------------------------------------------------------------- create

CREATE_STATUS = {
    "anonymous": 302,
    "delegate": 200,
    "other_delegate": 200,
    "other_organizer": 403,
    "organizer": 403,
    "superuser": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_create_page_is_for_the_contests_delegates(
    client, sign_in, contest, category, role
):
    sign_in(role)

    response = client.get(url("create", slug=contest.slug))

    assert response.status_code == CREATE_STATUS[role]


def test_create_page_saves_a_draft_for_the_delegates_region(
    client, delegate, contest, category, region
):
    client.force_login(delegate)

    response = client.post(
        url("create", slug=contest.slug), _form(category=category.pk)
    )

    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("evidence", submission)
    assert submission.region == region
    assert submission.state == S.DRAFT
    assert submission.links == ["https://bimakota.go.id", "https://youtu.be/saninu"]


def test_create_page_shows_inline_errors_and_keeps_what_was_written(
    client, delegate, contest, category
):
    client.force_login(delegate)

    response = client.post(
        url("create", slug=contest.slug),
        _form(category=category.pk, title="", links="javascript:alert(1)"),
    )

    text = _text(response)
    assert response.status_code == 400
    assert 'id="id_title_error"' in text
    assert 'id="id_links_error"' in text
    assert "Warga melapor lewat aplikasi." in text
    assert Submission.objects.count() == 0


def test_create_page_refused_outside_the_window(
    client, delegate, contest, category, table_rows
):
    close_window(contest)
    client.force_login(delegate)

    rows_before = table_rows()
    response = client.post(
        url("create", slug=contest.slug), _form(category=category.pk)
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "The submission window closed on" in _text(response)
    assert Submission.objects.count() == 0


def test_create_page_names_the_limit_when_the_region_has_too_many_entries(
    client, delegate, contest, category, region
):
    contest.max_entries_per_region = 1
    contest.save()
    SubmissionFactory(contest=contest, category=category, region=region)
    client.force_login(delegate)

    response = client.post(
        url("create", slug=contest.slug), _form(category=category.pk)
    )

    assert "at most 1 entries per category" in _text(response)
    assert Submission.objects.count() == 1


# ---------------------------------------------------------------- detail

VIEW_STATUS = {
    "anonymous": 302,
    "delegate": 200,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 200,
    "superuser": 200,
}


@pytest.mark.parametrize("role", ROLES)
def test_detail_page_shows_a_draft_only_to_who_may_see_it(client, sign_in, entry, role):
    sign_in(role)

    response = client.get(url("detail", entry))

    assert response.status_code == VIEW_STATUS[role]
    if response.status_code == 200:
        assert entry.title in _text(response)


def test_detail_page_shows_the_screening_outcome_and_reason(
    client, delegate, entry, evidence
):
    set_state(entry, S.INELIGIBLE, screening_reason="Inovasi belum berjalan dua tahun.")
    evidence.review_status = ReviewStatus.INVALID
    evidence.review_note = "SK tidak ditandatangani."
    evidence.save()
    client.force_login(delegate)

    response = client.get(url("detail", entry))

    text = _text(response)
    assert "The entry was found ineligible." in text
    assert "Inovasi belum berjalan dua tahun." in text
    assert "SK tidak ditandatangani." in text
    assert 'class="badge badge-danger">Invalid</span>' in text
    assert url("edit", entry) not in text


def test_detail_page_offers_the_delegate_actions_of_a_draft(client, delegate, entry):
    client.force_login(delegate)

    response = client.get(url("detail", entry))

    text = _text(response)
    for name in ["edit", "evidence", "submit", "withdraw", "delete"]:
        assert url(name, entry) in text
    assert url("screening-detail", entry) not in text


def test_detail_page_offers_a_superuser_screening_not_editing(client, superuser, entry):
    client.force_login(superuser)

    response = client.get(url("detail", entry))

    text = _text(response)
    assert url("screening-detail", entry) in text
    assert url("edit", entry) not in text


# ---------------------------------------------------------------- edit

WRITE_STATUS = {
    "anonymous": 302,
    "delegate": 200,
    "other_delegate": 404,
    "other_organizer": 404,
    "organizer": 403,
    "superuser": 403,
}


@pytest.mark.parametrize("role", ROLES)
def test_edit_page_is_for_the_regions_delegates(client, sign_in, entry, role):
    sign_in(role)

    get = client.get(url("edit", entry))
    post = client.post(
        url("edit", entry), _form(category=entry.category_id, title="Diubah")
    )

    entry.refresh_from_db()
    assert get.status_code == WRITE_STATUS[role]
    assert post.status_code == (302 if role == "delegate" else WRITE_STATUS[role])
    assert (entry.title == "Diubah") is (role == "delegate")


def test_edit_page_keeps_what_was_written_when_invalid(client, delegate, entry):
    client.force_login(delegate)

    response = client.post(
        url("edit", entry),
        _form(category=entry.category_id, title="", impact="Angka baru: 1.200 laporan"),
    )

    entry.refresh_from_db()
    assert response.status_code == 400
    assert "Angka baru: 1.200 laporan" in _text(response)
    assert entry.impact != "Angka baru: 1.200 laporan"


def test_edit_page_after_the_window_redirects_with_the_reason(
    client, delegate, entry, contest
):
    close_window(contest)
    client.force_login(delegate)

    response = client.get(url("edit", entry), follow=True)

    assert response.redirect_chain[-1][0] == url("detail", entry)
    assert "The submission window closed on" in _text(response)


def test_edit_page_post_after_the_window_changes_nothing(
    client, delegate, entry, contest
):
    close_window(contest)
    old_title = entry.title
    client.force_login(delegate)

    response = client.post(
        url("edit", entry), _form(category=entry.category_id, title="Telat")
    )

    entry.refresh_from_db()
    assert "The submission window closed on" in _text(response)
    assert entry.title == old_title


# ---------------------------------------------------------------- evidence page


@pytest.mark.parametrize("role", ROLES)
def test_evidence_page_is_for_the_regions_delegates(client, sign_in, entry, role):
    sign_in(role)

    response = client.get(url("evidence", entry))

    assert response.status_code == WRITE_STATUS[role]


def test_evidence_page_has_a_multiple_upload_with_progress(client, delegate, entry):
    client.force_login(delegate)

    response = client.get(url("evidence", entry))

    text = _text(response)
    assert 'enctype="multipart/form-data"' in text
    assert "data-upload-progress" in text
    assert "<progress" in text
    assert "data-progress-target" in text
    assert 'type="file" name="files"' in text
    assert " multiple" in text


def test_evidence_page_uploads_several_files_at_once(client, delegate, entry, contest):
    criterion = CriterionFactory(stage=StageFactory(contest=contest), name="Kebaruan")
    client.force_login(delegate)

    response = client.post(
        url("evidence", entry),
        {
            "files": [
                samples.upload("sk.pdf", samples.pdf()),
                samples.upload("foto.png", samples.image("PNG")),
            ],
            "title": "",
            "criterion": criterion.pk,
        },
        follow=True,
    )

    names = sorted(entry.evidence.values_list("original_name", flat=True))
    assert names == ["foto.png", "sk.pdf"]
    assert set(entry.evidence.values_list("criterion", flat=True)) == {criterion.pk}
    assert "2 file(s) attached: sk.pdf, foto.png." in _text(response)


def test_evidence_page_says_why_a_file_was_refused(client, delegate, entry, evidence):
    client.force_login(delegate)

    response = client.post(
        url("evidence", entry), {"files": [samples.upload("foto.png", b"teks saja")]}
    )

    assert response.status_code == 400
    assert "“foto.png” is not a file of an accepted type" in _text(response)
    assert list(entry.evidence.all()) == [evidence]


def test_evidence_page_adds_a_link(client, delegate, entry):
    client.force_login(delegate)

    response = client.post(
        url("evidence-link", entry),
        {"url": "https://youtu.be/saninu", "title": "Video peluncuran"},
    )

    assert response.status_code == 302
    assert entry.evidence.get().url == "https://youtu.be/saninu"


def test_evidence_page_refuses_a_javascript_link(client, delegate, entry):
    client.force_login(delegate)

    response = client.post(
        url("evidence-link", entry), {"url": "javascript:alert(1)", "title": "x"}
    )

    assert response.status_code == 400
    assert 'id="id_url_error"' in _text(response)
    assert not entry.evidence.exists()


def test_evidence_page_removes_evidence(client, delegate, entry, evidence):
    client.force_login(delegate)

    response = client.post(url("evidence-remove", entry, evidence_pk=evidence.pk))

    assert response.status_code == 302
    assert not Evidence.objects.exists()


def test_evidence_remove_refused_for_another_regions_delegate(
    client, other_delegate, entry, evidence
):
    client.force_login(other_delegate)

    response = client.post(url("evidence-remove", entry, evidence_pk=evidence.pk))

    assert response.status_code == 404
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_evidence_page_after_the_window_offers_no_upload(
    client, delegate, entry, contest
):
    close_window(contest)
    client.force_login(delegate)

    get = client.get(url("evidence", entry))
    post = client.post(
        url("evidence", entry), {"files": [samples.upload("a.pdf", samples.pdf())]}
    )

    assert "data-upload-progress" not in _text(get)
    assert "The submission window closed on" in _text(get)
    assert "The submission window closed on" in _text(post)
    assert not entry.evidence.exists()


# ---------------------------------------------------------------- submit


@pytest.mark.parametrize("role", ROLES)
def test_submit_page_is_for_the_regions_delegates(
    client, sign_in, entry, evidence, role
):
    sign_in(role)

    get = client.get(url("submit", entry))
    post = client.post(url("submit", entry))

    entry.refresh_from_db()
    assert get.status_code == WRITE_STATUS[role]
    assert post.status_code == (302 if role == "delegate" else WRITE_STATUS[role])
    assert (entry.state == S.SUBMITTED) is (role == "delegate")


def test_submit_page_lists_what_is_missing_before_the_final_post(
    client, delegate, entry, contest
):
    CriterionFactory(stage=StageFactory(contest=contest), name="Kebaruan")
    entry.solution = ""
    entry.agency = ""
    entry.save()
    client.force_login(delegate)

    response = client.get(url("submit", entry))

    text = _text(response)
    assert "<li>Solution</li>" in text
    assert "<li>Responsible agency (OPD)</li>" in text
    assert "No evidence is attached yet." in text
    assert "Kebaruan" in text
    assert 'action="' + url("submit", entry) + '"' not in text


def test_submit_page_offers_the_final_post_when_complete(
    client, delegate, entry, evidence
):
    client.force_login(delegate)

    response = client.get(url("submit", entry))

    text = _text(response)
    assert 'action="' + url("submit", entry) + '"' in text
    assert "data-confirm=" in text


def test_submit_page_refused_outside_the_window_changes_nothing(
    client, delegate, entry, evidence, contest, table_rows
):
    close_window(contest)
    client.force_login(delegate)

    rows_before = table_rows()
    response = client.post(url("submit", entry))

    entry.refresh_from_db()
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "The submission window closed on" in _text(response)
    assert entry.state == S.DRAFT


def test_submit_page_refuses_an_incomplete_entry(client, delegate, entry):
    client.force_login(delegate)

    response = client.post(url("submit", entry))

    entry.refresh_from_db()
    assert response.status_code == 400
    assert "Attach at least one piece of evidence" in _text(response)
    assert entry.state == S.DRAFT


# ---------------------------------------------------------------- withdraw and delete


@pytest.mark.parametrize("role", ROLES)
def test_withdraw_page_is_for_the_regions_delegates(client, sign_in, entry, role):
    set_state(entry, S.SUBMITTED)
    sign_in(role)

    get = client.get(url("withdraw", entry))
    post = client.post(url("withdraw", entry), {"reason": "Fokus ke entri lain"})

    entry.refresh_from_db()
    assert get.status_code == WRITE_STATUS[role]
    assert post.status_code == (302 if role == "delegate" else WRITE_STATUS[role])
    assert (entry.state == S.WITHDRAWN) is (role == "delegate")


def test_withdraw_page_refuses_an_ineligible_entry(client, delegate, entry, table_rows):
    set_state(entry, S.INELIGIBLE)
    client.force_login(delegate)

    rows_before = table_rows()
    response = client.post(url("withdraw", entry))

    entry.refresh_from_db()
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "it can no longer be withdrawn" in _text(response)
    assert entry.state == S.INELIGIBLE


@pytest.mark.parametrize("role", ROLES)
def test_delete_page_is_for_the_regions_delegates(client, sign_in, entry, role):
    sign_in(role)

    get = client.get(url("delete", entry))
    post = client.post(url("delete", entry))

    assert get.status_code == WRITE_STATUS[role]
    assert post.status_code == (302 if role == "delegate" else WRITE_STATUS[role])
    assert Submission.objects.filter(pk=entry.pk).exists() is (role != "delegate")


def test_delete_page_refuses_a_submitted_entry(client, delegate, entry, table_rows):
    set_state(entry, S.SUBMITTED)
    client.force_login(delegate)

    rows_before = table_rows()
    response = client.post(url("delete", entry))

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "Only a draft can be deleted" in _text(response)
    assert Submission.objects.filter(pk=entry.pk).exists()


# ---------------------------------------------------------------- revision round trip


def test_revision_round_trip_keeps_what_the_delegate_wrote(
    client, delegate, organizer, entry, evidence, contest
):
    set_state(entry, S.SUBMITTED)
    close_window(contest)
    client.force_login(organizer)
    deadline = timezone.localtime(timezone.now() + dt.timedelta(days=3), contest.tzinfo)
    client.post(
        url("request-revision", entry),
        {
            "revision-deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "revision-note": "Tambahkan data 2022.",
        },
    )
    client.force_login(delegate)

    page = client.get(url("detail", entry))
    client.post(
        url("edit", entry),
        _form(
            category=entry.category_id,
            title=entry.title,
            summary=entry.summary,
            problem=entry.problem,
            solution=entry.solution,
            impact="Data 2022: 1.200 laporan selesai.",
        ),
    )
    response = client.post(url("submit", entry))

    entry.refresh_from_db()
    assert "Tambahkan data 2022." in _text(page)
    assert response.status_code == 302
    assert entry.state == S.SUBMITTED
    assert entry.impact == "Data 2022: 1.200 laporan selesai."
    assert entry.problem == "Keluhan warga tersebar dan sulit dilacak."
    assert list(entry.evidence.all()) == [evidence]
    states = [
        (a.data["from"], a.data["to"])
        for a in AuditEntry.objects.filter(action="submission.state_changed").order_by(
            "seq"
        )
    ]
    assert states == [
        ("submitted", "revision_requested"),
        ("revision_requested", "submitted"),
    ]


# ------------------------------------------------------- another region's draft


def test_another_regions_draft_is_invisible_everywhere(client, delegate, other_entry):
    client.force_login(delegate)
    evidence = other_entry.evidence.get()

    pages = [
        client.get(url(name, other_entry))
        for name in ["detail", "edit", "evidence", "submit", "withdraw", "delete"]
    ]
    files = [
        client.get(url(name, other_entry, evidence_pk=evidence.pk))
        for name in ["evidence-file", "evidence-thumbnail"]
    ]
    listing = client.get(url("my-entries"))

    assert [r.status_code for r in pages + files] == [404] * 8
    assert other_entry.title not in _text(listing)


@pytest.mark.parametrize("role", ROLES)
def test_evidence_link_and_remove_are_for_the_regions_delegates(
    client, sign_in, entry, evidence, role
):
    sign_in(role)

    link = client.post(
        url("evidence-link", entry), {"url": "https://a.id", "title": "V"}
    )
    remove = client.post(url("evidence-remove", entry, evidence_pk=evidence.pk))

    expected = 302 if role == "delegate" else WRITE_STATUS[role]
    assert (link.status_code, remove.status_code) == (expected, expected)
    assert entry.evidence.filter(kind="link").exists() is (role == "delegate")
    assert Evidence.objects.filter(pk=evidence.pk).exists() is (role != "delegate")
