from django.contrib import admin

from notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the services and sent by the
    outbox's tasks; organizers retry a failed one from their contest's page."""

    list_display = ["event", "email", "state", "attempts", "created_at", "sent_at"]
    list_filter = ["state", "event"]
    search_fields = ["email", "event"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
