from django.contrib import admin

from notifications.models import Message, Notification, TemplateOverride


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    """Read-only: notifications are written by the services and sent by the
    outbox's tasks; organizers retry a failed one from their contest's page."""

    list_display = ["event", "email", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "event"]
    search_fields = ["email", "event"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    """Read-only: an organizer's message is sent, and kept as sent, from the
    contest's messages page (audited there)."""

    list_display = ["subject", "contest_id", "group_label", "recipient_count"]
    list_filter = ["group"]
    search_fields = ["subject"]


@admin.register(TemplateOverride)
class TemplateOverrideAdmin(ReadOnlyAdmin):
    """Read-only: a contest's e-mail texts are checked, saved and restored from
    its e-mail texts page, where each change is audited."""

    list_display = ["event", "language", "contest_id", "updated_at"]
    list_filter = ["event", "language"]
