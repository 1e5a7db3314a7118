"""GET, POST /contests/{slug}/clusters/; GET, PATCH, DELETE .../clusters/{id}/ (the
regions as codes, the categories as ids); POST .../clusters/{id}/import/ (a table of
region codes, as the other imports)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from contest import services_clusters as services
from contest.api.base import ContestScopedMixin
from contest.api.imports import TableImportViewSet
from contest.clusters import clusters_of
from contest.enums import RegionType
from contest.models import Category
from contest.models_formats import RegionCluster
from contest.validators import validate_slug_text

MANAGE = "contest.manage_contest"


class ClusterSerializer(serializers.ModelSerializer):
    # Blank for a cluster of listed regions: said so in the schema too.
    region_type = serializers.ChoiceField(
        choices=RegionType.choices, allow_blank=True, read_only=True
    )
    regions = serializers.SerializerMethodField(
        help_text="The codes of the regions listed (empty for a cluster by type)."
    )
    categories = serializers.SerializerMethodField(
        help_text="The ids of the categories only this cluster's regions may enter."
    )

    class Meta:
        model = RegionCluster
        fields = ["id", "name", "slug", "region_type", "regions", "categories", "order"]
        read_only_fields = fields

    def get_regions(self, obj) -> list[str]:
        return sorted(r.code for r in obj.regions.all())

    def get_categories(self, obj) -> list[int]:
        return sorted(c.pk for c in obj.categories.all())


@extend_schema_field(OpenApiTypes.INT)
class ContestCategories(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return Category.objects.filter(contest=self.context["contest"])

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        if isinstance(data, str) and not data.isdigit():
            self.fail("incorrect_type", data_type="str")
        return super().to_internal_value(data)


class ClusterInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    slug = serializers.CharField(max_length=80, validators=[validate_slug_text])
    region_type = serializers.ChoiceField(
        choices=RegionType.choices, required=False, allow_blank=True
    )
    regions = serializers.ListField(
        child=serializers.CharField(max_length=20), required=False, max_length=1000
    )
    categories = ContestCategories(many=True, required=False)
    order = serializers.IntegerField(min_value=0, max_value=32767, required=False)


class ClusterViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClusterSerializer
    queryset = RegionCluster.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {
        "list": MANAGE,
        "retrieve": MANAGE,
        "create": MANAGE,
        "partial_update": MANAGE,
        "destroy": MANAGE,
    }

    def get_queryset(self):
        return clusters_of(self.contest)

    @extend_schema(request=ClusterInputSerializer, responses={201: ClusterSerializer})
    def create(self, request, *args, **kwargs):
        data = ClusterInputSerializer(
            data=request.data, context={"contest": self.contest}
        )
        data.is_valid(raise_exception=True)
        cluster = services.create_cluster(
            contest=self.contest, by=request.user, **data.validated_data
        )
        out = ClusterSerializer(self.get_queryset().get(pk=cluster.pk))
        return Response(out.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ClusterInputSerializer, responses={200: ClusterSerializer})
    def partial_update(self, request, *args, **kwargs):
        cluster = self.get_object()
        data = ClusterInputSerializer(
            data=request.data, partial=True, context={"contest": self.contest}
        )
        data.is_valid(raise_exception=True)
        services.update_cluster(
            cluster=cluster, by=request.user, data=dict(data.validated_data)
        )
        return Response(ClusterSerializer(self.get_queryset().get(pk=cluster.pk)).data)

    def destroy(self, request, *args, **kwargs):
        services.delete_cluster(cluster=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ClusterImportViewSet(TableImportViewSet):
    """POST /contests/{slug}/clusters/{id}/import/: `region` (code or name) per row."""

    permission = MANAGE

    def run_import(self, table, *, dry_run):
        cluster = get_object_or_404(
            RegionCluster, contest=self.contest, pk=self.kwargs["pk"]
        )
        return services.import_cluster_regions(
            cluster=cluster, table=table, by=self.request.user, dry_run=dry_run
        )
