from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Entries")

    def ready(self) -> None:
        register_audited_rows()


def register_audited_rows() -> None:
    """Tell the ledger (contest.ledger) which fields of an entry and of its evidence
    each audit entry hashes. Left out: what changes without an entry (an image's
    re-encoded file, its thumbnail and size, written by a task; `updated_at`; the
    accounts behind `created_by`, `screened_by`, `reviewed_by`; the criterion a piece
    of evidence points to, emptied when that criterion is removed)."""
    from contest import ledger
    from submissions.models import Evidence, Submission

    ledger.register(
        Submission,
        fields=[
            "contest",
            "category",
            "region",
            "title",
            "summary",
            "problem",
            "solution",
            "impact",
            "started_on",
            "agency",
            "links",
            "state",
            "state_changed_at",
            "submitted_at",
            "screening_reason",
            "screened_at",
            "revision_deadline",
            "revision_note",
        ],
        contest_of=lambda submission: submission.contest,
    )
    ledger.register(
        Evidence,
        fields=[
            "submission",
            "kind",
            "title",
            "original_name",
            "content_type",
            "url",
            "review_status",
            "review_note",
            "reviewed_at",
        ],
        contest_of=lambda evidence: evidence.submission.contest,
    )
