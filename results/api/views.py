"""The results API: a stage's figures and its advancement, awards, publication and
the published results (read from the snapshot)."""

from __future__ import annotations

import json
from dataclasses import replace
from types import SimpleNamespace

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from contest.api.base import ContestScopedMixin, StageScopedMixin
from contest.selectors import contests_visible_to
from results import selectors, services
from results.api.serializers import (
    AdvanceInputSerializer,
    AwardInputSerializer,
    AwardSerializer,
    DecisionSerializer,
    PublicationSerializer,
    PublishedResultsSerializer,
    PublishInputSerializer,
    ResultRowSerializer,
    StageFiguresSerializer,
    StageResultsPageSerializer,
    TieAtCutSerializer,
)
from results.enums import PublicationKind
from results.models import AdvancementDecision, Award, Publication
from submissions.models import Submission

MANAGE = "results.manage_results"


class StageResultsViewSet(StageScopedMixin, viewsets.GenericViewSet):
    """A stage's results: per entry (paginated, by category then rank) the raw and
    normalized scores, rank within the category, spread and sheets; per stage
    Krippendorff's alpha; per judge the leniency."""

    serializer_class = ResultRowSerializer
    queryset = Submission.objects.none()
    action_permissions = {"list": MANAGE}

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ranked_by",
                str,
                enum=list(selectors.RANK_BASES),
                required=False,
                description=(
                    "Preview the ranks by this score; once the stage has advanced, "
                    "its decision's basis counts."
                ),
            )
        ],
        responses={200: StageResultsPageSerializer},
    )
    def list(self, request, *args, **kwargs):
        basis = request.query_params.get("ranked_by")
        if basis is not None and basis not in selectors.RANK_BASES:
            raise serializers.ValidationError(
                {"ranked_by": ["One of: normalized, raw."]}
            )
        page_data = selectors.stage_page(self.stage, ranked_by=basis)
        # The sheets in the computation's order (the page sorts them by score).
        sheets = page_data.computation.sheets_by_entry()
        keys = page_data.row_keys()
        page = [
            replace(row, sheets=sheets.get(row.submission.pk, []))
            for group in page_data.rows_of(self.paginate_queryset(keys))
            for row in group.rows
        ]
        response = self.get_paginated_response(
            ResultRowSerializer(page, many=True).data
        )
        response.data.update(StageFiguresSerializer(page_data).data)
        return response


class AdvanceViewSet(StageScopedMixin, viewsets.GenericViewSet):
    """Advance the best entries of each category to the next scoring stage, ranked
    by `ranked_by` (normalized by default, or raw; recorded with the decision). A
    tie at a cut answers 409 with the tied entries (`ties`) until `tie_break`
    names those that advance; a `tie_break` that does not fit the ties answers 400
    with the same body."""

    serializer_class = DecisionSerializer
    queryset = AdvancementDecision.objects.none()
    action_permissions = {"create": MANAGE}
    # A scoring stage or an indicator stage (ranked by its index scores).
    stage_kind = None

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not self.stage.is_judged:
            raise Http404

    @extend_schema(
        request=AdvanceInputSerializer,
        responses={201: DecisionSerializer, 409: TieAtCutSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = AdvanceInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            decision = services.advance_stage(
                stage=self.stage,
                by=request.user,
                tie_break=data.validated_data.get("tie_break", []),
                quotas=data.validated_data.get("quotas") or None,
                ranked_by=data.validated_data.get(
                    "ranked_by", selectors.RANK_NORMALIZED
                ),
            )
        except services.UndecidedTieError as exc:
            answer = {
                "detail": exc.message,
                "tie_break": [exc.message],
                "ties": exc.ties,
            }
            return Response(TieAtCutSerializer(answer).data, status=exc.status)
        return Response(
            DecisionSerializer(decision).data, status=status.HTTP_201_CREATED
        )


class AwardViewSet(ContestScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The contest's awards; POST gives one (`name`, `category`, `submission` or
    `region`, `rank`, optional `kind`). 409 once the results are published."""

    serializer_class = AwardSerializer
    queryset = Award.objects.none()
    action_permissions = {"list": MANAGE, "create": MANAGE}

    def get_queryset(self):
        return selectors.awards_of(self.contest).order_by(
            "kind", "category__order", "rank", "name", "pk"
        )

    @extend_schema(request=AwardInputSerializer, responses={201: AwardSerializer})
    def create(self, request, *args, **kwargs):
        data = AwardInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        award = services.assign_award(
            contest=self.contest,
            name=values["name"],
            kind=values.get("kind"),
            category=values.get("category"),
            submission=values.get("submission"),
            region=values.get("region"),
            rank=values.get("rank"),
            cluster=values.get("cluster"),
            by=request.user,
        )
        return Response(AwardSerializer(award).data, status=status.HTTP_201_CREATED)


class PublishViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    """Freeze and publish the results: final by default (the contest is then
    frozen and announced: `is_public`), or provisional with an objection window
    (`objections_close`, optional `objections_open_to_all`; a window closing
    before the one announced needs `confirm_shorter_window`). Answers the digest
    and the ledger head; 409 once published finally, while objections are open or
    unanswered."""

    serializer_class = PublicationSerializer
    queryset = Publication.objects.none()
    action_permissions = {"create": MANAGE}

    @extend_schema(
        request=PublishInputSerializer, responses={201: PublicationSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = PublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if data.validated_data["kind"] == PublicationKind.PROVISIONAL:
            publication = services.publish_provisional(
                contest=self.contest,
                by=request.user,
                objections_close=data.validated_data.get("objections_close"),
                objections_open_to_all=data.validated_data["objections_open_to_all"],
                confirm_shorter_window=data.validated_data["confirm_shorter_window"],
            )
        else:
            publication = services.publish_contest(
                contest=self.contest, by=request.user
            )
        return Response(
            PublicationSerializer(publication).data, status=status.HTTP_201_CREATED
        )


class PublishedResultsView(APIView):
    """The published results: the snapshot and its digest, the final ones or else
    the provisional ones; 404 before any publication."""

    serializer_class = PublishedResultsSerializer
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: PublishedResultsSerializer})
    def get(self, request, *args, **kwargs):
        contest = get_object_or_404(
            contests_visible_to(request.user), slug=kwargs["contest_slug"]
        )
        publication = selectors.current_publication(contest, with_snapshot=False)
        if publication is None:
            return Response({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
        etag = f'"{publication.digest}"'
        if etag in _etags(request.headers.get("If-None-Match", "")):
            response = HttpResponse(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = HttpResponse(
                _published_body(publication), content_type="application/json"
            )
        response["ETag"] = etag
        return response


def _etags(header: str) -> set[str]:
    """The entity tags of an If-None-Match header (weak ones compared as strong:
    the body of a digest never changes)."""
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return tags - {""}


def _published_body(publication: Publication) -> bytes:
    """PublishedResultsSerializer's answer, with the snapshot as its stored
    canonical bytes instead of serialized again on every request."""
    fields = [
        name for name in PublishedResultsSerializer().fields if name != "snapshot"
    ]
    values = {name: getattr(publication, name) for name in fields}
    rest = PublishedResultsSerializer(SimpleNamespace(snapshot=None, **values)).data
    head = {key: value for key, value in rest.items() if key != "snapshot"}
    canonical = selectors.published_snapshot(publication).canonical
    tail = json.dumps(head, ensure_ascii=False, separators=(",", ":")).encode()
    return b'{"snapshot":' + canonical + b"," + tail[1:]
