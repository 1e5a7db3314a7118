from django.contrib import admin
from django.core.exceptions import ValidationError

from common.guards import ensure_not_frozen
from config.errors import DomainError
from contest.models import (
    AuditEntry,
    Category,
    Contest,
    Criterion,
    Delegate,
    LedgerHead,
    Organizer,
    Region,
    Stage,
)
from contest.rules import contest_of


def _frozen(obj) -> bool:
    contest = contest_of(obj)
    return contest is not None and contest.frozen_at is not None


class FrozenPermissions:
    """A frozen contest's rows are shown, never changed or deleted here."""

    def has_change_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_delete_permission(request, obj)


class FrozenReadOnly(FrozenPermissions):
    """...and no new row is added to a frozen contest (the form refuses)."""

    def get_form(self, request, obj=None, **kwargs):
        base = super().get_form(request, obj, **kwargs)

        class NotIntoFrozen(base):
            def clean(self):
                cleaned = super().clean()
                parent = cleaned.get("contest") or cleaned.get("stage")
                try:
                    ensure_not_frozen(contest_of(parent))
                except DomainError as exc:
                    raise ValidationError(str(exc.message)) from exc
                return cleaned

        return NotIntoFrozen


class FrozenReadOnlyInline(FrozenPermissions):
    """An inline's `obj` is its parent (a contest, a stage)."""

    def has_add_permission(self, request, obj=None):
        return not _frozen(obj) and super().has_add_permission(request, obj)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "type", "province"]
    list_filter = ["type"]
    search_fields = ["code", "name"]
    list_select_related = ["province"]


class CategoryInline(FrozenReadOnlyInline, admin.TabularInline):
    model = Category
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


class StageInline(FrozenReadOnlyInline, admin.StackedInline):
    model = Stage
    extra = 0


class OrganizerInline(FrozenReadOnlyInline, admin.TabularInline):
    model = Organizer
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Contest)
class ContestAdmin(FrozenReadOnly, admin.ModelAdmin):
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
class CategoryAdmin(FrozenReadOnly, admin.ModelAdmin):
    list_display = ["name", "contest", "order"]
    list_filter = ["contest"]
    search_fields = ["name"]
    list_select_related = ["contest"]


class CriterionInline(FrozenReadOnlyInline, admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Stage)
class StageAdmin(FrozenReadOnly, admin.ModelAdmin):
    list_display = ["name", "contest", "order", "kind", "opens", "closes"]
    list_filter = ["kind", "contest"]
    inlines = [CriterionInline]
    list_select_related = ["contest"]


@admin.register(Criterion)
class CriterionAdmin(FrozenReadOnly, admin.ModelAdmin):
    list_display = ["name", "stage", "weight", "min_score", "max_score"]
    list_select_related = ["stage", "stage__contest"]


@admin.register(Organizer)
class OrganizerAdmin(FrozenReadOnly, admin.ModelAdmin):
    list_display = ["user", "contest", "created_at"]
    autocomplete_fields = ["user"]
    list_select_related = ["user", "contest"]


@admin.register(Delegate)
class DelegateAdmin(FrozenReadOnly, admin.ModelAdmin):
    list_display = ["user", "region", "contest", "created_at"]
    list_filter = ["contest"]
    autocomplete_fields = ["user", "region"]
    list_select_related = ["user", "region", "contest"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: these rows change only through the services, which
    audit every change (the ledger itself is append-only)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
