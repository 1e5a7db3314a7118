"""One contest moved through the states of its life that change who may do what.

`build_scenario(state)` writes every row of the roles' world once: regions in two
provinces, a contest with a category, a screening stage and two scoring stages, the
delegate of the entry's region and one of another region, an entry per region (the
delegate's with a PDF and a photo), the
judges (assigned to the entry, not assigned, conflicted by home province), an
organizer, an organizer of another contest and a superuser. Then it moves the
contest forward with the real services where they own the step (screening,
conflicts, publication) and with factories where a row is only data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from contest.enums import StageKind
from judging.enums import SheetState
from submissions.enums import SubmissionState

STATES = ["open", "closed", "screening", "judging", "provisional", "final"]
ROLES = [
    "anonymous",
    "delegate",
    "other_delegate",
    "judge_assigned",
    "judge_unassigned",
    "judge_conflicted",
    "other_organizer",
    "organizer",
    "superuser",
]
# A pk no row has: the kwargs of a route whose object does not exist in a state.
MISSING = 999_999


@dataclass
class Scenario:
    state: str
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def pk(self, name: str) -> Any:
        obj = self.objects.get(name)
        return MISSING if obj is None else obj.pk


def _failed_notification(contest):
    """A notification of the contest the mail server refused for good (what an
    organizer may send again)."""
    from notifications.enums import NotificationState
    from notifications.models import Notification

    return Notification.objects.create(
        contest_id=contest.pk,
        email="delegasi@example.id",
        language="id",
        event="invitation",
        state=NotificationState.FAILED,
        last_error="SMTPServerDisconnected",
    )


def build_scenario(state: str) -> Scenario:
    from tests.factories.accounts import UserFactory
    from tests.factories.contest import (
        CategoryFactory,
        ContestFactory,
        DelegateFactory,
        OrganizerFactory,
        ProvinceFactory,
        RegionFactory,
    )

    step = STATES.index(state)
    now = timezone.now()
    home = ProvinceFactory(code="91")
    away = ProvinceFactory(code="92")
    region = RegionFactory(province=home, code="91.71")
    neighbour = RegionFactory(province=home, code="91.72")
    other_region = RegionFactory(province=away, code="92.71")
    closes = now + dt.timedelta(days=20) if step == 0 else now - dt.timedelta(days=5)
    contest = ContestFactory(
        slug="kontes-izin",
        host_region=other_region,
        submission_opens=closes - dt.timedelta(days=30),
        submission_closes=closes,
    )
    other_contest = ContestFactory(slug="kontes-lain")
    category = CategoryFactory(contest=contest)
    scenario = Scenario(state=state)
    users = scenario.users
    users["organizer"] = OrganizerFactory(contest=contest).user
    users["other_organizer"] = OrganizerFactory(contest=other_contest).user
    users["delegate"] = DelegateFactory(contest=contest, region=region).user
    users["other_delegate"] = DelegateFactory(contest=contest, region=other_region).user
    users["superuser"] = UserFactory(is_superuser=True, is_staff=True)
    scenario.objects["other_delegate_row"] = contest.delegates.get(
        user=users["other_delegate"]
    )
    scenario.objects.update(contest=contest, category=category, region=region)
    scenario.objects["notification"] = _failed_notification(contest)
    _stages(scenario, contest, now, step)
    _entries(scenario, contest, category, region, other_region, step)
    _judges(scenario, contest, neighbour, step)
    if step >= STATES.index("provisional"):
        _publish(scenario, contest, final=state == "final")
    return scenario


def _stages(scenario, contest, now, step) -> None:
    from tests.factories.contest import StageFactory
    from tests.factories.judging import StepCriterionFactory

    judging_open = step >= STATES.index("judging")
    desk_opens = now - dt.timedelta(days=2) if judging_open else now + dt.timedelta(30)
    screening = StageFactory(
        contest=contest,
        order=1,
        kind=StageKind.SCREENING,
        opens=contest.submission_closes,
        closes=desk_opens,
    )
    desk = StageFactory(
        contest=contest,
        order=2,
        opens=desk_opens,
        closes=desk_opens + dt.timedelta(days=14),
    )
    last = StageFactory(
        contest=contest,
        order=3,
        opens=desk_opens + dt.timedelta(days=15),
        closes=desk_opens + dt.timedelta(days=20),
    )
    criteria = [StepCriterionFactory(stage=desk, order=n) for n in (1, 2)]
    StepCriterionFactory(stage=last, order=1)
    scenario.objects.update(
        screening_stage=screening, stage=desk, last_stage=last, criterion=criteria[0]
    )
    scenario.objects["criteria"] = criteria


def _entries(scenario, contest, category, region, other_region, step) -> None:
    from tests.factories.submissions import EvidenceFactory, SubmissionFactory

    if step == 0:
        entry_state = SubmissionState.DRAFT
    elif step == 1:
        entry_state = SubmissionState.SUBMITTED
    else:
        entry_state = SubmissionState.ELIGIBLE
    stamp = {} if step == 0 else {"submitted_at": contest.submission_closes}
    entry = SubmissionFactory(
        contest=contest, category=category, region=region, state=entry_state, **stamp
    )
    other_entry = SubmissionFactory(
        contest=contest,
        category=category,
        region=other_region,
        state=entry_state,
        **stamp,
    )
    evidence = EvidenceFactory(submission=entry)
    scenario.objects.update(
        entry=entry, other_entry=other_entry, evidence=evidence, photo=_photo(entry)
    )
    scenario.objects["question"] = _file_question(entry)


def _file_question(entry):
    """A file question of the entry form, which the entry has answered."""
    from django.core.files.base import ContentFile

    from contest.enums import QuestionKind
    from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory
    from tests.factories.submissions import PDF_BYTES

    question = EntryQuestionFactory(contest=entry.contest, kind=QuestionKind.FILE)
    AnswerFactory(
        submission=entry,
        question=question,
        value=None,
        file=ContentFile(PDF_BYTES, name="sk.pdf"),
        original_name="sk.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
    )
    return question


def _photo(entry):
    """An image of the entry with its thumbnail made: the publications show it."""
    from django.core.files.base import ContentFile

    from tests.factories.submissions import EvidenceFactory
    from tests.submissions.samples import image

    jpeg = image("JPEG")
    return EvidenceFactory(
        submission=entry,
        title="Foto layanan",
        file=ContentFile(jpeg, name="foto.jpg"),
        original_name="foto.jpg",
        content_type="image/jpeg",
        size=len(jpeg),
        thumbnail=ContentFile(jpeg, name="foto-kecil.jpg"),
    )


def _judges(scenario, contest, neighbour, step) -> None:
    from judging.models import ConflictOfInterest, StageEntry
    from judging.services.conflicts import sync_derived_conflicts
    from tests.factories.judging import (
        AssignmentFactory,
        JudgeFactory,
        ScoreSheetFactory,
    )

    objects = scenario.objects
    assigned = JudgeFactory(contest=contest, name="Juri Ditugaskan")
    unassigned = JudgeFactory(contest=contest, name="Juri Tanpa Tugas")
    conflicted = JudgeFactory(
        contest=contest, name="Juri Sedaerah", home_region=neighbour
    )
    scenario.users.update(
        judge_assigned=assigned.user,
        judge_unassigned=unassigned.user,
        judge_conflicted=conflicted.user,
    )
    objects["judge"] = assigned
    if step >= STATES.index("closed"):
        sync_derived_conflicts(contest=contest, by=scenario.users["organizer"])
        objects["conflict"] = ConflictOfInterest.objects.filter(
            judge=conflicted
        ).first()
    if step < STATES.index("judging"):
        return
    stage = objects["stage"]
    for entry in (objects["entry"], objects["other_entry"]):
        StageEntry.objects.create(stage=stage, submission=entry)
    assignment = AssignmentFactory(
        stage=stage, judge=assigned, submission=objects["entry"]
    )
    AssignmentFactory(stage=stage, judge=conflicted, submission=objects["other_entry"])
    ScoreSheetFactory(assignment=assignment, state=SheetState.DRAFT)
    objects["assignment"] = assignment


def _publish(scenario, contest, *, final: bool) -> None:
    from judging.models import Score
    from results.enums import ObjectionOutcome
    from results.services.publication import publish_contest, publish_provisional
    from tests.factories.results import AwardFactory, ObjectionFactory

    objects = scenario.objects
    sheet = objects["assignment"].sheet
    sheet.state = SheetState.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.save()
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion=criterion, value=7)
        for criterion in objects["criteria"]
    )
    objects["award"] = AwardFactory(contest=contest, submission=objects["entry"])
    organizer = scenario.users["organizer"]
    publication = publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=7),
    )
    objects["objection"] = ObjectionFactory(
        publication=publication,
        submission=objects["entry"],
        filed_by=scenario.users["other_delegate"],
        outcome=ObjectionOutcome.DISMISSED if final else ObjectionOutcome.PENDING,
        answer="Sudah sesuai." if final else "",
        answered_at=timezone.now() if final else None,
    )
    if final:
        publication.objections_close = timezone.now() - dt.timedelta(minutes=1)
        publication.save(update_fields=["objections_close"])
        publish_contest(contest=contest, by=organizer)
