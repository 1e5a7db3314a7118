"""The contest app's audited models and the fields of theirs the ledger hashes
(the other apps register theirs from their AppConfig.ready())."""

from __future__ import annotations

from contest.ledger.tables import Children, Rows, register_rows
from contest.models import (
    CATEGORY_FIELDS,
    CONTEST_FIELDS,
    CONTEST_LATER_FIELDS,
    CRITERION_FIELDS,
    STAGE_FIELDS,
    STAGE_LATER_FIELDS,
    Category,
    Contest,
    Criterion,
    Delegate,
    Organizer,
    Stage,
)
from contest.models_formats import QUESTION_FIELDS, EntryQuestion, RegionCluster

register_rows(
    [
        Rows(
            Contest,
            fields=[*CONTEST_FIELDS, "frozen_at"],
            contest="",
            added_later=CONTEST_LATER_FIELDS,
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
            added_later=STAGE_LATER_FIELDS,
        ),
        Rows(
            Criterion,
            fields=["stage", *CRITERION_FIELDS],
            contest="stage.contest",
        ),
        Rows(Organizer, fields=["contest", "user"], contest="contest"),
        Rows(EntryQuestion, fields=["contest", *QUESTION_FIELDS], contest="contest"),
        Rows(Delegate, fields=["contest", "user", "region"], contest="contest"),
        Rows(
            RegionCluster,
            fields=["contest", "name", "slug", "region_type", "order"],
            contest="contest",
            related={
                "regions": Children(
                    RegionCluster.regions.through, "regioncluster", ["region_id"]
                ),
                "categories": Children(
                    RegionCluster.categories.through, "regioncluster", ["category_id"]
                ),
            },
        ),
    ]
)
