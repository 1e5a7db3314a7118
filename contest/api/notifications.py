"""A contest's outbox log for integrators: what was sent to whom, and the retry of
a failed message; the organizers' page (contest.views.NotificationLogView) reads
and writes through the same selector, permission and service."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contest import services as contest_services
from contest.api.base import ContestScopedMixin
from notifications.enums import NotificationState
from notifications.models import Notification
from notifications.selectors import event_label, notifications_of_contest


class NotificationSerializer(serializers.ModelSerializer):
    """One message of the log: never the data it was rendered from (a link meant
    for the recipient alone, such as an invitation's, stays in the outbox)."""

    event_label = serializers.SerializerMethodField()
    state_label = serializers.CharField(source="get_state_display", read_only=True)

    class Meta:
        model = Notification
        fields = [
            "id",
            "email",
            "event",
            "event_label",
            "subject",
            "state",
            "state_label",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
        ]
        read_only_fields = fields

    def get_event_label(self, obj: Notification) -> str:
        return event_label(obj.event)


class NotificationFilterSerializer(serializers.Serializer):
    """The list's query parameters; a state that does not exist answers 400
    naming `state`."""

    state = serializers.ChoiceField(
        choices=NotificationState.choices, required=False, allow_blank=True
    )
    event = serializers.CharField(required=False, allow_blank=True, max_length=60)


@extend_schema_view(
    list=extend_schema(
        parameters=[NotificationFilterSerializer],
        description=(
            "The contest's notifications, newest first; filter by `state` "
            "(pending, sent, failed) and `event`."
        ),
    ),
)
class NotificationViewSet(
    ContestScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The contest's notifications (organizers); POST .../{id}/retry/ sends a
    failed one again (409 for any other state)."""

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()
    http_method_names = ["get", "post", "head", "options"]
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    action_permissions = {
        "list": "contest.view_notifications",
        "retry": "contest.view_notifications",
    }

    def get_queryset(self):
        if self.action != "list":
            return notifications_of_contest(self.contest.pk)
        query = NotificationFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return notifications_of_contest(
            self.contest.pk,
            state=query.validated_data.get("state") or None,
            event=query.validated_data.get("event") or None,
        )

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def retry(self, request, *args, **kwargs):
        row = contest_services.retry_notification(
            contest=self.contest, notification=self.get_object(), by=request.user
        )
        return Response(self.get_serializer(row).data)
