from django.contrib import admin

from contest.admin import ReadOnlyAdmin
from judging.models import Assignment, ConflictOfInterest, Judge, Score, ScoreSheet
from judging.models_results import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    ScoreBand,
    StageMinutes,
    StageWeight,
)


@admin.register(Judge)
class JudgeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "contest", "home_region"]
    list_filter = ["contest"]
    search_fields = ["name", "user__email"]
    autocomplete_fields = ["user", "home_region"]
    filter_horizontal = ["categories", "panels"]
    list_select_related = ["user", "contest", "home_region"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(admin.ModelAdmin):
    list_display = ["judge", "submission", "source", "rule", "created_at"]
    list_filter = ["source", "judge__contest"]
    list_select_related = ["judge", "judge__user", "submission"]
    raw_id_fields = ["judge", "submission", "declared_by"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    """Read-only: assignments change through the organizers' pages (audited)."""

    list_display = ["judge", "submission", "stage", "created_at"]
    list_filter = ["stage__contest", "stage"]
    list_select_related = ["judge", "judge__user", "submission", "stage"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    can_delete = False
    readonly_fields = ["criterion", "value", "comment"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ReadOnlyAdmin):
    """Read-only: sheets are saved by their judges and reopened by organizers."""

    list_display = ["assignment", "state", "version", "submitted_at"]
    list_filter = ["state", "assignment__stage__contest"]
    list_select_related = [
        "assignment",
        "assignment__judge",
        "assignment__submission",
        "assignment__stage",
    ]
    inlines = [ScoreInline]


for _model in (
    StageWeight,
    ScoreBand,
    AdvancementDecision,
    StageMinutes,
    Award,
    Publication,
    Objection,
):
    admin.site.register(_model, ReadOnlyAdmin)
