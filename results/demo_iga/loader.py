"""Loading the second demo contest (results/demo_iga/data.py) from reporting to a
published result, through the platform's own services.

The contest ran in 2023, so where a service checks a window that closed long ago the
loader calls the service's internal step that skips only that check (as the first
demo does for its entries and sheets); every other rule (conflicts, stage entries,
levels, notes, the ledger) applies. Idempotent: a contest that exists is left as it
is, so running it twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from contest import services as contest_services
from contest import services_clusters
from contest.demo import DemoAccount, _user
from contest.models import Contest, Criterion, Region, Stage
from judging import selectors as judging_selectors
from judging import services as judging_services
from judging.enums import QualityCheck, Verdict
from judging.models import IndicatorValidation, Judge
from judging.services import schedule as schedule_services
from judging.services import schedule_apply, validation
from results import services as results_services
from results.demo_iga import data
from submissions import services as submission_services
from submissions.enums import SubmissionState
from submissions.models import Submission
from submissions.services import evidence as evidence_services
from submissions.services import indicators as indicator_services


def accounts() -> list[DemoAccount]:
    """The IGA demo's accounts, for the list `load_demo` prints."""
    people = [DemoAccount(data.ORGANIZER_EMAIL, "Panitia IGA (ilustrasi)", "organizer")]
    people += [
        DemoAccount(_delegate_email(code), f"Operator {code}", "delegate", code)
        for code in sorted({i.region for i in data.INNOVATIONS})
    ]
    people += [
        DemoAccount(email, name, "judge", home)
        for email, name, home in [*data.VALIDATORS, *data.PANEL]
    ]
    email, name, _home = data.QC_REVIEWER
    people.append(DemoAccount(email, name, "organizer"))
    return people


def _delegate_email(code: str) -> str:
    return f"iga.{code.replace('.', '-')}@inovasi.demo"


def load_iga_demo() -> Contest:
    """The whole contest: set-up, reporting, validation, quality control, the
    advancement, the presentations with their schedule, awards and publication."""
    contest = Contest.objects.filter(slug=data.CONTEST_SLUG).first()
    if contest is not None:
        return contest
    organizer = _user(
        DemoAccount(data.ORGANIZER_EMAIL, "Panitia IGA (ilustrasi)", "organizer"),
        can_create_contests=True,
    )
    with transaction.atomic():
        contest = _set_up(organizer)
        entries = _report(contest, organizer)
        indicator_stage, presentation = _stages(contest)
        _validate(indicator_stage, entries, organizer)
        _advance(indicator_stage, organizer)
        _present(presentation, organizer)
        _publish(contest, organizer)
    return Contest.objects.get(pk=contest.pk)


# ---------------------------------------------------------------- set-up


def _set_up(organizer) -> Contest:
    facts = dict(data.CONTEST)
    facts["host_region"] = Region.objects.get(code=facts["host_region"])
    contest = contest_services.create_contest(by=organizer, **facts)
    categories = {
        slug: contest_services.create_category(
            contest=contest, by=organizer, name=name, slug=slug, order=order
        )
        for order, (slug, name, _cluster) in enumerate(data.CATEGORIES)
    }
    for order, (slug, name, region_type, codes) in enumerate(data.CLUSTERS):
        restricted = [c for s, _n, cl in data.CATEGORIES if cl == slug for c in [s]]
        services_clusters.create_cluster(
            contest=contest,
            by=organizer,
            name=name,
            slug=slug,
            region_type=region_type,
            regions=codes or None,
            categories=[categories[s] for s in restricted],
            order=order,
        )
    for order, name, kind, opens, closes, extra in data.STAGES:
        contest_services.create_stage(
            contest=contest,
            by=organizer,
            name=name,
            order=order,
            kind=kind,
            opens=opens,
            closes=closes,
            **extra,
        )
    _rubrics(contest, organizer)
    _people(contest, organizer, categories.values())
    return contest


def _rubrics(contest: Contest, organizer) -> None:
    indicator_stage, presentation = _stages(contest)
    for order, indicator in enumerate(data.INDICATORS):
        contest_services.create_criterion(
            stage=indicator_stage,
            by=organizer,
            name=indicator.name,
            description=indicator.description,
            weight=indicator.weight,
            order=order,
            levels=[
                {"label": label, "points": points, "evidence": evidence}
                for label, points, evidence in indicator.levels
            ],
        )
    for order, (name, weight, description) in enumerate(data.PRESENTATION_CRITERIA):
        contest_services.create_criterion(
            stage=presentation,
            by=organizer,
            name=name,
            description=description,
            weight=weight,
            min_score=0,
            max_score=10,
            order=order,
        )


def _people(contest: Contest, organizer, categories) -> None:
    for code in sorted({i.region for i in data.INNOVATIONS}):
        region = Region.objects.get(code=code)
        account = DemoAccount(
            _delegate_email(code), f"Operator {region.name}", "delegate", code
        )
        _user(account)
        contest_services.invite_delegate(
            contest=contest, email=account.email, region=region, by=organizer
        )
    categories = list(categories)
    for email, name, home in [*data.VALIDATORS, *data.PANEL]:
        _user(DemoAccount(email, name, "judge", home))
        judging_services.invite_judge(
            contest=contest,
            email=email,
            name=name,
            by=organizer,
            home_region=Region.objects.get(code=home),
            categories=categories,
        )
    email, name, _home = data.QC_REVIEWER
    contest_services.add_organizer(
        contest=contest,
        user=_user(DemoAccount(email, name, "organizer")),
        by=organizer,
    )


def _stages(contest: Contest) -> tuple[Stage, Stage]:
    stages = {s.order: s for s in contest.stages.all()}
    return stages[2], stages[3]


# ---------------------------------------------------------------- reporting


def _report(contest: Contest, organizer) -> list[tuple[Submission, data.Innovation]]:
    """Each region writes its innovation, answers every indicator with a level and
    a link to its evidence, submits, and passes the administrative check."""
    indicator_stage, _presentation = _stages(contest)
    indicators = list(indicator_stage.criteria.order_by("order"))
    categories = {c.slug: c for c in contest.categories.all()}
    delegates = {d.region_id: d.user for d in contest.delegates.select_related("user")}
    entries = []
    for number, innovation in enumerate(data.INNOVATIONS):
        user = delegates[innovation.region]
        entry = submission_services._create_submission(
            contest=contest,
            by=user,
            category=categories[innovation.category],
            title=innovation.title,
            summary=innovation.summary,
            problem="Masalah layanan yang dijawab inovasi ini (ilustrasi).",
            solution=innovation.summary,
            impact="Dampak yang dilaporkan daerah (ilustrasi).",
            started_on=innovation.started_on,
            agency=innovation.agency,
        )
        _answer_indicators(entry, innovation, indicators, user)
        entry.submitted_at = data.wib(2023, 6, 1 + number % 28, 10)
        submission_services.set_submission_state(
            submission=entry, new_state=SubmissionState.SUBMITTED, by=user
        )
        entry.screening_reason = "Berkas administrasi lengkap (ilustrasi)."
        entry.screened_at = data.wib(2023, 7, 7, 14)
        entry.screened_by = organizer
        submission_services.set_submission_state(
            submission=entry,
            new_state=SubmissionState.ELIGIBLE,
            by=organizer,
            reason=entry.screening_reason,
        )
        entries.append((entry, innovation))
    return entries


def _answer_indicators(entry, innovation, indicators: list[Criterion], user) -> None:
    answers = []
    for indicator, (level, verdict) in zip(indicators, innovation.answers, strict=True):
        answers.append({"criterion": indicator.pk, "level": level, "note": ""})
        if verdict == data.MISSING:
            continue
        evidence_services._add_evidence_link(
            submission=entry,
            url=f"https://data-dukung.example.org/{entry.pk}/{indicator.pk}",
            title=f"Data dukung: {indicator.name} (ilustrasi)",
            criterion=indicator,
            by=user,
            check_window=False,
        )
    indicator_services._save_indicator_answers(
        submission=entry, answers=answers, by=user, check_window=False
    )


# ---------------------------------------------------------------- validation


def _validate(stage: Stage, entries, organizer) -> None:
    """The verification team validates every indicator; a revision is asked once
    and the region corrects its evidence; quality control checks a sample and
    overturns one validation."""
    _assign_by_hand(stage, [email for email, _n, _h in data.VALIDATORS], 1, organizer)
    indicators = list(stage.criteria.order_by("order"))
    for entry, innovation in entries:
        assignment = entry.assignments.filter(stage=stage).select_related("judge")
        validator = assignment.first().judge.user
        for indicator, (level, verdict) in zip(
            indicators, innovation.answers, strict=True
        ):
            _verdict(stage, entry, indicator, level, verdict, validator)
    _quality_control(stage, organizer)


def _assign_by_hand(stage: Stage, emails: list[str], per_entry: int, by) -> None:
    """Each entry of the stage gets `per_entry` of these judges in turn (the team
    is small and named, so the organizer assigns it by hand)."""
    judges = [Judge.objects.get(contest=stage.contest, user__email=e) for e in emails]
    if judging_selectors.is_first_scoring_stage(stage):
        ids = judging_selectors.first_stage_candidates(stage.contest_id)
        judging_services.set_stage_entries(
            stage=stage, submission_ids=list(ids.values_list("pk", flat=True)), by=by
        )
    entries = Submission.objects.filter(stage_entries__stage=stage).order_by("pk")
    for number, entry in enumerate(entries):
        for step in range(per_entry):
            judge = judges[(number + step) % len(judges)]
            judging_services.add_assignment(
                stage=stage, judge=judge, submission=entry, by=by
            )


def _verdict(stage, entry, indicator, level, verdict, validator) -> None:
    def record(value, note=""):
        validation._record_validation(
            stage=stage,
            submission=entry,
            criterion=indicator,
            verdict=value,
            note=note,
            by=validator,
            check_window=False,
        )

    if verdict == data.VALID:
        record(Verdict.VALID)
    elif verdict == data.INVALID:
        record(Verdict.INVALID, "Data dukung tidak membuktikan tingkatnya (ilustrasi).")
    elif verdict == data.MISSING:
        record(Verdict.INVALID, "Data dukung tidak dilampirkan (ilustrasi).")
    else:
        record(Verdict.REVISION, "Lampirkan dokumen yang ditandatangani (ilustrasi).")
        delegate = entry.region.delegates.filter(contest=entry.contest).first().user
        indicator_services._save_indicator_answers(
            submission=entry,
            answers=[{"criterion": indicator.pk, "level": level, "note": "Diperbaiki"}],
            by=delegate,
            check_window=False,
        )
        record(Verdict.VALID)


def _quality_control(stage: Stage, organizer) -> None:
    validation.draw_qc_sample(stage=stage, by=organizer, seed=2023)
    reviewer = stage.contest.organizers.get(user__email=data.QC_REVIEWER[0])
    sampled = IndicatorValidation.objects.filter(
        stage=stage, qc_state=QualityCheck.SAMPLED
    ).order_by("submission__title", "criterion__order")
    for number, item in enumerate(sampled):
        overturn = number == 0 and item.verdict == Verdict.VALID
        validation.review_qc(
            validation=item,
            by=reviewer.user,
            overturn=overturn,
            note="Tingkat yang diklaim tidak didukung dokumen (ilustrasi)."
            if overturn
            else "Sesuai (ilustrasi).",
        )


# ---------------------------------------------------------------- presentations


def _advance(stage: Stage, organizer) -> None:
    try:
        results_services.advance_stage(stage=stage, by=organizer)
    except results_services.UndecidedTieError as exc:
        chosen = [
            entry["id"]
            for tie in exc.ties
            for entry in sorted(tie["entries"], key=lambda e: e["title"])[
                : tie["places"]
            ]
        ]
        results_services.advance_stage(stage=stage, by=organizer, tie_break=chosen)


def _present(stage: Stage, organizer) -> None:
    """The panel is assigned, the sessions are made, proposed, applied and
    announced, and each panelist scores the presentations they sat in."""
    _assign_by_hand(stage, [email for email, _n, _h in data.PANEL], 3, organizer)
    first, last = data.SESSION_DAYS[0], data.SESSION_DAYS[-1]
    minutes = data.SESSION_MINUTES
    schedule_services.create_slot_series(
        stage=stage,
        first_day=first.date(),
        last_day=last.date(),
        day_starts=first.time(),
        day_ends=(
            first
            + dt.timedelta(
                minutes=(minutes + data.SESSION_GAP_MINUTES) * data.SESSIONS_PER_DAY
            )
        ).time(),
        minutes=minutes,
        gap=data.SESSION_GAP_MINUTES,
        place=data.SESSION_PLACE,
        meeting_url=data.SESSION_LINK,
        by=organizer,
    )
    schedule_apply.apply_schedule(stage=stage, by=organizer)
    schedule_apply.announce_schedule(stage=stage, by=organizer)
    _score(stage)


def _score(stage: Stage) -> None:
    criteria = list(stage.criteria.order_by("order"))
    for assignment in stage.assignments.select_related("judge__user", "submission"):
        sheet = judging_services.ensure_sheet(assignment=assignment)
        # Each entry has its own level (5-9); each judge's view of it differs by
        # up to one point either way.
        base = 5 + (assignment.submission_id * 3) % 5
        ids = assignment.submission_id + 2 * assignment.judge_id
        judging_services._record_sheet(
            sheet=sheet,
            scores=[
                {
                    "criterion": criterion.pk,
                    "value": base - 1 + (ids + number) % 3,
                    "comment": "Penilaian ilustrasi.",
                }
                for number, criterion in enumerate(criteria)
            ],
            comment="Penilaian ilustrasi untuk demo.",
            submit=True,
            version=sheet.version,
            by=assignment.judge.user,
            check_window=False,
        )


def _publish(contest: Contest, organizer) -> None:
    results_services.give_place_awards(contest=contest, by=organizer, places=2)
    results_services.publish_contest(contest=contest, by=organizer)
