"""Files prepared for offline judging: an entry's printable PDF and a stage's ZIP
for one category (judging.packs), through the service, the task, the
pages and the API, with who may ask and download per role."""

import base64
import csv
import io
import re
import zipfile
import zlib

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from common.errors import DomainError
from judging import packs as services
from judging.enums import PackKind, PackState
from judging.models import Pack, StageEntry
from judging.tasks import task_build_pack
from tests.factories.contest import CategoryFactory
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
)
from tests.factories.submissions import (
    PDF_BYTES,
    EvidenceFactory,
    LinkEvidenceFactory,
)
from tests.permissions.checks import close_answer

pytestmark = [pytest.mark.django_db]


def pdf_text(content: bytes) -> str:
    """The text a ReportLab PDF shows: its content streams decoded (ASCII85, then
    Flate), the strings of their text operators joined (parentheses escaped)."""
    assert content.startswith(b"%PDF-")
    assert content.rstrip().endswith(b"%%EOF")
    assert b"/Type /Page" in content
    shown = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", content, re.S):
        data = raw.strip()
        if data.endswith(b"~>"):
            data = base64.a85decode(data, adobe=True)
        data = zlib.decompress(data)
        shown += re.findall(rb"\((.*?)(?<!\\)\)\s*Tj", data, re.S)
    return " ".join(part.decode("latin-1") for part in shown)


def read(pack: Pack) -> bytes:
    with default_storage.open(pack.file.name, "rb") as handle:
        return handle.read()


@pytest.fixture
def evidence(entry, criteria):
    return [
        EvidenceFactory(
            submission=entry,
            title="Laporan tahunan",
            criterion=criteria[0],
            original_name="laporan.pdf",
        ),
        LinkEvidenceFactory(submission=entry, title="Video Saninu"),
    ]


@pytest.fixture
def stage_zip_setup(stage, criteria, judge, contest):
    """The judge's two entries of one category (one with a file), a third entry of
    the category they are conflicted with, one of another category, and an entry
    of the category assigned to another judge."""
    category = CategoryFactory(contest=contest, name="Pelayanan publik")
    other_category = CategoryFactory(contest=contest, name="Kesehatan")
    entries = {}
    for title, cat in (
        ("Alpha", category),
        ("Beta", category),
        ("Conflicted", category),
        ("Other category", other_category),
        ("Not mine", category),
    ):
        entry = EligibleSubmissionFactory(contest=contest, title=title, category=cat)
        StageEntry.objects.create(stage=stage, submission=entry)
        entries[title] = entry
    for title in ("Alpha", "Beta", "Conflicted", "Other category"):
        AssignmentFactory(stage=stage, judge=judge, submission=entries[title])
    AssignmentFactory(stage=stage, submission=entries["Not mine"])
    DeclaredConflictFactory(judge=judge, submission=entries["Conflicted"])
    EvidenceFactory(
        submission=entries["Alpha"], title="Foto", original_name="foto bima.pdf"
    )
    EvidenceFactory(submission=entries["Conflicted"], original_name="rahasia.pdf")
    LinkEvidenceFactory(submission=entries["Beta"], title="Situs web")
    return category, entries


# ---------------------------------------------------------------- the entry PDF


def test_request_entry_pdf_builds_a_pdf_listing_the_evidence(
    entry, evidence, judge_assigned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        pack = services.request_entry_pdf(submission=entry, by=judge_assigned)

    pack.refresh_from_db()
    assert pack.state == PackState.DONE
    assert (pack.done, pack.total, pack.percent) == (1, 1, 100)
    assert pack.entry_ids == [entry.pk]
    text = pdf_text(read(pack))
    assert "Saninu \\(E-Lapor\\)" in text
    assert "Laporan tahunan" in text
    assert "laporan.pdf" in text
    assert "Kebaruan" in text
    assert "https://www.youtube.com/watch?v=contoh" in text
    assert entry.region.name in text


def test_request_entry_pdf_twice_while_queued_makes_one_pack(entry, judge_assigned):
    first = services.request_entry_pdf(submission=entry, by=judge_assigned)

    second = services.request_entry_pdf(submission=entry, by=judge_assigned)

    assert first.pk == second.pk
    assert Pack.objects.count() == 1
    assert first.state == PackState.QUEUED


def test_build_pack_twice_leaves_the_finished_pack_alone(entry, judge_assigned):
    pack = services.request_entry_pdf(submission=entry, by=judge_assigned)
    services.build_pack(pack=pack)
    name = Pack.objects.get(pk=pack.pk).file.name

    task_build_pack(pack_id=pack.pk)

    assert Pack.objects.get(pk=pack.pk).file.name == name


def test_build_pack_records_a_failure_in_words_and_logs_the_detail(
    api, client, entry, judge_assigned, monkeypatch, caplog
):
    pack = services.request_entry_pdf(submission=entry, by=judge_assigned)

    def broken(**kwargs):
        raise OSError("disk full at /srv/inovasi/media/packs/1/secret.pdf")

    monkeypatch.setattr(services.entry_pdf, "entry_pdf", broken)
    services.build_pack(pack=pack)

    pack.refresh_from_db()
    assert pack.state == PackState.FAILED
    assert pack.error == services.FAILED_MESSAGE
    assert not pack.file
    assert "/srv/inovasi/media/packs/1/secret.pdf" in caplog.text
    api.force_authenticate(judge_assigned)
    body = api.get(f"/api/v1/packs/{pack.pk}/").data
    client.force_login(judge_assigned)
    page = client.get(reverse("judging:pack", kwargs={"pk": pack.pk})).content
    assert body["error"] == services.FAILED_MESSAGE
    assert b"/srv/" not in page
    assert "/srv/" not in body["error"]


def test_task_of_a_pack_that_is_gone_does_nothing():
    assert task_build_pack(pack_id=999_999) == ""


def broker_down(monkeypatch):
    """The broker refuses the build task (common.queueing.enqueue answers False)."""

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(task_build_pack, "delay", refuse)


def test_entry_pdf_built_at_once_when_the_broker_is_down(
    entry, judge_assigned, monkeypatch, django_capture_on_commit_callbacks
):
    broker_down(monkeypatch)

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.request_entry_pdf(submission=entry, by=judge_assigned)

    assert Pack.objects.get(pk=pack.pk).state == PackState.DONE


# ---------------------------------------------------------------- the stage ZIP


def test_judge_zip_holds_their_own_entries_of_the_category_never_a_conflict(
    stage, judge, stage_zip_setup, django_capture_on_commit_callbacks
):
    category, entries = stage_zip_setup

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.request_stage_zip(
            stage=stage, category=category, judge=judge, by=judge.user
        )

    pack.refresh_from_db()
    assert pack.state == PackState.DONE
    assert (pack.done, pack.total) == (2, 2)
    assert sorted(pack.entry_ids) == sorted([entries["Alpha"].pk, entries["Beta"].pk])
    archive = zipfile.ZipFile(io.BytesIO(read(pack)))
    names = archive.namelist()
    root = "penilaian-dokumen-pelayanan-publik"
    alpha = f"{root}/{entries['Alpha'].pk}-alpha"
    evidence = entries["Alpha"].evidence.get()
    assert sorted(names) == sorted(
        [
            f"{alpha}/entry.pdf",
            f"{alpha}/evidence/{evidence.pk}-foto_bima.pdf",
            f"{root}/{entries['Beta'].pk}-beta/entry.pdf",
            f"{root}/index.csv",
        ]
    )
    assert archive.read(f"{alpha}/evidence/{evidence.pk}-foto_bima.pdf") == PDF_BYTES
    assert "Alpha" in pdf_text(archive.read(f"{alpha}/entry.pdf"))
    rows = list(csv.DictReader(io.StringIO(archive.read(f"{root}/index.csv").decode())))
    assert [(row["entry_title"], row["evidence_title"]) for row in rows] == [
        ("Alpha", "Foto"),
        ("Beta", "Situs web"),
    ]
    assert rows[1]["url"] == "https://www.youtube.com/watch?v=contoh"
    assert all("rahasia" not in name for name in names)


def test_organizer_zip_holds_every_entry_of_the_stage_in_the_category(
    stage, organizer, stage_zip_setup, django_capture_on_commit_callbacks
):
    category, entries = stage_zip_setup

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.request_stage_zip(
            stage=stage, category=category, judge=None, by=organizer
        )

    pack.refresh_from_db()
    expected = [entries[t].pk for t in ("Alpha", "Beta", "Conflicted", "Not mine")]
    assert sorted(pack.entry_ids) == sorted(expected)
    assert pack.total == 4


def test_request_stage_zip_refuses_a_category_of_another_contest(
    stage, judge, stage_zip_setup
):
    with pytest.raises(DomainError) as error:
        services.request_stage_zip(
            stage=stage, category=CategoryFactory(), judge=judge, by=judge.user
        )

    assert error.value.field == "category"
    assert Pack.objects.count() == 0


def test_request_stage_zip_refuses_a_screening_stage(contest, judge, organizer):
    from tests.factories.contest import StageFactory

    screening = StageFactory(contest=contest, kind="screening")

    with pytest.raises(DomainError) as error:
        services.request_stage_zip(
            stage=screening,
            category=CategoryFactory(contest=contest),
            judge=None,
            by=organizer,
        )

    assert error.value.status == 409
    assert Pack.objects.count() == 0


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("delegate", False),
        ("judge_assigned", True),
        ("judge_unassigned", False),
        ("other_organizer", False),
        ("organizer", True),
        ("superuser", True),
    ],
)
def test_request_entry_pdf_permission_by_role(
    request, entry, assignment, role, allowed
):
    user = request.getfixturevalue(role)

    assert user.has_perm("judging.request_entry_pdf", entry) is allowed


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("delegate", False),
        ("judge_assigned", True),
        ("judge_unassigned", False),
        ("other_organizer", False),
        ("organizer", True),
        ("superuser", True),
    ],
)
def test_request_stage_zip_permission_by_role(
    request, stage, assignment, role, allowed
):
    user = request.getfixturevalue(role)

    assert user.has_perm("judging.request_stage_zip", stage) is allowed


def test_conflicted_judge_may_not_ask_for_the_entry_pdf(entry, assignment, judge):
    DeclaredConflictFactory(judge=judge, submission=entry)

    assert not judge.user.has_perm("judging.request_entry_pdf", entry)


def _built_pdf(entry, user):
    pack = services.request_entry_pdf(submission=entry, by=user)
    services.build_pack(pack=pack)
    return Pack.objects.get(pk=pack.pk)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 404),
        ("judge_unassigned", 404),
        ("other_organizer", 404),
        ("judge_assigned", 200),
        ("organizer", 200),
        ("superuser", 200),
    ],
)
def test_pack_file_download_by_role(
    client, sign_in, entry, judge_assigned, role, status
):
    pack = _built_pdf(entry, judge_assigned)
    sign_in(role)

    response = client.get(reverse("judging:pack-file", kwargs={"pk": pack.pk}))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Content-Type"] == "application/pdf"
        assert "attachment" in response["Content-Disposition"]
        close_answer(response)


def test_pack_file_refused_once_the_judge_declares_a_conflict(
    client, entry, judge, judge_assigned
):
    pack = _built_pdf(entry, judge_assigned)
    DeclaredConflictFactory(judge=judge, submission=entry)
    client.force_login(judge_assigned)

    response = client.get(reverse("judging:pack-file", kwargs={"pk": pack.pk}))

    assert response.status_code == 403


def test_judge_zip_refused_once_a_conflict_touches_one_of_its_entries(
    client, stage, judge, stage_zip_setup
):
    category, entries = stage_zip_setup
    pack = services.request_stage_zip(
        stage=stage, category=category, judge=judge, by=judge.user
    )
    services.build_pack(pack=Pack.objects.get(pk=pack.pk))
    client.force_login(judge.user)
    before = client.get(reverse("judging:pack-file", kwargs={"pk": pack.pk}))
    close_answer(before)
    DeclaredConflictFactory(judge=judge, submission=entries["Beta"])

    after = client.get(reverse("judging:pack-file", kwargs={"pk": pack.pk}))

    assert before.status_code == 200
    assert after.status_code == 403


# ---------------------------------------------------------------- pages


def test_scoring_page_asks_for_the_entry_pdf_and_shows_its_progress(
    client, assignment, judge_assigned, django_capture_on_commit_callbacks
):
    client.force_login(judge_assigned)
    sheet_page = client.get(reverse("judging:sheet", kwargs={"pk": assignment.pk}))

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("judging:pack-entry", kwargs={"pk": assignment.pk})
        )

    pack = Pack.objects.get()
    assert reverse("judging:pack-entry", kwargs={"pk": assignment.pk}) in (
        sheet_page.content.decode()
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("judging:pack", kwargs={"pk": pack.pk})
    page = client.get(response["Location"]).content.decode()
    assert "1 of 1 entries done" in page
    assert reverse("judging:pack-file", kwargs={"pk": pack.pk}) in page


def test_pack_page_polls_while_it_is_prepared(client, entry, judge_assigned):
    pack = services.request_entry_pdf(submission=entry, by=judge_assigned)
    client.force_login(judge_assigned)

    partial = client.get(
        reverse("judging:pack", kwargs={"pk": pack.pk}), HTTP_HX_REQUEST="true"
    )

    html = partial.content.decode()
    assert 'hx-trigger="every 2s"' in html
    assert "0 of 1 entries done" in html
    assert "<html" not in html


def test_entry_pack_page_refused_to_a_conflicted_judge(
    client, assignment, judge, entry
):
    DeclaredConflictFactory(judge=judge, submission=entry)
    client.force_login(judge.user)

    response = client.post(reverse("judging:pack-entry", kwargs={"pk": assignment.pk}))

    assert response.status_code == 404
    assert Pack.objects.count() == 0


def test_packs_page_offers_the_judge_their_stage_and_category_only(
    client, stage, judge, stage_zip_setup, django_capture_on_commit_callbacks
):
    category, _entries = stage_zip_setup
    client.force_login(judge.user)

    page = client.get(reverse("judging:packs"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("judging:packs"), {"scope": f"{stage.pk}:{category.pk}"}
        )

    labels = [choice.label for choice in page.context["choices"]]
    assert sorted(labels) == [
        f"{stage.contest.name} · {stage.name} · Kesehatan",
        f"{stage.contest.name} · {stage.name} · Pelayanan publik",
    ]
    pack = Pack.objects.get()
    assert response.status_code == 302
    assert pack.judge == judge
    assert pack.state == PackState.DONE


def test_packs_page_refuses_a_bad_scope(client, judge_assigned):
    client.force_login(judge_assigned)

    response = client.post(reverse("judging:packs"), {"scope": "x:1"})

    assert response.status_code == 400
    assert "Choose a stage and a category." in response.content.decode()


def test_packs_page_hides_a_stage_the_user_does_not_judge(
    client, stage, judge_unassigned, contest
):
    category = CategoryFactory(contest=contest)
    client.force_login(judge_unassigned)

    response = client.post(
        reverse("judging:packs"), {"scope": f"{stage.pk}:{category.pk}"}
    )

    assert response.status_code == 404
    assert Pack.objects.count() == 0


def _packs_page(client, django_assert_num_queries, judge, n):
    for _ in range(n):
        pack = services.request_entry_pdf(
            submission=AssignmentFactory(
                judge=judge, stage__contest=judge.contest
            ).submission,
            by=judge.user,
        )
        assert pack.kind == PackKind.ENTRY_PDF
    client.force_login(judge.user)
    with django_assert_num_queries(8):
        return client.get(reverse("judging:packs"))


def test_packs_page_queries_constant_one(client, django_assert_num_queries):
    response = _packs_page(client, django_assert_num_queries, JudgeFactory(), 1)

    assert len(response.context["packs"]) == 1


def test_packs_page_queries_constant_three(client, django_assert_num_queries):
    response = _packs_page(client, django_assert_num_queries, JudgeFactory(), 3)

    assert len(response.context["packs"]) == 3


# ---------------------------------------------------------------- API


def test_api_asks_for_an_entry_pdf_and_downloads_it(
    api, entry, evidence, judge_assigned, django_capture_on_commit_callbacks
):
    api.force_authenticate(judge_assigned)

    with django_capture_on_commit_callbacks(execute=True):
        created = api.post(
            "/api/v1/packs/",
            {"kind": "entry_pdf", "submission": entry.pk},
            format="json",
        )
    state = api.get(f"/api/v1/packs/{created.data['id']}/")
    download = api.get(f"/api/v1/packs/{created.data['id']}/file/")

    assert created.status_code == 202
    assert state.data["state"] == "done"
    assert (state.data["done"], state.data["total"]) == (1, 1)
    assert state.data["file"].endswith(f"/api/v1/packs/{created.data['id']}/file/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    close_answer(download)


def test_api_file_of_a_queued_pack_answers_409(api, entry, judge_assigned):
    pack = services.request_entry_pdf(submission=entry, by=judge_assigned)
    api.force_authenticate(judge_assigned)

    response = api.get(f"/api/v1/packs/{pack.pk}/file/")

    assert response.status_code == 409
    assert "not ready" in response.data["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "entry_pdf"}, "submission"),
        ({"kind": "stage_zip", "stage": 1}, "category"),
        ({"kind": "nonsense"}, "kind"),
        ({"kind": "entry_pdf", "submission": "x"}, "submission"),
    ],
)
def test_api_refuses_bad_input_naming_the_field(api, judge_assigned, body, field):
    api.force_authenticate(judge_assigned)

    response = api.post("/api/v1/packs/", body, format="json")

    assert response.status_code == 400
    assert field in response.data
    assert Pack.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("delegate", 400),
        ("judge_unassigned", 400),
        ("other_organizer", 400),
        ("judge_assigned", 202),
        ("organizer", 202),
    ],
)
def test_api_entry_pdf_request_by_role(api, api_as, entry, assignment, role, status):
    api_as(role)

    response = api.post(
        "/api/v1/packs/", {"kind": "entry_pdf", "submission": entry.pk}, format="json"
    )

    assert response.status_code == status
    if status == 400:
        assert "submission" in response.data


@pytest.mark.parametrize(
    ("role", "status", "entries"),
    [
        ("judge_unassigned", 400, None),
        ("judge_assigned", 202, 1),
        ("organizer", 202, 2),
    ],
)
def test_api_stage_zip_request_by_role(
    api, api_as, stage, contest, entry, assignment, role, status, entries
):
    other = EligibleSubmissionFactory(contest=contest, category=entry.category)
    StageEntry.objects.create(stage=stage, submission=other)
    api_as(role)

    response = api.post(
        "/api/v1/packs/",
        {"kind": "stage_zip", "stage": stage.pk, "category": entry.category_id},
        format="json",
    )

    assert response.status_code == status
    if entries is not None:
        pack = Pack.objects.get(pk=response.data["id"])
        services.build_pack(pack=pack)
        assert len(Pack.objects.get(pk=pack.pk).entry_ids) == entries


def test_api_pack_of_another_user_is_not_found(api, entry, judge_assigned, delegate):
    pack = services.request_entry_pdf(submission=entry, by=judge_assigned)
    api.force_authenticate(delegate)

    response = api.get(f"/api/v1/packs/{pack.pk}/")

    assert response.status_code == 404


def test_api_lists_the_callers_own_packs(api, entry, judge_assigned, organizer):
    services.request_entry_pdf(submission=entry, by=judge_assigned)
    services.request_entry_pdf(submission=entry, by=organizer)
    api.force_authenticate(judge_assigned)

    response = api.get("/api/v1/packs/")

    assert response.data["count"] == 1
    assert response.data["results"][0]["kind"] == "entry_pdf"
