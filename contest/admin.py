from django.contrib import admin

from contest.models import (
    AuditEntry,
    Category,
    Contest,
    Criterion,
    Delegate,
    LedgerHead,
    Organizer,
    Region,
    RegionJoinRequest,
    Stage,
)


class AuditedReadOnly:
    """Shown, never changed here. These rows are audited: every change goes through
    a service (the organizer's pages or the API), which checks the rules (a frozen
    contest, a locked rubric, a stage's entries) and writes the ledger entry that
    `verify_ledger` compares the row with. An edit here would do neither."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "province"]
    list_filter = ["type"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


class CategoryInline(AuditedReadOnly, admin.TabularInline):
    model = Category
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class StageInline(AuditedReadOnly, admin.StackedInline):
    model = Stage
    extra = 0


class OrganizerInline(AuditedReadOnly, admin.TabularInline):
    model = Organizer
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Contest)
class ContestAdmin(AuditedReadOnly, admin.ModelAdmin):
    list_display = [
        "name",
        "slug",
        "host_region",
        "submission_opens",
        "submission_closes",
        "is_public",
    ]
    list_filter = ["is_public", "timezone"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host_region"]
    inlines = [CategoryInline, StageInline, OrganizerInline]
    list_select_related = ["host_region"]


@admin.register(Category)
class CategoryAdmin(AuditedReadOnly, admin.ModelAdmin):
    list_display = ["name", "contest", "order"]
    list_filter = ["contest"]
    search_fields = ["name"]
    list_select_related = ["contest"]


class CriterionInline(AuditedReadOnly, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Stage)
class StageAdmin(AuditedReadOnly, admin.ModelAdmin):
    list_display = ["name", "contest", "order", "kind", "opens", "closes"]
    list_filter = ["kind", "contest"]
    inlines = [CriterionInline]
    list_select_related = ["contest"]


@admin.register(Criterion)
class CriterionAdmin(AuditedReadOnly, admin.ModelAdmin):
    list_display = ["name", "stage", "weight", "min_score", "max_score"]
    list_select_related = ["stage", "stage__contest"]


@admin.register(Organizer)
class OrganizerAdmin(AuditedReadOnly, admin.ModelAdmin):
    list_display = ["user", "contest", "created_at"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "contest"]


@admin.register(Delegate)
class DelegateAdmin(AuditedReadOnly, admin.ModelAdmin):
    list_display = ["user", "region", "contest", "created_at"]
    list_filter = ["contest"]
    autocomplete_fields = ["user", "region"]
    list_select_related = ["user", "region", "contest"]


class ReadOnlyAdmin(AuditedReadOnly, admin.ModelAdmin):
    """An audited model (or the append-only ledger), shown and never changed."""


@admin.register(RegionJoinRequest)
class RegionJoinRequestAdmin(ReadOnlyAdmin):
    """Read-only: requests are decided on the organizers' page (audited)."""

    list_display = ["user", "region", "contest", "state", "created_at"]
    list_filter = ["state", "contest"]
    list_select_related = ["user", "region", "contest"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "seq",
        "created_at",
        "contest_slug",
        "actor_email",
        "action",
        "object_type",
        "object_id",
    ]
    list_filter = ["action"]
    search_fields = ["contest_slug", "actor_email", "object_id"]


@admin.register(LedgerHead)
class LedgerHeadAdmin(ReadOnlyAdmin):
    list_display = ["last_seq", "last_hash"]
