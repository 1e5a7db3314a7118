"""The API of the contest's life beyond its set-up: contest-creator rights
(superusers), a contest's organizers, and the copy of a contest for its next
edition. The deletions are the DELETE of contest-, category- and stage-detail
(contest/api/views.py). Each calls the same service, under the same permission,
as its page (contest/views_lifecycle.py)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.permissions import RulesPerAction
from contest import lifecycle
from contest.api.base import ContestScopedMixin
from contest.api.serializers import ContestSerializer, WindowDateTimeField
from contest.models import Organizer
from contest.validators import validate_slug_text

User = get_user_model()


class AccountSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "name", "institution", "can_create_contests"]
        read_only_fields = fields


class CreatorRightSerializer(serializers.Serializer):
    can_create_contests = serializers.BooleanField()


class AccountViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Accounts and their right to create contests, for superusers: list (filter
    by `email`, a part of the address) and POST .../{id}/creator-right/."""

    permission_classes = [RulesPerAction]
    serializer_class = AccountSerializer
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    http_method_names = ["get", "post", "head", "options"]
    # OPTIONS answers DRF's metadata to anyone, as on every other endpoint, and
    # describes the POST only to superusers (`check_permissions`).
    action_permissions = {
        "list": "contest.manage_creators",
        "creator_right": "contest.manage_creators",
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action is None:
            raise exceptions.MethodNotAllowed(request.method)
        if self.action == "metadata":
            return
        if not request.user.has_perm(self.action_permissions[self.action]):
            self.permission_denied(request)

    def check_permissions(self, request):
        super().check_permissions(request)
        describing = getattr(self, "action", None) == "metadata"
        if (
            describing
            and request.method != "OPTIONS"
            and not request.user.has_perm("contest.manage_creators")
        ):
            raise exceptions.PermissionDenied

    def get_queryset(self):
        email = self.request.query_params.get("email", "")[:254]
        return lifecycle.accounts_for_rights(email=email)

    @extend_schema(
        parameters=[
            OpenApiParameter("email", str, description=_("part of the address"))
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=CreatorRightSerializer, responses={200: AccountSerializer})
    @action(detail=True, methods=["post"], url_path="creator-right")
    def creator_right(self, request, *args, **kwargs):
        data = CreatorRightSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = lifecycle.set_creator_right(
            user=self.get_object(),
            allowed=data.validated_data["can_create_contests"],
            by=request.user,
        )
        return Response(AccountSerializer(account).data)


class OrganizerSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    name = serializers.CharField(source="user.name", read_only=True)

    class Meta:
        model = Organizer
        fields = ["id", "email", "name", "created_at"]
        read_only_fields = fields


class OrganizerInputSerializer(serializers.Serializer):
    email = serializers.EmailField()


class OrganizerViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The contest's organizers: list, invite by `email` (POST), remove (DELETE;
    never the last one, 409)."""

    serializer_class = OrganizerSerializer
    queryset = Organizer.objects.none()
    lookup_value_regex = r"\d+"
    filter_backends: list = []
    http_method_names = ["get", "post", "delete", "head", "options"]
    action_permissions = {
        "list": "contest.manage_organizers",
        "create": "contest.manage_organizers",
        "destroy": "contest.manage_organizers",
    }

    def get_queryset(self):
        return lifecycle.organizers_of(self.contest)

    @extend_schema(
        request=OrganizerInputSerializer, responses={201: OrganizerSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = OrganizerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        organizer = lifecycle.invite_organizer(
            contest=self.contest, email=data.validated_data["email"], by=request.user
        )
        return Response(
            OrganizerSerializer(organizer).data, status=status.HTTP_201_CREATED
        )

    def perform_destroy(self, instance):
        lifecycle.remove_organizer(organizer=instance, by=self.request.user)


class CloneInputSerializer(serializers.Serializer):
    """The new edition: `name`, `slug`, and its dates from this contest's, moved by
    `shift_years` calendar years and `shift_days` days, or (with
    `submission_opens`) so that submissions open then and every date moves with
    them. With none of the three, one year later."""

    name = serializers.CharField(max_length=200)
    slug = serializers.SlugField(max_length=80, validators=[validate_slug_text])
    shift_years = serializers.IntegerField(
        required=False, min_value=0, max_value=10, default=None
    )
    shift_days = serializers.IntegerField(
        required=False, min_value=-3650, max_value=3650, default=None
    )
    submission_opens = WindowDateTimeField(required=False, default=None)
    include_organizers = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        shifted = attrs["shift_years"] is not None or attrs["shift_days"] is not None
        if shifted and attrs["submission_opens"] is not None:
            raise serializers.ValidationError(
                {
                    "submission_opens": [
                        _("Give either a new opening date or a shift, not both.")
                    ]
                }
            )
        return attrs

    def shift(self, contest) -> lifecycle.Shift:
        data = self.validated_data
        if data["submission_opens"] is not None:
            return lifecycle.shift_to_open(contest, data["submission_opens"])
        if data["shift_years"] is None and data["shift_days"] is None:
            return lifecycle.Shift(years=1)
        return lifecycle.Shift(
            years=data["shift_years"] or 0,
            delta=dt.timedelta(days=data["shift_days"] or 0),
        )


class CloneViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    """POST /contests/{slug}/clone/: a new contest from this one's set-up."""

    serializer_class = CloneInputSerializer
    http_method_names = ["post", "options"]
    action_permissions = {"create": "contest.clone_contest"}

    @extend_schema(request=CloneInputSerializer, responses={201: ContestSerializer})
    def create(self, request, *args, **kwargs):
        data = CloneInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = lifecycle.clone_contest(
            contest=self.contest,
            by=request.user,
            name=data.validated_data["name"],
            slug=data.validated_data["slug"],
            shift=data.shift(self.contest),
            include_organizers=data.validated_data["include_organizers"],
        )
        return Response(ContestSerializer(new).data, status=status.HTTP_201_CREATED)
