"""After the final publication (`Contest.frozen_at`), every write of judging answers
409 and changes nothing: each public write function of judging.services (the table
below, checked complete by introspection), and the pages and API endpoints for judge
invitations, conflicts, assignments and sheets."""

import datetime as dt
import importlib
import inspect
import pkgutil
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry, Criterion
from judging import services
from judging.enums import SheetState
from judging.models import (
    Assignment,
    ConflictOfInterest,
    Judge,
    ReminderLog,
    Score,
    ScoreSheet,
    StageEntry,
)
from judging.selectors.messages import Audience, MessageGroup
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    ScoreFactory,
    ScoreSheetFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]

FROZEN = "The results are published; this contest no longer changes."

# Public functions of judging.services that write nothing of a contest (the
# scheduled deadline reminders write only to the outbox and leave frozen
# contests out; tests/notifications/test_deadline_reminders.py).
READS = {"check_rubric_editable", "send_scoring_deadline_reminders"}
# An organizer's message: choosing the group and its preview write nothing (the
# preview refuses a frozen contest too); the texts' preview renders sample data.
READS |= {"audience_of", "preview_message", "editable_event_of", "preview_template"}
# The proposed schedule is shown, not written (applying it is a write).
READS |= {"propose_schedule"}


@pytest.fixture
def world(contest, stage, criteria, assignment, organizer):
    """A contest mid-judging: a draft sheet, a submitted sheet at the next stage, an
    assignment not started, a spare judge and an entry without judges; then the
    final publication freezes it."""
    ScoreFactory(
        sheet=ScoreSheetFactory(assignment=assignment, version=1),
        criterion=criteria[0],
    )
    later = OpenStageFactory(contest=contest, order=stage.order + 1)
    submitted = SubmittedSheetFactory(assignment=AssignmentFactory(stage=later))
    spare = JudgeFactory(contest=contest, name="Cadangan")
    entry = EligibleSubmissionFactory(contest=contest)
    StageEntry.objects.create(stage=stage, submission=entry)
    unstarted = AssignmentFactory(stage=stage, judge=spare, submission=entry)
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])
    return {
        "contest": contest,
        "stage": stage,
        "later": later,
        "criteria": criteria,
        "draft": assignment,
        "submitted": submitted,
        "unstarted": unstarted,
        "spare": spare,
        "entry": entry,
        "organizer": organizer,
        "judge_user": assignment.judge.user,
    }


def _slot(w):
    """A session of the stage, never saved: each schedule write refuses first."""
    from judging.models_formats import Slot

    now = timezone.now()
    return Slot(stage=w["stage"], starts_at=now, ends_at=now + dt.timedelta(hours=1))


def _validation(w):
    """A verdict on the stage's first criterion, never saved: each refuses first."""
    from judging.models_formats import IndicatorValidation

    return IndicatorValidation(
        stage=w["stage"], submission=w["entry"], criterion=w["criteria"][0]
    )


def validation_writes():
    return {
        "record_validation": lambda w: services.record_validation(
            stage=w["stage"],
            submission=w["entry"],
            criterion=w["criteria"][0],
            verdict="valid",
            by=w["judge_user"],
        ),
        "draw_qc_sample": lambda w: services.draw_qc_sample(
            stage=w["stage"], by=w["organizer"]
        ),
        "review_qc": lambda w: services.review_qc(
            validation=_validation(w), by=w["organizer"], overturn=False
        ),
    }


def schedule_writes():
    now = timezone.now()
    return {
        "create_slot": lambda w: services.create_slot(
            stage=w["stage"],
            starts_at=now,
            ends_at=now + dt.timedelta(hours=1),
            by=w["organizer"],
        ),
        "create_slot_series": lambda w: services.create_slot_series(
            stage=w["stage"],
            first_day=now.date(),
            last_day=now.date(),
            day_starts=dt.time(8),
            day_ends=dt.time(10),
            minutes=60,
            by=w["organizer"],
        ),
        "update_slot": lambda w: services.update_slot(
            slot=_slot(w), data={"place": "Aula"}, by=w["organizer"]
        ),
        "delete_slot": lambda w: services.delete_slot(slot=_slot(w), by=w["organizer"]),
        "book_slot": lambda w: services.book_slot(
            slot=_slot(w), submission=w["entry"], judges=[], by=w["organizer"]
        ),
        "unbook_slot": lambda w: services.unbook_slot(slot=_slot(w), by=w["organizer"]),
        "apply_schedule": lambda w: services.apply_schedule(
            stage=w["stage"], by=w["organizer"]
        ),
        "announce_schedule": lambda w: services.announce_schedule(
            stage=w["stage"], by=w["organizer"]
        ),
    }


WRITES = {
    "invite_judge": lambda w: services.invite_judge(
        contest=w["contest"], email="juri.baru@example.id", by=w["organizer"]
    ),
    "update_judge": lambda w: services.update_judge(
        judge=w["spare"],
        by=w["organizer"],
        name="Nama baru",
        home_region=None,
        categories=[],
        panels=[],
    ),
    "remove_judge": lambda w: services.remove_judge(
        judge=w["spare"], by=w["organizer"]
    ),
    "sync_derived_conflicts": lambda w: services.sync_derived_conflicts(
        contest=w["contest"], by=w["organizer"]
    ),
    "declare_conflict": lambda w: services.declare_conflict(
        judge=w["draft"].judge,
        submission=w["draft"].submission,
        reason="Kerabat.",
        by=w["organizer"],
    ),
    "assign_judges": lambda w: services.assign_judges(
        stage=w["stage"], judges_per_entry=1, by=w["organizer"]
    ),
    "add_assignment": lambda w: services.add_assignment(
        stage=w["stage"],
        judge=w["draft"].judge,
        submission=w["entry"],
        by=w["organizer"],
    ),
    "remove_assignment": lambda w: services.remove_assignment(
        assignment=w["draft"], by=w["organizer"]
    ),
    "add_extra_judge": lambda w: services.add_extra_judge(
        stage=w["stage"], submission=w["entry"], by=w["organizer"]
    ),
    "set_stage_entries": lambda w: services.set_stage_entries(
        stage=w["stage"], submission_ids=[], by=w["organizer"]
    ),
    "ensure_sheet": lambda w: services.ensure_sheet(assignment=w["unstarted"]),
    "record_sheet": lambda w: services.record_sheet(
        sheet=w["draft"].sheet,
        scores=[{"criterion": w["criteria"][0].pk, "value": "2"}],
        comment="",
        submit=False,
        by=w["judge_user"],
    ),
    "reopen_sheet": lambda w: services.reopen_sheet(
        sheet=w["submitted"], by=w["organizer"], reason="Koreksi."
    ),
    "set_sheet_state": lambda w: services.set_sheet_state(
        sheet=w["submitted"], new_state=SheetState.DRAFT, by=w["organizer"]
    ),
    "request_reminders": lambda w: services.request_reminders(
        stage=w["stage"], by=w["organizer"]
    ),
    "send_reminders": lambda w: services.send_reminders(stage=w["stage"]),
    "add_criterion": lambda w: services.add_criterion(
        stage=w["stage"], by=w["organizer"], name="Baru", weight=Decimal(10)
    ),
    "update_criterion": lambda w: services.update_criterion(
        criterion=w["criteria"][0], by=w["organizer"], data={"name": "Diubah"}
    ),
    "remove_criterion": lambda w: services.remove_criterion(
        criterion=w["criteria"][0], by=w["organizer"]
    ),
    "send_message": lambda w: services.send_message(
        audience=Audience(contest=w["contest"], group=MessageGroup.PARTICIPANTS),
        subject="Pengumuman",
        body="Isi pesan.",
        by=w["organizer"],
        expected_count=None,
    ),
    "save_template": lambda w: services.save_template(
        contest=w["contest"],
        event="invitation",
        language="id",
        subject="Undangan",
        body="Halo.",
        by=w["organizer"],
    ),
    "restore_default_template": lambda w: services.restore_default_template(
        contest=w["contest"], event="invitation", language="id", by=w["organizer"]
    ),
    **schedule_writes(),
    **validation_writes(),
}


def public_functions():
    """The public functions of every module of the judging.services package."""
    modules = [
        importlib.import_module(f"{services.__name__}.{info.name}")
        for info in pkgutil.iter_modules(services.__path__)
    ]
    return {
        name
        for module in modules
        for name, value in inspect.getmembers(module, inspect.isfunction)
        if value.__module__ == module.__name__ and not name.startswith("_")
    }


def test_the_table_lists_every_public_write_of_judging_services():
    assert set(WRITES) == public_functions() - READS


def test_the_package_exports_every_public_function():
    assert all(hasattr(services, name) for name in public_functions())


def snapshot():
    """Everything a judging write could change."""
    return {
        "judges": sorted(Judge.objects.values_list("pk", "name", "home_region")),
        "users": get_user_model().objects.count(),
        "conflicts": sorted(ConflictOfInterest.objects.values_list("pk", flat=True)),
        "assignments": sorted(Assignment.objects.values_list("pk", flat=True)),
        "sheets": sorted(
            ScoreSheet.objects.values_list(
                "pk", "state", "version", "comment", "excluded_at"
            )
        ),
        "scores": sorted(Score.objects.values_list("pk", "value", "comment")),
        "entries": sorted(StageEntry.objects.values_list("stage", "submission")),
        "criteria": sorted(Criterion.objects.values_list("pk", "name", "weight")),
        "reminders": ReminderLog.objects.count(),
        "ledger": AuditEntry.objects.count(),
        "mail": len(mail.outbox),
    }


@pytest.mark.parametrize("name", sorted(WRITES))
def test_every_write_refuses_once_frozen(
    world, name, django_capture_on_commit_callbacks, table_rows
):
    before = snapshot()

    rows_before = table_rows()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError) as caught,
    ):
        WRITES[name](world)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert str(caught.value.message) == FROZEN
    assert snapshot() == before


# ---------------------------------------------------------------- API paths


def api_calls(w):
    slug = w["contest"].slug
    stage = f"/api/v1/contests/{slug}/stages/{w['stage'].pk}"
    return {
        "judge invitation": (
            "organizer",
            "post",
            f"/api/v1/contests/{slug}/judges/",
            {"email": "juri.baru@example.id", "name": "Juri Baru"},
        ),
        "conflict": (
            "organizer",
            "post",
            f"/api/v1/contests/{slug}/conflicts/",
            {
                "judge": w["draft"].judge_id,
                "submission": w["draft"].submission_id,
                "reason": "Kerabat.",
            },
        ),
        "conflict by the judge": (
            "judge_user",
            "post",
            f"/api/v1/contests/{slug}/conflicts/",
            {"submission": w["draft"].submission_id, "reason": "Kerabat."},
        ),
        "assignment run": (
            "organizer",
            "post",
            f"{stage}/assign/",
            {"judges_per_entry": 1},
        ),
        "assignment by hand": (
            "organizer",
            "post",
            f"{stage}/assignments/",
            {"judge": w["draft"].judge_id, "submission": w["entry"].pk},
        ),
        "assignment removal": (
            "organizer",
            "delete",
            f"{stage}/assignments/{w['draft'].pk}/",
            None,
        ),
        "sheet": (
            "judge_user",
            "put",
            f"/api/v1/assignments/{w['draft'].pk}/sheet/",
            {"scores": [{"criterion": w["criteria"][0].pk, "value": "2"}]},
        ),
        "criterion": (
            "organizer",
            "post",
            f"{stage}/criteria/",
            {"name": "Baru", "weight": "10", "min_score": 0, "max_score": 10},
        ),
    }


CALLS = [
    "judge invitation",
    "conflict",
    "conflict by the judge",
    "assignment run",
    "assignment by hand",
    "assignment removal",
    "sheet",
    "criterion",
]


@pytest.mark.parametrize("call", CALLS)
def test_api_writes_answer_409_once_frozen(api, world, call, table_rows):
    who, method, url, body = api_calls(world)[call]
    api.force_authenticate(world[who])
    before = snapshot()

    rows_before = table_rows()
    response = getattr(api, method)(url, body, format="json")

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert response.json()["detail"] == FROZEN
    assert snapshot() == before


# ---------------------------------------------------------------- page paths


def page_calls(w):
    slug = w["contest"].slug
    stage = {"slug": slug, "stage_pk": w["stage"].pk}
    scores = {
        "version": "1",
        "comment": "",
        f"score_{w['criteria'][0].pk}": "2",
        f"note_{w['criteria'][0].pk}": "",
        f"score_{w['criteria'][1].pk}": "",
        f"note_{w['criteria'][1].pk}": "",
    }
    return {
        "judge invitation": (
            "organizer",
            reverse("judging:panels", kwargs={"slug": slug}),
            {"email": "juri.baru@example.id", "name": "Juri Baru"},
            {},
        ),
        "conflict": (
            "organizer",
            reverse("judging:conflicts", kwargs={"slug": slug}),
            {
                "judge": w["draft"].judge_id,
                "submission": w["draft"].submission_id,
                "reason": "Kerabat.",
            },
            {},
        ),
        "conflict by the judge": (
            "judge_user",
            reverse("judging:declare-conflict", kwargs={"pk": w["draft"].pk}),
            {"reason": "Kerabat."},
            {},
        ),
        "assignment run": (
            "organizer",
            reverse("judging:assignments", kwargs=stage),
            {"judges_per_entry": "1"},
            {},
        ),
        "assignment by hand": (
            "organizer",
            reverse("judging:assignment-add", kwargs=stage),
            {"judge": w["draft"].judge_id, "submission": w["entry"].pk},
            {},
        ),
        "extra judge": (
            "organizer",
            reverse(
                "judging:extra-judge", kwargs={**stage, "submission_pk": w["entry"].pk}
            ),
            {},
            {},
        ),
        "sheet": (
            "judge_user",
            reverse("judging:sheet", kwargs={"pk": w["draft"].pk}),
            {**scores, "action": "save"},
            {},
        ),
        "sheet autosave": (
            "judge_user",
            reverse("judging:sheet", kwargs={"pk": w["draft"].pk}),
            scores,
            {"HX-Request": "true"},
        ),
        "reopen": (
            "organizer",
            reverse(
                "judging:sheet-reopen", kwargs={"pk": w["submitted"].assignment_id}
            ),
            {"reason": "Koreksi."},
            {},
        ),
    }


@pytest.mark.parametrize(
    "call",
    [
        "judge invitation",
        "conflict",
        "conflict by the judge",
        "assignment run",
        "assignment by hand",
        "extra judge",
        "sheet",
        "sheet autosave",
        "reopen",
    ],
)
def test_page_writes_are_refused_once_frozen(client, world, call):
    who, url, data, headers = page_calls(world)[call]
    client.force_login(world[who])
    before = snapshot()

    response = client.post(url, data, headers=headers, follow=True)

    assert FROZEN in response.content.decode()
    assert snapshot() == before
