from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self) -> None:
        register_audited_rows()


def register_audited_rows() -> None:
    """Tell the ledger (contest.ledger) which fields of judging's rows each audit
    entry hashes. Left out: what changes without an entry (a sheet's
    version and `updated_at`, the accounts behind `created_by` and the like)."""
    from contest import ledger
    from judging.enums import SheetState
    from judging.models import (
        Assignment,
        ConflictOfInterest,
        Judge,
        Score,
        ScoreSheet,
        StageEntry,
    )

    def judge_categories(judges):
        through = Judge.categories.through.objects.filter(judge__in=judges)
        return ledger.children(through, "judge_id", ["category_id"])

    def judge_panels(judges):
        through = Judge.panels.through.objects.filter(judge__in=judges)
        return ledger.children(through, "judge_id", ["category_id"])

    def submitted_scores(sheets):
        # A draft's values are the judge's working copy, changed on every autosave
        # and counted nowhere; they are audited from the submission on.
        scores = Score.objects.filter(
            sheet__in=sheets, sheet__state=SheetState.SUBMITTED
        )
        return ledger.children(scores, "sheet_id", ["criterion_id", "value", "comment"])

    ledger.register(
        Judge,
        fields=["contest", "user", "name", "home_region"],
        related={"categories": judge_categories, "panels": judge_panels},
        contest_of=lambda judge: judge.contest,
    )
    ledger.register(
        ConflictOfInterest,
        fields=["judge", "submission", "source", "rule", "reason"],
        contest_of=lambda conflict: conflict.submission.contest,
    )
    ledger.register(
        Assignment,
        fields=["stage", "judge", "submission"],
        contest_of=lambda assignment: assignment.stage.contest,
    )
    ledger.register(
        StageEntry,
        fields=["stage", "submission"],
        contest_of=lambda entry: entry.stage.contest,
    )
    ledger.register(
        ScoreSheet,
        fields=[
            "assignment",
            "state",
            "comment",
            "submitted_at",
            "excluded_at",
            "excluded_reason",
        ],
        related={"scores": submitted_scores},
        contest_of=lambda sheet: sheet.assignment.stage.contest,
    )
