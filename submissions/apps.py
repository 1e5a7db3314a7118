from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Entries")

    def ready(self) -> None:
        from contest.ledger import register_rows

        register_rows(audited_rows())


def audited_rows() -> list:
    """What of an entry and of its evidence each audit entry hashes (contest.ledger).
    Left out: what changes without an entry (an image's re-encoded file, its
    thumbnail and size, written by a task; `updated_at`; the accounts behind
    `created_by`, `screened_by`, `reviewed_by`; the criterion a piece of evidence
    points to, emptied when that criterion is removed)."""
    from contest.ledger import Rows
    from submissions.models import SUBMISSION_FIELDS, Evidence, Submission

    return [
        Rows(
            Submission,
            fields=[
                "contest",
                "region",
                *SUBMISSION_FIELDS,
                "state",
                "state_changed_at",
                "submitted_at",
                "screening_reason",
                "screened_at",
                "revision_deadline",
                "revision_note",
            ],
            contest="contest",
        ),
        Rows(
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
            contest="submission.contest",
        ),
    ]
