"""Writes for the results, one module per area: advancement, weights (stage weights
and score bands), awards, publication (the snapshot's digest, provisional and
final), objections and minutes. Each write is audited in the ledger.

Once a contest's final results are published the contest is frozen
(`Contest.frozen_at`, set by `publish_contest` in the same transaction): every
write here refuses with 409 through `common.guards.ensure_not_frozen`, the one
guard every app's write services call. One exception, on purpose: the stage
minutes (see results.services.minutes).
"""

from results.services.advancement import (
    UndecidedTieError,
    advance_stage,
)
from results.services.awards import (
    AWARDABLE_STATES,
    ProposedAwards,
    assign_award,
    give_place_awards,
    remove_award,
)
from results.services.documents import (
    set_results_documents,
)
from results.services.minutes import (
    generate_minutes,
    request_minutes,
)
from results.services.objections import (
    check_may_object,
    file_objection,
    objections_per_user,
    resolve_objection,
    resolve_objections,
)
from results.services.publication import (
    MAX_OBJECTION_WINDOW,
    publish_contest,
    publish_provisional,
    snapshot_digest,
)
from results.services.weights import (
    MAX_STAGE_WEIGHT,
    set_results_settings,
    set_score_bands,
    set_stage_weights,
)

__all__ = [
    "AWARDABLE_STATES",
    "MAX_OBJECTION_WINDOW",
    "MAX_STAGE_WEIGHT",
    "ProposedAwards",
    "UndecidedTieError",
    "advance_stage",
    "assign_award",
    "check_may_object",
    "file_objection",
    "generate_minutes",
    "give_place_awards",
    "objections_per_user",
    "publish_contest",
    "publish_provisional",
    "remove_award",
    "request_minutes",
    "resolve_objection",
    "resolve_objections",
    "set_results_documents",
    "set_results_settings",
    "set_score_bands",
    "set_stage_weights",
    "snapshot_digest",
]
