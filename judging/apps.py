from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Judging")

    def ready(self) -> None:
        from contest.checklist import register_check
        from contest.ledger import register_rows
        from judging.checklist import check_panels

        register_rows(audited_rows())
        register_check(check_panels, order=40)


def audited_rows() -> list:
    """What of judging's rows each audit entry hashes (contest.ledger). Left out:
    what changes without an entry (a sheet's version and `updated_at`, the accounts
    behind `created_by` and the like)."""
    from contest.ledger import Children, Rows
    from judging.enums import SheetState
    from judging.models import (
        Assignment,
        ConflictOfInterest,
        Judge,
        Score,
        ScoreSheet,
        StageEntry,
    )

    categories = Children(Judge.categories.through, "judge", ["category_id"])
    panels = Children(Judge.panels.through, "judge", ["category_id"])
    # A draft's values are the judge's working copy, changed on every autosave and
    # counted nowhere; they are audited from the submission on.
    submitted_scores = Children(
        Score,
        parent="sheet",
        values=["criterion_id", "value", "comment"],
        where={"sheet__state": SheetState.SUBMITTED},
    )
    return [
        Rows(
            Judge,
            fields=["contest", "user", "name", "home_region"],
            contest="contest",
            related={"categories": categories, "panels": panels},
        ),
        Rows(
            ConflictOfInterest,
            fields=["judge", "submission", "source", "rule", "reason"],
            contest="submission.contest",
        ),
        Rows(
            Assignment, fields=["stage", "judge", "submission"], contest="stage.contest"
        ),
        Rows(StageEntry, fields=["stage", "submission"], contest="stage.contest"),
        Rows(
            ScoreSheet,
            fields=[
                "assignment",
                "state",
                "comment",
                "submitted_at",
                "excluded_at",
                "excluded_reason",
            ],
            contest="assignment.stage.contest",
            related={"scores": submitted_scores},
        ),
        *_format_rows(),
    ]


def _format_rows() -> list:
    """The award formats' rows: scheduled sessions with their judges, and the
    validations of indicator stages."""
    from contest.ledger import Children, Rows
    from judging.models_formats import VALIDATION_FIELDS, IndicatorValidation, Slot

    return [
        Rows(
            Slot,
            fields=[
                "stage",
                "starts_at",
                "ends_at",
                "place",
                "meeting_url",
                "submission",
                "notified_at",
                "sequence",
            ],
            contest="stage.contest",
            related={"judges": Children(Slot.judges.through, "slot", ["judge_id"])},
        ),
        Rows(
            IndicatorValidation,
            fields=VALIDATION_FIELDS,
            contest="stage.contest",
        ),
    ]
