"""The organizers' messages to a contest's people, for integrators: the log of
what was sent (with how many mails went, wait or failed), a preview of a group
(how many, the first addresses) and the sending, through the same services,
rules and checks as the page (judging.views.messages)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from contest.api.base import ContestScopedMixin
from judging.selectors.messages import MessageGroup
from judging.services import messages as message_services
from notifications.messages import BODY_MAX, SUBJECT_MAX, messages_of_contest
from notifications.models import Message


class MessageSerializer(serializers.ModelSerializer):
    sent_by = serializers.EmailField(source="sent_by.email", read_only=True)
    sent = serializers.IntegerField(source="sent_count", read_only=True)
    waiting = serializers.IntegerField(source="pending_count", read_only=True)
    failed = serializers.IntegerField(source="failed_count", read_only=True)

    class Meta:
        model = Message
        fields = [
            "id",
            "group",
            "group_label",
            "filters",
            "subject",
            "body",
            "recipient_count",
            "sent",
            "waiting",
            "failed",
            "sent_by",
            "created_at",
        ]
        read_only_fields = fields


class AudienceInputSerializer(serializers.Serializer):
    group = serializers.ChoiceField(choices=MessageGroup.choices)
    stage = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    category = serializers.IntegerField(required=False, allow_null=True, min_value=1)


class MessageInputSerializer(AudienceInputSerializer):
    subject = serializers.CharField(max_length=SUBJECT_MAX)
    body = serializers.CharField(max_length=BODY_MAX)
    # The count the client previewed: the sending is refused (409) when the
    # group is no longer that many people. Optional.
    expected_count = serializers.IntegerField(
        required=False, allow_null=True, min_value=0
    )


class PreviewSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    first = serializers.ListField(child=serializers.EmailField())


class MessageViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """GET: the contest's messages, newest first. POST: send one to a group
    (`group`, optional `stage` and `category`, `subject`, `body`, optional
    `expected_count`); POST .../preview/: how many it would reach."""

    serializer_class = MessageSerializer
    queryset = Message.objects.none()
    action_permissions = {
        "list": "judging.send_messages",
        "create": "judging.send_messages",
        "preview": "judging.send_messages",
    }

    def get_queryset(self):
        return messages_of_contest(self.contest.pk)

    def _audience(self, data: dict):
        return message_services.audience_of(
            contest=self.contest,
            group=data["group"],
            stage_id=data.get("stage"),
            category_id=data.get("category"),
        )

    @extend_schema(request=MessageInputSerializer, responses={201: MessageSerializer})
    def create(self, request, *args, **kwargs):
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        message = message_services.send_message(
            audience=self._audience(values),
            subject=values["subject"],
            body=values["body"],
            by=request.user,
            expected_count=values.get("expected_count"),
        )
        fresh = self.get_queryset().get(pk=message.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AudienceInputSerializer, responses={200: PreviewSerializer})
    @action(detail=False, methods=["post"])
    def preview(self, request, *args, **kwargs):
        data = AudienceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preview = message_services.preview_message(
            audience=self._audience(data.validated_data), by=request.user
        )
        return Response({"count": preview.count, "first": preview.first})
