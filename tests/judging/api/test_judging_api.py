import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from judging.enums import SheetState
from judging.models import Assignment, ConflictOfInterest, Judge, Score, ScoreSheet
from tests.factories.contest import CategoryFactory, ProvinceFactory, RegionFactory
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    ScoreFactory,
    SubmittedSheetFactory,
)
from tests.factories.submissions import EvidenceFactory, LinkEvidenceFactory

pytestmark = [pytest.mark.django_db]

ORGANIZER_ONLY = [
    ("anonymous", 401),
    ("delegate", 403),
    ("judge_assigned", 403),
    ("judge_unassigned", 403),
    ("other_organizer", 403),
    ("organizer", None),
    ("superuser", None),
]


def judges_url(contest):
    return f"/api/v1/contests/{contest.slug}/judges/"


def conflicts_url(contest):
    return f"/api/v1/contests/{contest.slug}/conflicts/"


def assign_url(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/assign/"


def assignments_url(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/assignments/"


def sheet_url(assignment):
    return f"/api/v1/assignments/{assignment.pk}/sheet/"


MY_ASSIGNMENTS = "/api/v1/assignments/"


# ---------------------------------------------------------------- judges


@pytest.mark.parametrize(("role", "status"), ORGANIZER_ONLY)
def test_judges_list_by_role(api, api_as, contest, assignment, role, status):
    api_as(role)

    response = api.get(judges_url(contest))

    assert response.status_code == (status or 200)
    if status is None:
        assert [row["name"] for row in response.json()["results"]] == ["Dr. Andi"]


def test_judges_create_invites_a_new_judge(
    api, contest, organizer, django_capture_on_commit_callbacks
):
    health = CategoryFactory(contest=contest)
    home = RegionFactory(code="34.71", province=ProvinceFactory(code="34"))
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            judges_url(contest),
            {
                "email": "Sari@UGM.ac.id",
                "name": "Sari Wulandari",
                "home_region": "34.71",
                "categories": [health.pk],
                "panels": [health.pk],
            },
            format="json",
        )

    body = response.json()
    judge = Judge.objects.get(user__email="sari@ugm.ac.id")
    assert response.status_code == 201
    assert body["id"] == judge.pk
    assert body["email"] == "sari@ugm.ac.id"
    assert body["home_region"] == "34.71"
    assert body["home_region_name"] == home.name
    assert body["categories"] == [health.pk]
    assert body["panels"] == [health.pk]
    assert mail.outbox[0].to == ["sari@ugm.ac.id"]


def test_judges_create_refuses_an_existing_judge(
    api, contest, organizer, judge, table_rows
):
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(judges_url(contest), {"email": judge.user.email}, format="json")

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert response.json()["email"] == [
        f"{judge.user.email} is already a judge in this contest."
    ]


def test_judges_create_refuses_a_category_of_another_contest(api, contest, organizer):
    foreign = CategoryFactory()
    api.force_authenticate(organizer)

    response = api.post(
        judges_url(contest),
        {"email": "x@example.id", "categories": [foreign.pk]},
        format="json",
    )

    assert response.status_code == 400
    assert "categories" in response.json()


@pytest.mark.parametrize("role", ["delegate", "judge_assigned", "other_organizer"])
def test_judges_create_refused_for_non_organizers(
    api, api_as, contest, assignment, role
):
    api_as(role)

    response = api.post(judges_url(contest), {"email": "x@example.id"}, format="json")

    assert response.status_code == 403
    assert not Judge.objects.filter(user__email="x@example.id").exists()


@pytest.mark.parametrize("size", [1, 3])
def test_judges_list_query_count_constant(
    api, contest, organizer, django_assert_num_queries, size
):
    categories = CategoryFactory.create_batch(2, contest=contest)
    JudgeFactory.create_batch(size, contest=contest, categories=categories)
    api.force_authenticate(organizer)

    with django_assert_num_queries(6):
        response = api.get(judges_url(contest))

    assert response.json()["count"] == size


# ---------------------------------------------------------------- conflicts


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("delegate", 403),
        # Another judge and an entry not assigned to the caller are answered as
        # if they did not exist.
        ("judge_unassigned", 400),
        ("judge_assigned", 201),
        ("other_organizer", 403),
        ("organizer", 201),
        ("superuser", 201),
    ],
)
def test_conflicts_declare_by_role(api, api_as, contest, assignment, role, status):
    api_as(role)

    response = api.post(
        conflicts_url(contest),
        {
            "judge": assignment.judge.pk,
            "submission": assignment.submission.pk,
            "reason": "Kerabat kepala daerah.",
        },
        format="json",
    )

    assert response.status_code == status
    assert ConflictOfInterest.objects.exists() is (status == 201)


def test_conflicts_declare_answers_the_removed_assignments(
    api, contest, organizer, assignment
):
    api.force_authenticate(organizer)

    response = api.post(
        conflicts_url(contest),
        {
            "judge": assignment.judge.pk,
            "submission": assignment.submission.pk,
            "reason": "Kerabat kepala daerah.",
        },
        format="json",
    )

    body = response.json()
    assert body["source"] == "declared"
    assert body["reason"] == "Kerabat kepala daerah."
    assert body["declared_by"] == organizer.email
    assert body["removed_assignments"] == [assignment.pk]
    assert not Assignment.objects.exists()


def test_conflicts_judge_may_leave_out_the_judge(api, contest, assignment):
    api.force_authenticate(assignment.judge.user)

    response = api.post(
        conflicts_url(contest),
        {"submission": assignment.submission.pk, "reason": "Mantan konsultan."},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["judge"] == assignment.judge.pk


def test_conflicts_judge_cannot_declare_for_an_entry_not_assigned(
    api, contest, assignment
):
    elsewhere = EligibleSubmissionFactory(contest=contest)
    api.force_authenticate(assignment.judge.user)

    response = api.post(
        conflicts_url(contest),
        {"submission": elsewhere.pk, "reason": "x"},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["submission"] == [
        f'Invalid pk "{elsewhere.pk}" - object does not exist.'
    ]
    assert not ConflictOfInterest.objects.exists()


def test_conflicts_need_a_reason(api, contest, organizer, assignment):
    api.force_authenticate(organizer)

    response = api.post(
        conflicts_url(contest),
        {"judge": assignment.judge.pk, "submission": assignment.submission.pk},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["reason"] == ["This field is required."]


# ---------------------------------------------------------------- the assignment run


@pytest.mark.parametrize(("role", "status"), ORGANIZER_ONLY)
def test_assign_by_role(api, api_as, stage, assignment, role, status):
    api_as(role)

    response = api.post(assign_url(stage), {"judges_per_entry": 1}, format="json")

    assert response.status_code == (status or 201)


def test_assign_answers_assignments_loads_and_shortfalls(
    api, contest, organizer, stage
):
    bima = RegionFactory(code="52.72", province=ProvinceFactory(code="52"))
    andi = JudgeFactory(contest=contest, name="Andi", home_region=bima)
    sari = JudgeFactory(contest=contest, name="Sari")
    saninu = EligibleSubmissionFactory(contest=contest, region=bima, title="Saninu")
    layad = EligibleSubmissionFactory(contest=contest, title="Layad Rawat")
    api.force_authenticate(organizer)

    response = api.post(assign_url(stage), {"judges_per_entry": 2}, format="json")

    body = response.json()
    assert response.status_code == 201
    assert sorted((a["judge"], a["submission"]) for a in body["assignments"]) == sorted(
        [(andi.pk, layad.pk), (sari.pk, layad.pk), (sari.pk, saninu.pk)]
    )
    assert body["loads"] == [
        {"judge": andi.pk, "name": "Andi", "load": 1},
        {"judge": sari.pk, "name": "Sari", "load": 2},
    ]
    assert body["conflicts_avoided"] == 1
    assert body["shortfalls"] == [
        {
            "submission": saninu.pk,
            "title": "Saninu",
            "needed": 2,
            "assigned": 1,
            "reason": "panel_too_small",
            "message": (
                f"“Saninu” has 1 of 2 judges: the “{saninu.category.name}” panel has "
                "2 judges, 1 of them with a conflict of interest. Add judges to the "
                "panel or lower the judges per entry."
            ),
        }
    ]


def test_assign_refuses_a_bad_k(api, organizer, stage):
    api.force_authenticate(organizer)

    response = api.post(assign_url(stage), {"judges_per_entry": 0}, format="json")

    assert response.status_code == 400
    assert "judges_per_entry" in response.json()


def test_assign_without_entries_is_409(api, contest, organizer, stage, table_rows):
    JudgeFactory(contest=contest)
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(assign_url(stage), {"judges_per_entry": 2}, format="json")

    assert response.status_code == 409
    assert table_rows() == rows_before


# ---------------------------------------------------------------- stage assignments


@pytest.mark.parametrize(("role", "status"), ORGANIZER_ONLY)
def test_stage_assignments_list_by_role(api, api_as, stage, assignment, role, status):
    api_as(role)

    response = api.get(assignments_url(stage))

    assert response.status_code == (status or 200)
    if status is None:
        row = response.json()["results"][0]
        assert row["id"] == assignment.pk
        assert row["judge_name"] == "Dr. Andi"
        assert row["submission_title"] == "Saninu (E-Lapor)"
        assert row["state"] == "not_started"


@pytest.mark.parametrize("size", [1, 3])
def test_stage_assignments_list_query_count_constant(
    api, organizer, stage, django_assert_num_queries, size
):
    for _ in range(size):
        SubmittedSheetFactory(assignment=AssignmentFactory(stage=stage))
    api.force_authenticate(organizer)

    with django_assert_num_queries(5):
        response = api.get(assignments_url(stage))

    assert response.json()["count"] == size
    assert {row["state"] for row in response.json()["results"]} == {"submitted"}


def test_stage_assignments_add_by_hand(api, organizer, stage, judge, entry):
    api.force_authenticate(organizer)

    response = api.post(
        assignments_url(stage),
        {"judge": judge.pk, "submission": entry.pk},
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["id"] == Assignment.objects.get().pk


def test_stage_assignments_add_refuses_a_conflicted_pair(
    api, contest, organizer, stage, table_rows
):
    bima = RegionFactory(code="52.72", province=ProvinceFactory(code="52"))
    province_judge = JudgeFactory(contest=contest, home_region=bima.province)
    entry = EligibleSubmissionFactory(contest=contest, region=bima)
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.post(
        assignments_url(stage),
        {"judge": province_judge.pk, "submission": entry.pk},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "conflict of interest" in response.json()["judge"][0]
    assert not Assignment.objects.exists()


def test_stage_assignments_delete(api, organizer, stage, assignment):
    api.force_authenticate(organizer)

    response = api.delete(f"{assignments_url(stage)}{assignment.pk}/")

    assert response.status_code == 204
    assert not Assignment.objects.exists()


def test_stage_assignments_delete_refused_with_a_submitted_sheet(
    api, organizer, stage, assignment, table_rows
):
    SubmittedSheetFactory(assignment=assignment)
    api.force_authenticate(organizer)

    rows_before = table_rows()
    response = api.delete(f"{assignments_url(stage)}{assignment.pk}/")

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert Assignment.objects.exists()


@pytest.mark.parametrize(("role", "status"), ORGANIZER_ONLY)
def test_stage_assignments_delete_by_role(api, api_as, stage, assignment, role, status):
    api_as(role)

    response = api.delete(f"{assignments_url(stage)}{assignment.pk}/")

    assert response.status_code == (status or 204)


# ---------------------------------------------------------------- my assignments


@pytest.mark.parametrize(
    ("role", "status", "count"),
    [
        ("anonymous", 401, None),
        ("delegate", 200, 0),
        ("judge_assigned", 200, 1),
        ("judge_unassigned", 200, 0),
        ("other_organizer", 200, 0),
        ("organizer", 200, 0),
        ("superuser", 200, 0),
    ],
)
def test_my_assignments_by_role(api, api_as, assignment, role, status, count):
    api_as(role)

    response = api.get(MY_ASSIGNMENTS)

    assert response.status_code == status
    if count is not None:
        assert response.json()["count"] == count


def test_my_assignments_carry_the_entry_and_its_evidence(api, assignment):
    entry = assignment.submission
    pdf = EvidenceFactory(submission=entry, title="Laporan")
    LinkEvidenceFactory(submission=entry, title="Video")
    api.force_authenticate(assignment.judge.user)

    response = api.get(MY_ASSIGNMENTS)

    row = response.json()["results"][0]
    assert row["contest"] == entry.contest.slug
    assert row["stage"] == assignment.stage.pk
    assert row["state"] == "not_started"
    assert row["submission"]["title"] == "Saninu (E-Lapor)"
    assert row["submission"]["region"] == entry.region_id
    evidence = {item["title"]: item for item in row["submission"]["evidence"]}
    assert evidence["Laporan"]["kind"] == "file"
    assert evidence["Laporan"]["file_url"] == reverse(
        "submissions:evidence-file",
        kwargs={"slug": entry.contest.slug, "pk": entry.pk, "evidence_pk": pdf.pk},
    )
    assert evidence["Video"]["kind"] == "link"
    assert evidence["Video"]["url"] == "https://www.youtube.com/watch?v=contoh"
    assert evidence["Video"]["file_url"] is None


@pytest.mark.parametrize("size", [1, 3])
def test_my_assignments_query_count_constant(api, django_assert_num_queries, size):
    judge = JudgeFactory()
    for _ in range(size):
        assignment = AssignmentFactory(
            judge=judge, stage=OpenStageFactory(contest=judge.contest)
        )
        EvidenceFactory(submission=assignment.submission)
    api.force_authenticate(judge.user)

    with django_assert_num_queries(3):
        response = api.get(MY_ASSIGNMENTS)

    assert response.json()["count"] == size


# ---------------------------------------------------------------- the sheet


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("delegate", 404),
        ("judge_assigned", 200),
        ("judge_unassigned", 404),
        ("other_organizer", 404),
        ("organizer", 200),
        ("superuser", 200),
    ],
)
def test_sheet_get_by_role(api, api_as, assignment, criteria, role, status):
    ScoreFactory(sheet__assignment=assignment, criterion=criteria[0])
    api_as(role)

    response = api.get(sheet_url(assignment))

    assert response.status_code == status
    if status == 200:
        body = response.json()
        assert body["version"] == 1
        assert body["state"] == "draft"
        assert body["scores"][0] == {
            "criterion": criteria[0].pk,
            "name": "Kebaruan",
            "value": "7.00",
            "comment": "",
        }


def test_sheet_get_before_any_save_is_version_0(api, assignment, criteria):
    api.force_authenticate(assignment.judge.user)

    body = api.get(sheet_url(assignment)).json()

    assert body["version"] == 0
    assert body["state"] == "not_started"
    assert [row["value"] for row in body["scores"]] == [None, None]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 401),
        ("delegate", 404),
        ("judge_assigned", 200),
        ("judge_unassigned", 404),
        ("other_organizer", 404),
        ("organizer", 403),
        ("superuser", 403),
    ],
)
def test_sheet_put_by_role(api, api_as, assignment, full_scores, role, status):
    api_as(role)

    response = api.put(
        sheet_url(assignment),
        {"scores": full_scores, "comment": "", "submit": False, "version": 0},
        format="json",
    )

    assert response.status_code == status
    assert Score.objects.count() == (2 if status == 200 else 0)


def test_sheet_put_submits_and_answers_the_sheet(api, assignment, full_scores):
    api.force_authenticate(assignment.judge.user)

    response = api.put(
        sheet_url(assignment),
        {"scores": full_scores, "comment": "Layak.", "submit": True, "version": 0},
        format="json",
    )

    body = response.json()
    assert response.status_code == 200
    assert body["state"] == "submitted"
    assert body["version"] == 1
    assert body["comment"] == "Layak."
    assert body["score"] == "78.50"
    assert [row["value"] for row in body["scores"]] == ["7.50", "8.00"]


def test_sheet_put_is_read_only_once_submitted(
    api, assignment, full_scores, table_rows
):
    api.force_authenticate(assignment.judge.user)
    api.put(
        sheet_url(assignment),
        {"scores": full_scores, "submit": True, "version": 0},
        format="json",
    )

    rows_before = table_rows()
    response = api.put(
        sheet_url(assignment),
        {"scores": full_scores, "submit": False, "version": 1},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert ScoreSheet.objects.get().state == SheetState.SUBMITTED


def test_sheet_put_with_a_stale_version_is_409(
    api, assignment, full_scores, criteria, table_rows
):
    api.force_authenticate(assignment.judge.user)
    api.put(sheet_url(assignment), {"scores": full_scores, "version": 0}, format="json")

    rows_before = table_rows()
    response = api.put(
        sheet_url(assignment),
        {"scores": [{"criterion": criteria[0].pk, "value": 1}], "version": 0},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert response.json()["version"] == [
        "This sheet was changed elsewhere; reload it."
    ]
    assert Score.objects.get(criterion=criteria[0]).value == Decimal("7.50")


def test_sheet_put_without_a_version_is_applied(api, assignment, full_scores):
    api.force_authenticate(assignment.judge.user)

    response = api.put(sheet_url(assignment), {"scores": full_scores}, format="json")

    assert response.status_code == 200
    assert response.json()["version"] == 1
    assert response["ETag"] == '"1"'
    assert list(
        Score.objects.order_by("criterion__order").values_list("value", flat=True)
    ) == [
        Decimal("7.50"),
        Decimal("8.00"),
    ]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10.5, "“Kebaruan”: Enter a score from 0 to 10."),
        ("sepuluh", "“Kebaruan”: Enter a number."),
        (7.25, "“Kebaruan”: Scores go in steps of 0.5 from 0."),
    ],
)
def test_sheet_put_refuses_a_bad_value_naming_the_field(
    api, assignment, criteria, value, message
):
    api.force_authenticate(assignment.judge.user)

    response = api.put(
        sheet_url(assignment),
        {"scores": [{"criterion": criteria[0].pk, "value": value}], "version": 0},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["scores"] == [message]
    assert not ScoreSheet.objects.exists()


def test_sheet_put_refuses_a_criterion_of_another_stage(api, assignment, contest):
    from tests.factories.judging import StepCriterionFactory

    elsewhere = StepCriterionFactory(stage=OpenStageFactory(contest=contest))
    api.force_authenticate(assignment.judge.user)

    response = api.put(
        sheet_url(assignment),
        {"scores": [{"criterion": elsewhere.pk, "value": 5}], "version": 0},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["scores"] == [
        f"Criterion {elsewhere.pk} is not part of this stage's rubric."
    ]


def test_sheet_put_submit_after_the_window_closes_is_409(
    api, assignment, full_scores, table_rows
):
    stage = assignment.stage
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(seconds=1)
    stage.save()
    api.force_authenticate(assignment.judge.user)

    rows_before = table_rows()
    response = api.put(
        sheet_url(assignment),
        {"scores": full_scores, "submit": True, "version": 0},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "Scoring for this stage closed on" in response.json()["detail"]
    assert not ScoreSheet.objects.exists()


def test_sheet_of_another_judge_is_404(api, assignment, criteria):
    other = AssignmentFactory(stage=assignment.stage, submission=assignment.submission)
    ScoreFactory(sheet__assignment=other, criterion=criteria[0])
    api.force_authenticate(assignment.judge.user)

    response = api.get(sheet_url(other))

    assert response.status_code == 404
