"""Requests to join a contest as a region's delegate, for integrators: what the
pages do (contest/views_joining.py), through the same services and rules."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from contest import joining
from contest.api.base import ContestScopedMixin
from contest.api.serializers import DelegateSerializer, RegionCodeField
from contest.models import RegionJoinRequest
from contest.rules import is_contest_organizer


class JoinRequestSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = RegionJoinRequest
        fields = [
            "id",
            "email",
            "region",
            "region_name",
            "message",
            "state",
            "decision_reason",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields


class JoinRequestInputSerializer(serializers.Serializer):
    region = RegionCodeField()
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class DeclineInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class JoinRequestViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The contest's requests to join: an organizer reads all of them and answers
    them; any other signed-in user reads their own, asks (`region`, `message`)
    and withdraws a request still waiting."""

    serializer_class = JoinRequestSerializer
    queryset = RegionJoinRequest.objects.none()
    action_permissions = {
        "list": "contest.list_join_requests",
        "create": "contest.request_to_join",
        "approve": "contest.decide_join_requests",
        "decline": "contest.decide_join_requests",
        "withdraw": "contest.list_join_requests",
    }

    def get_queryset(self):
        if self.action in ("approve", "decline") or is_contest_organizer.test(
            self.request.user, self.contest
        ):
            return joining.join_requests_of(self.contest)
        return joining.join_requests_by(self.request.user).filter(contest=self.contest)

    @extend_schema(
        request=JoinRequestInputSerializer, responses={201: JoinRequestSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = JoinRequestInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        join_request = joining.request_to_join(
            contest=self.contest,
            region=data.validated_data["region"],
            message=data.validated_data.get("message", ""),
            by=request.user,
        )
        return Response(
            JoinRequestSerializer(join_request).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: DelegateSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, *args, **kwargs):
        """Link the asker as the region's delegate; answers the delegate."""
        delegate = joining.approve_join_request(
            join_request=self.get_object(), by=request.user
        )
        return Response(DelegateSerializer(delegate).data)

    @extend_schema(
        request=DeclineInputSerializer, responses={200: JoinRequestSerializer}
    )
    @action(detail=True, methods=["post"])
    def decline(self, request, *args, **kwargs):
        join_request = self.get_object()
        data = DeclineInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        join_request = joining.decline_join_request(
            join_request=join_request,
            reason=data.validated_data["reason"],
            by=request.user,
        )
        return Response(JoinRequestSerializer(join_request).data)

    @extend_schema(request=None, responses={200: JoinRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        own = joining.join_requests_by(request.user).filter(contest=self.contest)
        join_request = joining.withdraw_join_request(
            join_request=get_object_or_404(own, pk=kwargs["pk"]), by=request.user
        )
        return Response(JoinRequestSerializer(join_request).data)
