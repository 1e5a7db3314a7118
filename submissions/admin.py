from django.contrib import admin

from contest.admin import ReadOnlyAdmin
from submissions.models import Evidence, Submission


class EvidenceInline(admin.TabularInline):
    model = Evidence
    extra = 0
    fields = [
        "kind",
        "title",
        "original_name",
        "content_type",
        "size",
        "url",
        "review_status",
    ]
    readonly_fields = fields
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Read-only: entries change state only through the services (and the audit log)."""

    list_display = ["title", "contest", "region", "category", "state", "submitted_at"]
    list_filter = ["contest", "state", "category"]
    search_fields = ["title", "region__name", "agency"]
    list_select_related = ["contest", "region", "category"]
    inlines = [EvidenceInline]
