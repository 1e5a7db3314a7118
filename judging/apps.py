from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self) -> None:
        register_audited_rows()


def register_audited_rows() -> None:
    """Tell the ledger (contest.ledger) which fields of judging's and the results'
    rows each audit entry hashes. Left out: what changes without an entry (a sheet's
    version and `updated_at`, the accounts behind `created_by` and the like)."""
    from contest import ledger
    from contest.models import Contest
    from judging.enums import SheetState
    from judging.models import Assignment, ConflictOfInterest, Judge, Score, ScoreSheet
    from judging.models_results import (
        AdvancementDecision,
        Award,
        Objection,
        Publication,
        ScoreBand,
        StageMinutes,
        StageWeight,
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

    def stage_weights(contests):
        weights = StageWeight.objects.filter(stage__contest__in=contests)
        return ledger.children(weights, "stage__contest_id", ["stage_id", "weight"])

    def score_bands(contests):
        bands = ScoreBand.objects.filter(contest__in=contests)
        return ledger.children(bands, "contest_id", ["threshold", "label"])

    ledger.add_related(Contest, "stage_weights", stage_weights)
    ledger.add_related(Contest, "score_bands", score_bands)
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
    ledger.register(
        AdvancementDecision,
        fields=[
            "stage",
            "decided_at",
            "places",
            "quotas",
            "advanced",
            "not_advanced",
            "tie_decisions",
            "basis",
            "ranked_by",
        ],
        contest_of=lambda decision: decision.stage.contest,
    )
    ledger.register(
        StageMinutes,
        fields=["stage", "file", "sha256", "ledger_head_hash", "generated_at"],
        contest_of=lambda minutes: minutes.stage.contest,
    )
    ledger.register(
        Award,
        fields=["contest", "name", "kind", "category", "submission", "region", "rank"],
        contest_of=lambda award: award.contest,
    )
    ledger.register(
        Publication,
        fields=[
            "contest",
            "kind",
            "snapshot",
            "digest",
            "published_at",
            "objections_close",
            "ledger_head_hash",
            "objections_open_to_all",
        ],
        contest_of=lambda publication: publication.contest,
    )
    ledger.register(
        Objection,
        fields=[
            "publication",
            "submission",
            "text",
            "filed_at",
            "outcome",
            "answer",
            "answered_at",
        ],
        contest_of=lambda objection: objection.publication.contest,
    )
