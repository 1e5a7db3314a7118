"""The contest app's audited models and the fields of theirs the ledger hashes
(the other apps register theirs from their AppConfig.ready())."""

from __future__ import annotations

from contest.ledger.rows import register
from contest.models import (
    Category,
    Contest,
    Criterion,
    Delegate,
    Organizer,
    Stage,
)

register(
    Contest,
    fields=[
        "name",
        "slug",
        "description",
        "host_region",
        "timezone",
        "submission_opens",
        "submission_closes",
        "eligible_region_types",
        "max_entries_per_region",
        "is_public",
        "frozen_at",
    ],
    contest_of=lambda contest: contest,
)


register(
    Category,
    fields=["contest", "name", "slug", "description", "order"],
    contest_of=lambda category: category.contest,
)


register(
    Stage,
    fields=[
        "contest",
        "name",
        "order",
        "kind",
        "description",
        "opens",
        "closes",
        "judges_per_entry",
        "advance_per_category",
        "disagreement_threshold",
        "peer_scores_visible",
    ],
    contest_of=lambda stage: stage.contest,
)


register(
    Criterion,
    fields=[
        "stage",
        "name",
        "description",
        "weight",
        "min_score",
        "max_score",
        "step",
        "levels",
        "expected_evidence",
        "order",
    ],
    contest_of=lambda criterion: criterion.stage.contest,
)


register(
    Organizer,
    fields=["contest", "user"],
    contest_of=lambda organizer: organizer.contest,
)


register(
    Delegate,
    fields=["contest", "user", "region"],
    contest_of=lambda delegate: delegate.contest,
)
