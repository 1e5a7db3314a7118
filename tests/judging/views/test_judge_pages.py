import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contest.enums import PeerScoreVisibility
from judging.enums import SheetState
from judging.models import Assignment, ConflictOfInterest, Score, ScoreSheet
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    JudgeFactory,
    OpenStageFactory,
    ScoreFactory,
    SubmittedSheetFactory,
)
from tests.factories.submissions import EvidenceFactory, LinkEvidenceFactory

pytestmark = [pytest.mark.django_db]

MY_ASSIGNMENTS = reverse("judging:my-assignments")


def sheet_url(assignment):
    return reverse("judging:sheet", kwargs={"pk": assignment.pk})


def form_data(criteria, values, *, version=0, action="save", comment=""):
    data = {"version": str(version), "comment": comment, "action": action}
    for criterion, value in zip(criteria, values, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"note_{criterion.pk}"] = ""
    return data


def close(stage):
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(minutes=1)
    stage.save()


# ---------------------------------------------------------------- my assignments


@pytest.mark.parametrize(
    ("role", "status", "sees_entry"),
    [
        ("anonymous", 302, False),
        ("delegate", 200, False),
        ("judge_assigned", 200, True),
        ("judge_unassigned", 200, False),
        ("other_organizer", 200, False),
        ("organizer", 200, False),
        ("superuser", 200, False),
    ],
)
def test_my_assignments_by_role(client, sign_in, assignment, role, status, sees_entry):
    sign_in(role)

    response = client.get(MY_ASSIGNMENTS)

    assert response.status_code == status
    assert ("Saninu (E-Lapor)" in response.content.decode()) is sees_entry


def test_my_assignments_shows_state_and_due_date_in_contest_zone(
    client, assignment, criteria
):
    stage = assignment.stage
    stage.closes = dt.datetime(2031, 8, 25, 15, 0, tzinfo=dt.UTC)
    stage.save()
    ScoreFactory(sheet__assignment=assignment, criterion=criteria[0])
    client.force_login(assignment.judge.user)

    response = client.get(MY_ASSIGNMENTS)

    html = response.content.decode()
    assert "25 Aug 2031, 23:00" in html
    assert "WITA" in html
    assert "Draft" in html


def _my_assignments(client, django_assert_num_queries, n):
    judge = JudgeFactory()
    for _ in range(n):
        AssignmentFactory(judge=judge, stage=OpenStageFactory(contest=judge.contest))
    client.force_login(judge.user)
    with django_assert_num_queries(5):
        return client.get(MY_ASSIGNMENTS)


def test_my_assignments_queries_constant_one(client, django_assert_num_queries):
    response = _my_assignments(client, django_assert_num_queries, 1)

    assert len(response.context["assignments"]) == 1


def test_my_assignments_queries_constant_three(client, django_assert_num_queries):
    response = _my_assignments(client, django_assert_num_queries, 3)

    assert len(response.context["assignments"]) == 3


# ---------------------------------------------------------------- the scoring page


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 404),
        ("judge_assigned", 200),
        ("judge_unassigned", 404),
        ("other_organizer", 404),
        ("organizer", 200),
        ("superuser", 200),
    ],
)
def test_sheet_page_by_role(client, sign_in, assignment, role, status):
    sign_in(role)

    response = client.get(sheet_url(assignment))

    assert response.status_code == status


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 404),
        ("judge_assigned", 302),
        ("judge_unassigned", 404),
        ("other_organizer", 404),
        ("organizer", 403),
        ("superuser", 403),
    ],
)
def test_sheet_save_by_role(client, sign_in, assignment, criteria, role, status):
    sign_in(role)

    response = client.post(sheet_url(assignment), form_data(criteria, ["7", "8.5"]))

    assert response.status_code == status
    assert Score.objects.count() == (2 if role == "judge_assigned" else 0)


def test_sheet_page_shows_rubric_entry_and_evidence(client, assignment, criteria):
    entry = assignment.submission
    pdf = EvidenceFactory(submission=entry, title="Laporan tahunan")
    LinkEvidenceFactory(submission=entry, title="Video profil")
    criteria[0].levels = [{"score": 8, "description": "Baik: bukti jelas."}]
    criteria[0].save()
    client.force_login(assignment.judge.user)

    response = client.get(sheet_url(assignment))

    html = response.content.decode()
    file_url = reverse(
        "submissions:evidence-file",
        kwargs={"slug": entry.contest.slug, "pk": entry.pk, "evidence_pk": pdf.pk},
    )
    assert f'<iframe class="evidence-frame" src="{file_url}"' in html
    assert "https://www.youtube.com/watch?v=contoh" in html
    assert "Video profil" in html
    assert "Baik: bukti jelas." in html
    assert f'name="score_{criteria[0].pk}"' in html
    assert 'step="0.5"' in html
    assert 'hx-trigger="change, keyup delay:800ms"' in html
    assert "Save draft" in html


def test_sheet_save_draft_without_javascript(client, assignment, criteria):
    client.force_login(assignment.judge.user)

    response = client.post(
        sheet_url(assignment),
        form_data(criteria, ["7,5", ""], comment="Menjanjikan."),
    )

    assert response.status_code == 302
    assert response["Location"] == sheet_url(assignment)
    sheet = ScoreSheet.objects.get()
    assert sheet.state == SheetState.DRAFT
    assert sheet.version == 1
    assert sheet.comment == "Menjanjikan."
    assert list(Score.objects.values_list("value", flat=True)) == [Decimal("7.50")]


def test_sheet_autosave_answers_the_status_and_the_new_version(
    client, assignment, criteria
):
    client.force_login(assignment.judge.user)

    response = client.post(
        sheet_url(assignment),
        form_data(criteria, ["7", ""]),
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="save-status"' in html
    assert "Draft saved at" in html
    assert (
        '<input type="hidden" name="version" value="1" id="id_version" '
        'hx-swap-oob="true">'
    ) in html
    assert "Still to score: 1 criterion (Kemanfaatan)" in html


def test_sheet_autosave_never_submits(client, assignment, criteria):
    client.force_login(assignment.judge.user)

    client.post(
        sheet_url(assignment),
        form_data(criteria, ["7", "8"], action="submit"),
        headers={"HX-Request": "true"},
    )

    assert ScoreSheet.objects.get().state == SheetState.DRAFT


def test_sheet_autosave_with_a_stale_version_says_to_reload(
    client, assignment, criteria
):
    client.force_login(assignment.judge.user)
    client.post(sheet_url(assignment), form_data(criteria, ["7", ""]))

    response = client.post(
        sheet_url(assignment),
        form_data(criteria, ["2", ""], version=0),
        headers={"HX-Request": "true"},
    )

    assert "This sheet was changed elsewhere; reload it." in response.content.decode()
    assert Score.objects.get().value == Decimal("7.00")


def test_sheet_full_post_after_its_own_autosave_still_submits(
    client, assignment, criteria
):
    client.force_login(assignment.judge.user)
    client.post(
        sheet_url(assignment),
        form_data(criteria, ["7", "8"]),
        headers={"HX-Request": "true"},
    )

    response = client.post(
        sheet_url(assignment), form_data(criteria, ["7", "8"], action="submit")
    )

    assert response.status_code == 302
    assert ScoreSheet.objects.get().state == SheetState.SUBMITTED


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "Enter a score from 0 to 10."),
        ("tujuh", "Enter a number."),
        ("7.3", "Scores go in steps of 0.5 from 0."),
    ],
)
def test_sheet_refuses_a_bad_value_next_to_its_field(
    client, assignment, criteria, value, message
):
    client.force_login(assignment.judge.user)

    response = client.post(sheet_url(assignment), form_data(criteria, [value, "8"]))

    assert response.status_code == 400
    assert response.context["form"].errors == {f"score_{criteria[0].pk}": [message]}
    assert not Score.objects.exists()


def test_sheet_submit_shows_what_is_missing(client, assignment, criteria):
    client.force_login(assignment.judge.user)

    response = client.post(
        sheet_url(assignment), form_data(criteria, ["7", ""], action="submit")
    )

    assert response.status_code == 400
    assert (
        "Score every criterion before submitting. Missing: “Kemanfaatan”."
        in response.content.decode()
    )
    assert not ScoreSheet.objects.exists()


def test_sheet_submit_after_the_window_closes_is_409(
    client, assignment, criteria, table_rows
):
    close(assignment.stage)
    client.force_login(assignment.judge.user)

    rows_before = table_rows()
    response = client.post(
        sheet_url(assignment), form_data(criteria, ["7", "8"], action="submit")
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "Scoring for this stage closed on" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_sheet_submit_then_read_only(client, assignment, criteria):
    client.force_login(assignment.judge.user)

    response = client.post(
        sheet_url(assignment), form_data(criteria, ["7", "8"], action="submit")
    )
    page = client.get(sheet_url(assignment))

    assert response.status_code == 302
    assert response["Location"] == MY_ASSIGNMENTS
    assert ScoreSheet.objects.get().state == SheetState.SUBMITTED
    html = page.content.decode()
    assert "read-only" in html
    assert "Save draft" not in html
    assert f'disabled id="id_score_{criteria[0].pk}"' in html


def test_sheet_of_submitted_sheet_refuses_a_post(
    client, assignment, criteria, table_rows
):
    SubmittedSheetFactory(assignment=assignment)
    client.force_login(assignment.judge.user)

    rows_before = table_rows()
    response = client.post(
        sheet_url(assignment), form_data(criteria, ["1", "1"], version=1)
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert not Score.objects.exists()


def test_sheet_page_of_a_conflicted_entry_is_404(client, assignment):
    DeclaredConflictFactory(judge=assignment.judge, submission=assignment.submission)
    client.force_login(assignment.judge.user)

    response = client.get(sheet_url(assignment))

    assert response.status_code == 404


def test_sheet_page_never_shows_another_judges_sheet(client, assignment, criteria):
    other = AssignmentFactory(stage=assignment.stage, submission=assignment.submission)
    ScoreFactory(sheet__assignment=other, criterion=criteria[0])
    client.force_login(assignment.judge.user)

    response = client.get(sheet_url(other))

    assert response.status_code == 404


def test_sheet_page_shows_peers_after_submitting_when_the_stage_allows(
    client, assignment, criteria
):
    stage = assignment.stage
    stage.peer_scores_visible = PeerScoreVisibility.AFTER_SUBMIT
    stage.save()
    SubmittedSheetFactory(assignment=assignment)
    peer = SubmittedSheetFactory(
        assignment=AssignmentFactory(stage=stage, submission=assignment.submission),
        comment="Dampak belum terukur.",
    )
    ScoreFactory(sheet=peer, criterion=criteria[0], value=Decimal("4"))
    ScoreFactory(sheet=peer, criterion=criteria[1], value=Decimal("6"))
    client.force_login(assignment.judge.user)

    response = client.get(sheet_url(assignment))

    html = response.content.decode()
    assert "The other judges' scores" in html
    assert "Dampak belum terukur." in html
    assert "54.00" in html


def test_sheet_page_hides_peers_by_default(client, assignment, criteria):
    SubmittedSheetFactory(assignment=assignment)
    peer = SubmittedSheetFactory(
        assignment=AssignmentFactory(
            stage=assignment.stage, submission=assignment.submission
        ),
        comment="Dampak belum terukur.",
    )
    ScoreFactory(sheet=peer, criterion=criteria[0])
    client.force_login(assignment.judge.user)

    response = client.get(sheet_url(assignment))

    assert "Dampak belum terukur." not in response.content.decode()


def test_organizer_sees_the_sheet_read_only_and_can_reopen(
    client, organizer, assignment, criteria
):
    SubmittedSheetFactory(assignment=assignment)
    client.force_login(organizer)

    page = client.get(sheet_url(assignment))
    response = client.post(
        reverse("judging:sheet-reopen", kwargs={"pk": assignment.pk}),
        {"reason": "Nilai salah ketik."},
    )

    assert "Reopen the sheet" in page.content.decode()
    assert "Save draft" not in page.content.decode()
    assert response.status_code == 302
    assert ScoreSheet.objects.get().state == SheetState.DRAFT


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 404),
        ("judge_assigned", 403),
        ("judge_unassigned", 404),
        ("other_organizer", 404),
        ("organizer", 302),
        ("superuser", 302),
    ],
)
def test_sheet_reopen_by_role(client, sign_in, assignment, role, status):
    SubmittedSheetFactory(assignment=assignment)
    sign_in(role)

    response = client.post(
        reverse("judging:sheet-reopen", kwargs={"pk": assignment.pk})
    )

    assert response.status_code == status
    expected = (
        SheetState.DRAFT
        if status == 302 and role != "anonymous"
        else (SheetState.SUBMITTED)
    )
    assert ScoreSheet.objects.get().state == expected


# ---------------------------------------------------------------- declaring a conflict


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 404),
        ("judge_assigned", 200),
        ("judge_unassigned", 404),
        ("other_organizer", 404),
        ("organizer", 404),
        ("superuser", 404),
    ],
)
def test_declare_conflict_page_by_role(client, sign_in, assignment, role, status):
    sign_in(role)

    response = client.get(
        reverse("judging:declare-conflict", kwargs={"pk": assignment.pk})
    )

    assert response.status_code == status


def test_declare_conflict_takes_the_entry_off_the_list(client, assignment):
    client.force_login(assignment.judge.user)

    response = client.post(
        reverse("judging:declare-conflict", kwargs={"pk": assignment.pk}),
        {"reason": "Saya penasihat dinas ini."},
    )
    listed = client.get(MY_ASSIGNMENTS)

    assert response.status_code == 302
    assert response["Location"] == MY_ASSIGNMENTS
    assert not Assignment.objects.exists()
    conflict = ConflictOfInterest.objects.get()
    assert conflict.reason == "Saya penasihat dinas ini."
    assert "Saninu (E-Lapor)" not in listed.content.decode()


def test_declare_conflict_needs_a_reason(client, assignment):
    client.force_login(assignment.judge.user)

    response = client.post(
        reverse("judging:declare-conflict", kwargs={"pk": assignment.pk}),
        {"reason": ""},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["This field is required."]}
    assert Assignment.objects.exists()


def test_sheet_autosave_names_a_bad_value(client, assignment, criteria):
    client.force_login(assignment.judge.user)

    response = client.post(
        sheet_url(assignment),
        form_data(criteria, ["12", ""]),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 400
    assert (
        "Not saved: “Kebaruan”: Enter a score from 0 to 10."
        in response.content.decode()
    )
    assert not ScoreSheet.objects.exists()


def test_my_assignments_speak_indonesian_by_default(client, assignment):
    client.cookies["django_language"] = "id"
    client.force_login(assignment.judge.user)

    response = client.get(MY_ASSIGNMENTS)

    html = response.content.decode()
    assert "<h1>Penugasan saya</h1>" in html
    assert "Belum dimulai" in html
