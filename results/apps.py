from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = _("Results")

    def ready(self) -> None:
        from contest.checklist import register_check
        from contest.ledger import register_rows
        from results.checklist import check_stage_weights

        register_rows(audited_rows())
        register_check(check_stage_weights, order=50)


# The fields of the results' rows each audit entry hashes (contest.ledger). Left
# out: the accounts behind `decided_by`, `requested_by` and the like.
DECISION_FIELDS = [
    "stage",
    "decided_at",
    "places",
    "quotas",
    "advanced",
    "not_advanced",
    "tie_decisions",
    "basis",
    "ranked_by",
]
MINUTES_FIELDS = ["stage", "file", "sha256", "ledger_head_hash", "generated_at"]
AWARD_FIELDS = ["contest", "name", "kind", "category", "submission", "region", "rank"]
PUBLICATION_FIELDS = [
    "contest",
    "kind",
    "snapshot",
    "digest",
    "published_at",
    "objections_close",
    "ledger_head_hash",
    "objections_open_to_all",
]
DOCUMENTS_FIELDS = [
    "contest",
    "place",
    "minutes_number_pattern",
    "certificate_number_pattern",
    "minutes_signatories",
    "certificate_signatory_name",
    "certificate_signatory_position",
    "certificate_signatory_nip",
    "certificate_signature",
]
OBJECTION_FIELDS = [
    "publication",
    "submission",
    "text",
    "filed_at",
    "outcome",
    "answer",
    "answered_at",
]


def audited_rows() -> list:
    """The results' audited models, and the contest's children the results own
    (stage weights, score bands), for `contest.ledger.register_rows`."""
    from contest.ledger import Children, ChildrenOf, Rows
    from contest.models import Contest
    from results.models import (
        AdvancementDecision,
        Award,
        Objection,
        Publication,
        ResultsDocuments,
        ScoreBand,
        StageMinutes,
        StageWeight,
    )

    weights = Children(StageWeight, "stage__contest", ["stage_id", "weight"])
    bands = Children(ScoreBand, "contest", ["threshold", "label"])
    return [
        ChildrenOf(Contest, "stage_weights", weights),
        ChildrenOf(Contest, "score_bands", bands),
        Rows(AdvancementDecision, DECISION_FIELDS, contest="stage.contest"),
        Rows(StageMinutes, MINUTES_FIELDS, contest="stage.contest"),
        Rows(
            Award,
            [*AWARD_FIELDS, "cluster"],
            contest="contest",
            added_later=["cluster"],
        ),
        Rows(Publication, PUBLICATION_FIELDS, contest="contest"),
        Rows(Objection, OBJECTION_FIELDS, contest="publication.contest"),
        Rows(ResultsDocuments, DOCUMENTS_FIELDS, contest="contest"),
    ]
