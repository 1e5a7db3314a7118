"""The contest app's audited models and the fields of theirs the ledger hashes
(the other apps register theirs from their AppConfig.ready())."""

from __future__ import annotations

from contest.ledger.tables import Rows, register_rows
from contest.models import (
    CATEGORY_FIELDS,
    CONTEST_FIELDS,
    CRITERION_FIELDS,
    STAGE_FIELDS,
    Category,
    Contest,
    Criterion,
    Delegate,
    Organizer,
    Stage,
)

register_rows(
    [
        Rows(
            Contest,
            fields=[*CONTEST_FIELDS, "frozen_at"],
            contest="",
        ),
        Rows(
            Category,
            fields=["contest", *CATEGORY_FIELDS],
            contest="contest",
        ),
        Rows(
            Stage,
            fields=["contest", *STAGE_FIELDS],
            contest="contest",
        ),
        Rows(
            Criterion,
            fields=["stage", *CRITERION_FIELDS],
            contest="stage.contest",
        ),
        Rows(Organizer, fields=["contest", "user"], contest="contest"),
        Rows(Delegate, fields=["contest", "user", "region"], contest="contest"),
    ]
)
