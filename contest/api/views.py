from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.response import Response
from rules.contrib.rest_framework import AutoPermissionViewSetMixin

from common.permissions import RulesPerAction
from contest import lifecycle, selectors, services
from contest.api.base import ContestScopedMixin
from contest.api.serializers import (
    CategorySerializer,
    ContestSerializer,
    DelegateInputSerializer,
    DelegateSerializer,
    RegionSerializer,
    StageSerializer,
)
from contest.enums import RegionType
from contest.models import Category, Delegate, Region, Stage


class RegionFilter(django_filters.FilterSet):
    type = django_filters.ChoiceFilter(choices=RegionType.choices)
    province = django_filters.ModelChoiceFilter(
        field_name="province",
        queryset=Region.objects.filter(type=RegionType.PROVINSI),
        to_field_name="code",
    )

    class Meta:
        model = Region
        fields = ["type", "province"]


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """The Kemendagri region registry: 38 provinces, 416 kabupaten, 98 kota."""

    permission_classes = [permissions.AllowAny]
    serializer_class = RegionSerializer
    filterset_class = RegionFilter
    lookup_value_regex = r"\d{2}(\.\d{2})?"

    def get_queryset(self):
        return selectors.regions()


class ContestViewSet(
    AutoPermissionViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    # Anyone lists and reads the contests they may see; writes need the contest's
    # rules permissions (`permission_type_map`).
    permission_classes = [RulesPerAction]
    serializer_class = ContestSerializer
    lookup_field = "slug"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_type_map = {
        **AutoPermissionViewSetMixin.permission_type_map,
        "metadata": None,  # OPTIONS: DRF's metadata, as on every other endpoint
        # DELETE: the organizers' `contest.remove_contest` (Django's
        # `delete_contest` is the admin's), checked in `perform_destroy`.
        "destroy": None,
    }

    def perform_destroy(self, instance):
        if not self.request.user.has_perm("contest.remove_contest", instance):
            raise PermissionDenied
        lifecycle.delete_contest(contest=instance, by=self.request.user)

    def get_queryset(self):
        return selectors.contests_visible_to(self.request.user).order_by(
            "-submission_opens", "name"
        )


class _SetUpViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A contest's set-up rows (categories, stages): list, read, create and change
    with PATCH, the methods the API contract lists for them."""

    http_method_names = ["get", "post", "patch", "head", "options"]


class CategoryViewSet(mixins.DestroyModelMixin, _SetUpViewSet):
    serializer_class = CategorySerializer
    queryset = Category.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {
        "list": "contest.view_contest",
        "retrieve": "contest.view_contest",
        "create": "contest.manage_contest",
        "partial_update": "contest.manage_contest",
        "destroy": "contest.manage_contest",
    }

    def perform_destroy(self, instance):
        lifecycle.delete_category(category=instance, by=self.request.user)

    def get_queryset(self):
        return selectors.categories_of(self.contest)


class StageViewSet(mixins.DestroyModelMixin, _SetUpViewSet):
    serializer_class = StageSerializer
    queryset = Stage.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {
        "list": "contest.manage_contest",
        "retrieve": "contest.manage_contest",
        "create": "contest.manage_contest",
        "partial_update": "contest.manage_contest",
        "destroy": "contest.manage_contest",
    }

    def perform_destroy(self, instance):
        lifecycle.delete_stage(stage=instance, by=self.request.user)

    def get_queryset(self):
        return self.contest.stages.order_by("order")


class DelegateViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Delegates of the contest; POST invites or links one (`email`, `region`)."""

    serializer_class = DelegateSerializer
    queryset = Delegate.objects.none()
    action_permissions = {
        "list": "contest.manage_contest",
        "create": "contest.manage_contest",
    }

    def get_queryset(self):
        return selectors.delegates_of(self.contest)

    @extend_schema(request=DelegateInputSerializer, responses={201: DelegateSerializer})
    def create(self, request, *args, **kwargs):
        data = DelegateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        delegate = services.invite_delegate(
            contest=self.contest,
            email=data.validated_data["email"],
            region=data.validated_data["region"],
            by=request.user,
        )
        return Response(
            DelegateSerializer(delegate).data, status=status.HTTP_201_CREATED
        )
