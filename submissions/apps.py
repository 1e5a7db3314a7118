from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Entries")

    def ready(self) -> None:
        from contest.ledger import register_rows

        register_rows(audited_rows())


# Added after the ledger began (contest.ledger.rows.register's `added_later`).
HISTORY_FIELDS = [
    "previous_entry_state",
    "previous_entry_note",
    "previous_entry_checked_at",
]


def audited_rows() -> list:
    """What of an entry and of its evidence each audit entry hashes (contest.ledger).
    Left out: what changes without an entry (an image's re-encoded file, its
    thumbnail and size, written by a task; `updated_at`; the accounts behind
    `created_by`, `screened_by`, `reviewed_by`; the criterion a piece of evidence
    points to, emptied when that criterion is removed; likewise the earlier entry
    an entry names, whose link's state and note are hashed; `awards_won`, written
    by the final publication from the awards, which are audited)."""
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
                *HISTORY_FIELDS,
            ],
            contest="contest",
            added_later=HISTORY_FIELDS,
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
        *_answer_rows(),
    ]


def _answer_rows() -> list:
    """An entry's answers to its contest's questions and to the indicators."""
    from contest.ledger import Rows
    from submissions.models_answers import Answer, IndicatorAnswer

    return [
        Rows(
            IndicatorAnswer,
            fields=["submission", "criterion", "level", "note"],
            contest="submission.contest",
        ),
        Rows(
            Answer,
            fields=[
                "submission",
                "question",
                "value",
                "original_name",
                "content_type",
                "size",
            ],
            contest="submission.contest",
        ),
    ]
