import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from contest.models import Criterion
from judging.enums import ConflictSource
from judging.models import Assignment, ConflictOfInterest, Judge
from tests.factories.contest import CategoryFactory, ProvinceFactory, RegionFactory
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    ScoreFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]

ROLE_STATUS = [
    ("anonymous", 302),
    ("delegate", 403),
    ("judge_assigned", 403),
    ("judge_unassigned", 403),
    ("other_organizer", 403),
    ("organizer", 200),
    ("superuser", 200),
]
POST_STATUS = [
    (role, 302 if status in (200, 302) else status) for role, status in ROLE_STATUS
]


def contest_url(name, contest, **kwargs):
    return reverse(f"judging:{name}", kwargs={"slug": contest.slug, **kwargs})


def stage_url(name, stage, **kwargs):
    return reverse(
        f"judging:{name}",
        kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk, **kwargs},
    )


@pytest.mark.parametrize("page", ["manage", "panels", "conflicts"])
@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_contest_judging_pages_by_role(
    client, sign_in, contest, assignment, page, role, status
):
    sign_in(role)

    response = client.get(contest_url(page, contest))

    assert response.status_code == status


@pytest.mark.parametrize("page", ["rubric", "assignments", "progress"])
@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_stage_judging_pages_by_role(
    client, sign_in, stage, assignment, page, role, status
):
    sign_in(role)

    response = client.get(stage_url(page, stage))

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_judge_edit_page_by_role(client, sign_in, contest, assignment, role, status):
    sign_in(role)

    response = client.get(contest_url("judge-edit", contest, pk=assignment.judge.pk))

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_criterion_edit_page_by_role(
    client, sign_in, stage, criteria, assignment, role, status
):
    sign_in(role)

    response = client.get(stage_url("criterion-edit", stage, pk=criteria[0].pk))

    assert response.status_code == status


def test_judging_pages_of_a_private_contest_are_404_for_outsiders(
    client, contest, stage, other_organizer
):
    contest.is_public = False
    contest.save()
    client.force_login(other_organizer)

    response = client.get(stage_url("progress", stage))

    assert response.status_code == 404


def test_stage_pages_404_for_a_screening_stage(client, organizer, contest):
    from tests.factories.judging import OpenStageFactory

    screening = OpenStageFactory(contest=contest, kind="screening")
    client.force_login(organizer)

    response = client.get(stage_url("assignments", screening))

    assert response.status_code == 404


# ---------------------------------------------------------------- judges and panels


def test_panels_invite_a_judge(
    client, organizer, contest, django_capture_on_commit_callbacks
):
    health = CategoryFactory(contest=contest, name="Kesehatan")
    home = RegionFactory(code="73.71", province=ProvinceFactory(code="73"))
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            contest_url("panels", contest),
            {
                "email": "rina@unhas.ac.id",
                "name": "Rina Hapsari",
                "home_region": home.code,
                "categories": [health.pk],
                "panels": [health.pk],
            },
        )

    assert response.status_code == 302
    judge = Judge.objects.get(user__email="rina@unhas.ac.id")
    assert judge.home_region == home
    assert list(judge.panels.all()) == [health]
    assert mail.outbox[0].to == ["rina@unhas.ac.id"]


def test_panels_show_who_sits_on_each_panel(client, organizer, contest):
    health, economy = CategoryFactory.create_batch(2, contest=contest)
    JudgeFactory(contest=contest, name="Panel Kesehatan", panels=[health])
    JudgeFactory(contest=contest, name="Semua Panel")
    client.force_login(organizer)

    response = client.get(contest_url("panels", contest))

    panels = {
        p.category: [str(j) for j in p.judges] for p in response.context["panels"]
    }
    assert panels == {
        health: ["Panel Kesehatan", "Semua Panel"],
        economy: ["Semua Panel"],
    }


def test_panels_invite_refuses_an_existing_judge(client, organizer, contest, judge):
    client.force_login(organizer)

    response = client.post(
        contest_url("panels", contest), {"email": judge.user.email, "name": "x"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "email": [f"{judge.user.email} is already a judge in this contest."]
    }


def _panels(client, django_assert_num_queries, organizer, contest, n):
    categories = CategoryFactory.create_batch(2, contest=contest)
    for _ in range(n):
        JudgeFactory(contest=contest, categories=categories, panels=categories[:1])
    client.force_login(organizer)
    with django_assert_num_queries(12):
        return client.get(contest_url("panels", contest))


def test_panels_queries_constant_one(
    client, django_assert_num_queries, organizer, contest
):
    response = _panels(client, django_assert_num_queries, organizer, contest, 1)

    assert len(response.context["judges"]) == 1


def test_panels_queries_constant_three(
    client, django_assert_num_queries, organizer, contest
):
    response = _panels(client, django_assert_num_queries, organizer, contest, 3)

    assert len(response.context["judges"]) == 3


def test_judge_edit_sets_panels(client, organizer, contest, judge):
    health = CategoryFactory(contest=contest)
    client.force_login(organizer)

    response = client.post(
        contest_url("judge-edit", contest, pk=judge.pk),
        {"name": "Dr. Andi Pratama", "panels": [health.pk]},
    )

    assert response.status_code == 302
    judge.refresh_from_db()
    assert judge.name == "Dr. Andi Pratama"
    assert list(judge.panels.all()) == [health]


@pytest.mark.parametrize(("role", "status"), POST_STATUS)
def test_judge_remove_by_role(client, sign_in, contest, judge, role, status):
    sign_in(role)

    response = client.post(contest_url("judge-remove", contest, pk=judge.pk))

    assert response.status_code == status
    removed = role in ("organizer", "superuser")
    assert Judge.objects.filter(pk=judge.pk).exists() is not removed


# ---------------------------------------------------------------- conflicts


def test_conflicts_declare_removes_the_assignment(client, organizer, assignment):
    client.force_login(organizer)

    response = client.post(
        contest_url("conflicts", assignment.stage.contest),
        {
            "judge": assignment.judge.pk,
            "submission": assignment.submission.pk,
            "reason": "Kerabat kepala daerah.",
        },
    )

    assert response.status_code == 302
    assert not Assignment.objects.exists()
    conflict = ConflictOfInterest.objects.get()
    assert conflict.source == ConflictSource.DECLARED
    assert conflict.declared_by == organizer


# ---------------------------------------------------------------- the rubric


def test_rubric_add_a_criterion_with_levels(client, organizer, stage, criteria):
    client.force_login(organizer)

    response = client.post(
        stage_url("rubric", stage),
        {
            "name": "Dapat direplikasi",
            "description": "Dapat ditiru daerah lain.",
            "weight": "20",
            "min_score": "0",
            "max_score": "10",
            "step": "1",
            "levels_text": "8: Baik\n2: Lemah",
            "expected_evidence": "Rencana replikasi.",
            "order": "3",
        },
    )

    assert response.status_code == 302
    criterion = Criterion.objects.get(name="Dapat direplikasi")
    assert criterion.levels == [
        {"score": 2, "description": "Lemah"},
        {"score": 8, "description": "Baik"},
    ]
    assert criterion.step == Decimal("1")


def test_rubric_refuses_bad_levels(client, organizer, stage):
    client.force_login(organizer)

    response = client.post(
        stage_url("rubric", stage),
        {
            "name": "X",
            "weight": "1",
            "min_score": "0",
            "max_score": "10",
            "step": "1",
            "levels_text": "baik sekali",
            "order": "1",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "levels_text": ['Line 1: write "score: description", e.g. "8: Good".']
    }


def test_rubric_edit_a_criterion(client, organizer, stage, criteria):
    client.force_login(organizer)

    response = client.post(
        stage_url("criterion-edit", stage, pk=criteria[0].pk),
        {
            "name": "Kebaruan",
            "weight": "35",
            "min_score": "0",
            "max_score": "10",
            "step": "0.5",
            "levels_text": "",
            "order": "1",
        },
    )

    assert response.status_code == 302
    assert Criterion.objects.get(pk=criteria[0].pk).weight == Decimal("35")


def test_rubric_is_locked_after_a_submitted_sheet(client, organizer, stage, criteria):
    SubmittedSheetFactory(assignment=AssignmentFactory(stage=stage))
    client.force_login(organizer)

    page = client.get(stage_url("rubric", stage))
    response = client.post(
        stage_url("criterion-edit", stage, pk=criteria[0].pk),
        {
            "name": "Kebaruan",
            "weight": "99",
            "min_score": "0",
            "max_score": "10",
            "step": "0.5",
            "order": "1",
        },
    )
    removed = client.post(stage_url("criterion-remove", stage, pk=criteria[1].pk))

    assert "can no longer change" in page.content.decode()
    assert response.status_code == 200
    assert "can no longer change" in str(response.context["form"].non_field_errors())
    assert removed.status_code == 302
    assert Criterion.objects.get(pk=criteria[0].pk).weight == Decimal("30")
    assert Criterion.objects.filter(pk=criteria[1].pk).exists()


# ---------------------------------------------------------------- assignment


def test_assignments_run_shows_loads_conflicts_and_shortfalls(
    client, organizer, contest, stage
):
    province = ProvinceFactory(code="52")
    bima = RegionFactory(code="52.72", province=province)
    health = CategoryFactory(contest=contest, name="Kesehatan")
    JudgeFactory(contest=contest, name="Andi", home_region=bima)
    JudgeFactory(contest=contest, name="Sari")
    EligibleSubmissionFactory(
        contest=contest, category=health, region=bima, title="Saninu"
    )
    client.force_login(organizer)

    response = client.post(stage_url("assignments", stage), {"judges_per_entry": "2"})

    html = response.content.decode()
    assert response.status_code == 200
    run = response.context["run"]
    assert run.conflicts_avoided == 1
    assert [(str(judge), load) for judge, load in response.context["run_loads"]] == [
        ("Andi", 0),
        ("Sari", 1),
    ]
    assert "“Saninu” has 1 of 2 judges" in html
    assert "1 assignment was made." in html


def test_assignments_add_refuses_a_conflicted_pair(client, organizer, contest, stage):
    bima = RegionFactory(code="52.72", province=ProvinceFactory(code="52"))
    judge = JudgeFactory(contest=contest, home_region=bima)
    entry = EligibleSubmissionFactory(contest=contest, region=bima)
    client.force_login(organizer)

    response = client.post(
        stage_url("assignment-add", stage),
        {"judge": judge.pk, "submission": entry.pk},
        follow=True,
    )

    assert not Assignment.objects.exists()
    assert "has a conflict of interest with this entry" in response.content.decode()


def test_assignments_add_and_remove(client, organizer, stage, judge, entry):
    client.force_login(organizer)

    client.post(
        stage_url("assignment-add", stage), {"judge": judge.pk, "submission": entry.pk}
    )
    assignment = Assignment.objects.get()
    client.post(stage_url("assignment-remove", stage, pk=assignment.pk))

    assert not Assignment.objects.exists()


def test_assignments_remove_refused_with_a_submitted_sheet(
    client, organizer, stage, assignment
):
    SubmittedSheetFactory(assignment=assignment)
    client.force_login(organizer)

    response = client.post(
        stage_url("assignment-remove", stage, pk=assignment.pk), follow=True
    )

    assert Assignment.objects.filter(pk=assignment.pk).exists()
    assert "reopen it before removing" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), POST_STATUS)
def test_assignments_run_by_role(client, sign_in, stage, assignment, role, status):
    sign_in(role)

    response = client.post(stage_url("assignments", stage), {"judges_per_entry": "1"})

    assert response.status_code == (
        200 if status == 302 and role != "anonymous" else status
    )


def _assignments(client, django_assert_num_queries, organizer, stage, n):
    for _ in range(n):
        AssignmentFactory(stage=stage)
    client.force_login(organizer)
    with django_assert_num_queries(11):
        return client.get(stage_url("assignments", stage))


def test_assignments_page_queries_constant_one(
    client, django_assert_num_queries, organizer, stage
):
    response = _assignments(client, django_assert_num_queries, organizer, stage, 1)

    assert len(response.context["page_obj"].object_list) == 1


def test_assignments_page_queries_constant_three(
    client, django_assert_num_queries, organizer, stage
):
    response = _assignments(client, django_assert_num_queries, organizer, stage, 3)

    assert len(response.context["page_obj"].object_list) == 3


# ---------------------------------------------------------------- progress


def test_progress_counts_per_judge_and_category(
    client, organizer, contest, stage, criteria
):
    health, economy = CategoryFactory.create_batch(2, contest=contest)
    judge = JudgeFactory(contest=contest, name="Andi")
    idle = JudgeFactory(contest=contest, name="Budi")
    started = AssignmentFactory(stage=stage, judge=judge, submission__category=health)
    ScoreFactory(sheet__assignment=started, criterion=criteria[0])
    done = AssignmentFactory(stage=stage, judge=judge, submission__category=economy)
    SubmittedSheetFactory(assignment=done)
    AssignmentFactory(stage=stage, judge=idle, submission__category=health)
    client.force_login(organizer)

    response = client.get(stage_url("progress", stage))

    by_judge = {
        row.label: (row.not_started, row.draft, row.submitted)
        for row in response.context["by_judge"]
    }
    by_category = {
        row.label: (row.not_started, row.draft, row.submitted)
        for row in response.context["by_category"]
    }
    assert by_judge == {"Andi": (0, 1, 1), "Budi": (1, 0, 0)}
    assert by_category[health.name] == (1, 1, 0)
    assert by_category[economy.name] == (0, 0, 1)
    assert response.context["late_count"] == 2


def _flag(stage, criteria, entry, values):
    for low, high in values:
        sheet = SubmittedSheetFactory(
            assignment=AssignmentFactory(stage=stage, submission=entry)
        )
        ScoreFactory(sheet=sheet, criterion=criteria[0], value=Decimal(low))
        ScoreFactory(sheet=sheet, criterion=criteria[1], value=Decimal(high))


def test_progress_flags_disagreement_and_adds_a_judge(
    client, organizer, contest, stage, criteria
):
    entry = EligibleSubmissionFactory(contest=contest, title="Lapor Akai Meno")
    calm = EligibleSubmissionFactory(contest=contest, title="Layad Rawat")
    _flag(stage, criteria, entry, [("9", "9"), ("2", "3")])
    _flag(stage, criteria, calm, [("7", "7"), ("7", "8")])
    spare = JudgeFactory(contest=contest, name="Cadangan")
    client.force_login(organizer)

    page = client.get(stage_url("progress", stage))
    response = client.post(
        stage_url("extra-judge", stage, submission_pk=entry.pk), follow=True
    )

    flagged = page.context["flagged"]
    assert [row.submission for row in flagged] == [entry]
    assert flagged[0].scores == [Decimal("27.00"), Decimal("90.00")]
    assert flagged[0].spread == Decimal("63.00")
    assert Assignment.objects.filter(
        stage=stage, submission=entry, judge=spare
    ).exists()
    assert "Cadangan now also scores “Lapor Akai Meno”." in response.content.decode()


def test_progress_send_reminders(
    client, organizer, stage, assignment, django_capture_on_commit_callbacks
):
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(stage_url("remind", stage), follow=True)

    assert [m.to for m in mail.outbox] == [[assignment.judge.user.email]]
    assert "A reminder is on its way to 1 judge." in response.content.decode()


def test_a_second_reminder_the_same_day_says_nobody_was_sent_one(
    client, organizer, stage, assignment, django_capture_on_commit_callbacks
):
    client.force_login(organizer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(stage_url("remind", stage), follow=True)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(stage_url("remind", stage), follow=True)

    assert len(mail.outbox) == 1
    page = response.content.decode()
    assert "on its way" not in page
    assert "already reminded today" in page


def test_progress_reminders_refused_after_closing(client, organizer, stage, assignment):
    stage.opens = timezone.now() - dt.timedelta(days=10)
    stage.closes = timezone.now() - dt.timedelta(days=1)
    stage.save()
    client.force_login(organizer)

    response = client.post(stage_url("remind", stage), follow=True)

    assert mail.outbox == []
    assert "only while the stage is open" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), POST_STATUS)
def test_progress_remind_by_role(
    client,
    sign_in,
    stage,
    assignment,
    role,
    status,
    django_capture_on_commit_callbacks,
):
    sign_in(role)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(stage_url("remind", stage))

    assert response.status_code == status
    assert len(mail.outbox) == (1 if role in ("organizer", "superuser") else 0)


def _progress(client, django_assert_num_queries, organizer, stage, criteria, n):
    for _ in range(n):
        sheet = SubmittedSheetFactory(assignment=AssignmentFactory(stage=stage))
        ScoreFactory(sheet=sheet, criterion=criteria[0])
        ScoreFactory(sheet=sheet, criterion=criteria[1])
    client.force_login(organizer)
    with django_assert_num_queries(14):
        return client.get(stage_url("progress", stage))


def test_progress_queries_constant_one(
    client, django_assert_num_queries, organizer, stage, criteria
):
    response = _progress(
        client, django_assert_num_queries, organizer, stage, criteria, 1
    )

    assert response.context["totals"]["submitted"] == 1


def test_progress_queries_constant_three(
    client, django_assert_num_queries, organizer, stage, criteria
):
    response = _progress(
        client, django_assert_num_queries, organizer, stage, criteria, 3
    )

    assert response.context["totals"]["submitted"] == 3


def test_progress_lists_entries_short_of_judges_after_a_declared_conflict(
    client, organizer, contest, stage, judge, entry
):
    stage.judges_per_entry = 2
    stage.save()
    other = JudgeFactory(contest=contest, name="Sari")
    spare = JudgeFactory(contest=contest, name="Cadangan")
    AssignmentFactory(stage=stage, judge=judge, submission=entry)
    AssignmentFactory(stage=stage, judge=other, submission=entry)
    client.force_login(judge.user)
    client.post(
        reverse(
            "judging:declare-conflict",
            kwargs={"pk": Assignment.objects.get(judge=judge).pk},
        ),
        {"reason": "Penasihat dinas ini."},
    )
    client.force_login(organizer)

    page = client.get(stage_url("progress", stage))
    client.post(stage_url("extra-judge", stage, submission_pk=entry.pk))

    assert [(e.title, e.judge_count) for e in page.context["short"]] == [
        ("Saninu (E-Lapor)", 1)
    ]
    assert set(
        Assignment.objects.filter(submission=entry).values_list("judge", flat=True)
    ) == {other.pk, spare.pk}
