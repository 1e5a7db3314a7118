"""Reads for the results, one module per area: a stage's figures (stage), the
organizers' page (page), the advancement preview (advancement), one entry explained
(explanation), weights and bands (weights), the standings across stages
(standings), publications and objections (publication), the snapshot (snapshot)
and the feedback a region reads (feedback). Nothing here writes: results.services
stores decisions and publications.
"""

from results.selectors.advancement import (
    AdvancementPreview,
    advancement_preview,
)
from results.selectors.explanation import (
    EntryExplanation,
    Line,
    SheetExplanation,
    contribution,
    explain_entry,
)
from results.selectors.feedback import (
    FeedbackCriterion,
    FeedbackEntry,
    FeedbackStage,
    feedback_for_region,
    feedback_regions,
)
from results.selectors.page import (
    HISTOGRAM_BINS,
    CategoryEvidence,
    CategoryRows,
    CriterionAlpha,
    JudgeRow,
    ResultRow,
    StagePage,
    histogram_label,
    next_scoring_stage,
    stage_entries_with_sheets,
    stage_page,
)
from results.selectors.publication import (
    PublicationProblem,
    current_publication,
    final_publication,
    is_published_finally,
    objections_filed_by,
    objections_of,
    open_provisional,
    pending_objection_count,
    publication_problems,
    publications_of,
)
from results.selectors.snapshot import (
    OBJECTION_GIST_CHARS,
    SNAPSHOT_FORMAT,
    SnapshotView,
    build_snapshot,
    objection_gist,
    public_results,
)
from results.selectors.stage import (
    RANK_BASES,
    RANK_NORMALIZED,
    RANK_RAW,
    ExcludedSheet,
    Reliability,
    SheetRef,
    StageComputation,
    ranked_by_of,
    reliability,
    rubric_of,
    stage_results,
    stage_score,
)
from results.selectors.standings import (
    EntryStanding,
    RegionRow,
    StageStanding,
    Standings,
    awards_of,
    contest_standings,
)
from results.selectors.weights import (
    band_of,
    score_bands,
    stage_weights,
)

__all__ = [
    "HISTOGRAM_BINS",
    "OBJECTION_GIST_CHARS",
    "RANK_BASES",
    "RANK_NORMALIZED",
    "RANK_RAW",
    "SNAPSHOT_FORMAT",
    "AdvancementPreview",
    "CategoryEvidence",
    "CategoryRows",
    "CriterionAlpha",
    "EntryExplanation",
    "EntryStanding",
    "ExcludedSheet",
    "FeedbackCriterion",
    "FeedbackEntry",
    "FeedbackStage",
    "JudgeRow",
    "Line",
    "PublicationProblem",
    "RegionRow",
    "Reliability",
    "ResultRow",
    "SheetExplanation",
    "SheetRef",
    "SnapshotView",
    "StageComputation",
    "StagePage",
    "StageStanding",
    "Standings",
    "advancement_preview",
    "awards_of",
    "band_of",
    "build_snapshot",
    "contest_standings",
    "contribution",
    "current_publication",
    "explain_entry",
    "feedback_for_region",
    "feedback_regions",
    "final_publication",
    "histogram_label",
    "is_published_finally",
    "next_scoring_stage",
    "objection_gist",
    "objections_filed_by",
    "objections_of",
    "open_provisional",
    "pending_objection_count",
    "public_results",
    "publication_problems",
    "publications_of",
    "ranked_by_of",
    "reliability",
    "rubric_of",
    "score_bands",
    "stage_entries_with_sheets",
    "stage_page",
    "stage_results",
    "stage_score",
    "stage_weights",
]
