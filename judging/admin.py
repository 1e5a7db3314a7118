from django.contrib import admin

from contest.admin import ReadOnlyAdmin
from judging.models import (
    Assignment,
    ConflictOfInterest,
    Judge,
    Pack,
    Score,
    ScoreSheet,
    StageEntry,
)


@admin.register(Judge)
class JudgeAdmin(ReadOnlyAdmin):
    """Read-only: judges are invited and changed through the organizers' pages
    (audited, refused once the contest is frozen, conflicts recomputed)."""

    list_display = ["__str__", "contest", "home_region"]
    list_filter = ["contest"]
    search_fields = ["name", "user__email"]
    list_select_related = ["user", "contest", "home_region"]


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyAdmin):
    """Read-only: conflicts are declared on the pages or the API (declare_conflict
    takes the judge off the entry, or the sheet out of the results) and derived by
    sync_derived_conflicts."""

    list_display = ["judge", "submission", "source", "rule", "created_at"]
    list_filter = ["source", "judge__contest"]
    list_select_related = ["judge", "judge__user", "submission"]


@admin.register(StageEntry)
class StageEntryAdmin(ReadOnlyAdmin):
    """Read-only: set by the assignment (first stage) and the advancement."""

    list_display = ["submission", "stage", "created_at"]
    list_filter = ["stage__contest", "stage"]
    list_select_related = ["submission", "stage"]


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

    list_display = ["assignment", "state", "version", "submitted_at", "excluded_at"]
    list_filter = ["state", "assignment__stage__contest"]
    list_select_related = [
        "assignment",
        "assignment__judge",
        "assignment__submission",
        "assignment__stage",
    ]
    inlines = [ScoreInline]


@admin.register(Pack)
class PackAdmin(ReadOnlyAdmin):
    """Read-only: files for offline judging are asked for on the judging pages
    and made by a task; the admin shows their state and any error."""

    list_display = ["kind", "contest", "stage", "state", "done", "total", "created_at"]
    list_filter = ["kind", "state", "contest"]
    list_select_related = ["contest", "stage"]
