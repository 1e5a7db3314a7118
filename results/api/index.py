"""An indicator stage's live index for integrators: each entry's score, band and
validation counts (paginated) and each region's index and rank in its cluster
(docs/indicator-index.md). The contest's organizers read it; anyone may once the
organizer opens the stage's live ranking (`ranking_public`)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets

from contest.api.base import StageScopedMixin
from contest.enums import StageKind
from results import selectors
from results.api.serializers import DecimalTextField
from submissions.models import Submission


class IndexEntrySerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.pk")
    region = serializers.CharField(source="submission.region_id")
    score = DecimalTextField(
        help_text="0-100, a decimal string with two places; null: Tidak dapat dinilai."
    )
    band = serializers.CharField()
    rank = serializers.IntegerField(
        allow_null=True, help_text="Within the entry's category."
    )
    valid = serializers.IntegerField()
    invalid = serializers.IntegerField()
    pending = serializers.IntegerField(
        help_text="Indicators not validated valid or invalid yet."
    )


class IndexRegionSerializer(serializers.Serializer):
    region = serializers.CharField(source="region.pk")
    name = serializers.CharField(source="region.name")
    index = DecimalTextField()
    band = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    cluster = serializers.SerializerMethodField(
        help_text="The cluster's slug; null when the contest ranks by region type."
    )
    group = serializers.CharField(
        help_text="The ranking group: the cluster's slug, or the region type."
    )

    def get_cluster(self, row) -> str | None:
        return row.group if self.context.get("clustered") else None


class IndexFiguresSerializer(serializers.Serializer):
    aggregation = serializers.CharField(source="stage.index_aggregation")
    cap = DecimalTextField(source="stage.index_cap")
    indicators = serializers.IntegerField(source="criteria_count")
    pending = serializers.IntegerField()
    regions = serializers.SerializerMethodField()

    def get_regions(self, index) -> list[dict]:
        return IndexRegionSerializer(
            index.regions, many=True, context={"clustered": index.clustered}
        ).data


class IndexPageSerializer(IndexFiguresSerializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = IndexEntrySerializer(many=True)


class StageIndexViewSet(StageScopedMixin, viewsets.GenericViewSet):
    """The live index of an indicator stage (404 for any other stage, and for
    anyone but its organizers while its ranking is not public)."""

    serializer_class = IndexEntrySerializer
    queryset = Submission.objects.none()
    # Any stage is loaded (OPTIONS describes the route on any); only an
    # indicator stage the caller may read answers.
    stage_kind = None
    action_permissions = {"list": "contest.view_contest"}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action == "metadata":
            return
        if self.stage.kind != StageKind.INDICATOR or not request.user.has_perm(
            "results.view_index_ranking", self.stage
        ):
            raise Http404

    @extend_schema(responses={200: IndexPageSerializer})
    def list(self, request, *args, **kwargs):
        index = selectors.stage_index(self.stage)
        page = self.paginate_queryset(index.entries)
        response = self.get_paginated_response(
            IndexEntrySerializer(page, many=True).data
        )
        response.data.update(IndexFiguresSerializer(index).data)
        return response
