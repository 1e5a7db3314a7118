"""The demo contest's judging: judges (illustrative people, real home regions), their
panels, the desk evaluation's assignment and submitted score sheets.

The scores and comments are illustrative, derived from a hash so that every load gives
the same ones; one judge is harsh on one entry so that the progress page shows a
flagged disagreement. The demo contest ran in 2023, so the sheets are written through
`services._record_sheet(check_window=False)`: the stage's window is not checked, but
every value is validated (range, step, rubric) and every save is audited. Idempotent:
what is already there is left as it is.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from contest import ledger
from contest.demo import JUDGES, _user
from contest.enums import StageKind
from contest.models import Contest, Region, Stage
from judging import selectors, services
from judging.models import Assignment, Judge

DESK_STAGE_ORDER = 2
PANELS = {
    "juri.andi@inovasi.demo": ["pelayanan-publik", "pariwisata"],
    "juri.sari@inovasi.demo": ["kesehatan", "ekonomi"],
    "juri.made@inovasi.demo": ["pelayanan-publik", "pendidikan"],
    "juri.rina@inovasi.demo": ["pelayanan-publik", "kesehatan"],
    "juri.yusuf@inovasi.demo": ["kesehatan", "pendidikan", "ekonomi"],
    "juri.lestari@inovasi.demo": ["pelayanan-publik", "pariwisata"],
}
HARSH_ON = "Gerakan Menuju Smart City Buleleng"
COMMENTS = [
    "Data dukung cukup lengkap (ilustrasi).",
    "Dampak perlu ditunjukkan dengan angka sebelum dan sesudah (ilustrasi).",
    "Solusi jelas dan mudah ditiru daerah lain (ilustrasi).",
]


def load_demo_judges(contest: Contest) -> None:
    categories = list(contest.categories.order_by("order"))
    by_slug = {category.slug: category for category in categories}
    for index, account in enumerate(JUDGES):
        user = _user(account)
        judge, created = Judge.objects.get_or_create(
            contest=contest,
            user=user,
            defaults={
                "name": account.name,
                "home_region": Region.objects.get(code=account.region),
            },
        )
        changed = created
        if created:
            judge.categories.set(
                [
                    categories[index % len(categories)],
                    categories[(index + 2) % len(categories)],
                ]
            )
        if not judge.panels.exists():
            judge.panels.set(
                [
                    by_slug[slug]
                    for slug in PANELS.get(user.email, [])
                    if slug in by_slug
                ]
            )
            changed = True
        if changed:
            ledger.record(
                action="judge.added" if created else "judge.updated",
                obj=judge,
                contest=contest,
                data={"user": user.email, "demo": True},
            )


def load_demo_judging(contest: Contest) -> int:
    """Assign the desk evaluation and submit its sheets; answers how many sheets were
    submitted now. Does nothing while the contest has no eligible entries."""
    stage = contest.stages.filter(
        order=DESK_STAGE_ORDER, kind=StageKind.SCORING
    ).first()
    organizer = contest.organizers.select_related("user").order_by("pk").first()
    if stage is None or organizer is None or contest.is_frozen:
        return 0
    if not selectors.stage_entries(stage).exists():
        return 0
    if not stage.assignments.exists():
        services.assign_judges(
            stage=stage, judges_per_entry=stage.judges_per_entry, by=organizer.user
        )
    return _submit_sheets(stage)


def _submit_sheets(stage: Stage) -> int:
    criteria = list(selectors.criteria_of(stage))
    if not criteria:
        return 0
    assignments = list(
        stage.assignments.select_related(
            "judge", "judge__user", "submission", "sheet"
        ).order_by("submission__title", "judge__pk")
    )
    harsh_judge = next(
        (a.judge_id for a in assignments if a.submission.title == HARSH_ON), None
    )
    submitted = 0
    for assignment in assignments:
        sheet = services.ensure_sheet(assignment=assignment)
        if sheet.is_submitted:
            continue
        harsh = (
            assignment.submission.title == HARSH_ON
            and assignment.judge_id == harsh_judge
        )
        services._record_sheet(
            sheet=sheet,
            scores=[
                {
                    "criterion": criterion.pk,
                    "value": _value(assignment, criterion.name, harsh=harsh),
                    "comment": _pick(COMMENTS, assignment, criterion.name),
                }
                for criterion in criteria
            ],
            comment="Penilaian ilustrasi untuk demo.",
            submit=True,
            version=sheet.version,
            by=assignment.judge.user,
            check_window=False,
        )
        submitted += 1
    return submitted


def _digest(assignment: Assignment, name: str) -> int:
    text = f"{assignment.judge.user.email}|{assignment.submission.title}|{name}"
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16)


def _value(assignment: Assignment, name: str, *, harsh: bool) -> Decimal:
    """On the 0.5 grid: 5.5-9.5 as a rule, 2-4 for the one harsh judge."""
    steps = _digest(assignment, name) % 9
    if harsh:
        return Decimal(2) + Decimal(steps % 5) / 2
    return Decimal("5.5") + Decimal(steps) / 2


def _pick(options: list[str], assignment: Assignment, name: str) -> str:
    return options[_digest(assignment, name) % len(options)]
