from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        register_audited_rows()


def register_audited_rows() -> None:
    """Tell the ledger (contest.ledger) which fields of the results' rows each audit
    entry hashes, and the contest's children the results own (stage weights, score
    bands). Left out: the accounts behind `decided_by`, `requested_by` and the like."""
    from contest import ledger
    from contest.models import Contest
    from results.models import (
        AdvancementDecision,
        Award,
        Objection,
        Publication,
        ScoreBand,
        StageMinutes,
        StageWeight,
    )

    def stage_weights(contests):
        weights = StageWeight.objects.filter(stage__contest__in=contests)
        return ledger.children(weights, "stage__contest_id", ["stage_id", "weight"])

    def score_bands(contests):
        bands = ScoreBand.objects.filter(contest__in=contests)
        return ledger.children(bands, "contest_id", ["threshold", "label"])

    ledger.add_related(Contest, "stage_weights", stage_weights)
    ledger.add_related(Contest, "score_bands", score_bands)
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
