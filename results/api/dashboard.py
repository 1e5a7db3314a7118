"""An entry's dashboard for integrators: what its page shows
(results.views.delegate.EntryDashboardView), through the same selector and rule."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from contest.api.base import ContestScopedMixin
from results.api.objections import ObjectionSerializer
from results.selectors.dashboard import EntryDashboard, entry_dashboard
from submissions.rules import allows
from submissions.selectors import submission_with_evidence, submissions_visible_to


class DeadlineSerializer(serializers.Serializer):
    label = serializers.CharField()
    at = serializers.DateTimeField()
    passed = serializers.BooleanField()


class StepSerializer(serializers.Serializer):
    stage = serializers.IntegerField(source="stage.pk")
    name = serializers.CharField(source="stage.name")
    reached = serializers.BooleanField()
    current = serializers.BooleanField()


class FeedbackLineSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(source="criterion.pk")
    name = serializers.CharField(source="criterion.name")
    score = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    category_median = serializers.DecimalField(
        max_digits=8, decimal_places=2, allow_null=True
    )
    comments = serializers.ListField(child=serializers.CharField())


class FeedbackStageSerializer(serializers.Serializer):
    stage = serializers.IntegerField(source="stage_id")
    name = serializers.CharField(source="stage_name")
    criteria = FeedbackLineSerializer(many=True)
    comments = serializers.ListField(child=serializers.CharField())


class PublishedStageSerializer(serializers.Serializer):
    """The entry's figures at one stage as the publication froze them."""

    stage = serializers.IntegerField(source="stage_id")
    name = serializers.CharField()
    raw_score = serializers.CharField(allow_null=True)
    normalized_score = serializers.CharField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class DashboardSerializer(serializers.Serializer):
    submission = serializers.IntegerField(source="submission.pk")
    state = serializers.CharField(source="submission.state")
    headline = serializers.CharField()
    explanation = serializers.CharField()
    deadline = DeadlineSerializer(allow_null=True)
    missing_fields = serializers.SerializerMethodField()
    has_evidence = serializers.SerializerMethodField()
    screening_reason = serializers.CharField(source="submission.screening_reason")
    revision_note = serializers.CharField(source="submission.revision_note")
    receipt_number = serializers.CharField(source="submission.receipt_number")
    steps = StepSerializer(many=True)
    stage_reached = serializers.IntegerField(
        source="stage_reached.pk", allow_null=True, default=None
    )
    publication = serializers.SerializerMethodField()
    final_score = serializers.SerializerMethodField()
    rank = serializers.IntegerField(allow_null=True)
    awards = serializers.ListField(child=serializers.CharField())
    stages = PublishedStageSerializer(
        source="stage_scores",
        many=True,
        help_text="The published score per stage, from the publication's snapshot "
        "(the provisional one's during its objection window).",
    )
    objections_open = serializers.BooleanField()
    feedback = serializers.SerializerMethodField()
    objections = serializers.SerializerMethodField()

    def get_missing_fields(self, board: EntryDashboard) -> list[str]:
        return list(board.checklist.missing_fields) if board.checklist else []

    def get_has_evidence(self, board: EntryDashboard) -> bool | None:
        return board.checklist.has_evidence if board.checklist else None

    def get_publication(self, board: EntryDashboard) -> str | None:
        """The kind of the publication read (provisional, final), if any."""
        return board.publication.kind if board.publication else None

    def get_final_score(self, board: EntryDashboard) -> str | None:
        return board.published.get("final_score") if board.published else None

    def get_feedback(self, board: EntryDashboard) -> list[dict] | None:
        """The scores per criterion and the judges' comments, after the final
        publication only (as the feedback page); null before."""
        if board.feedback is None:
            return None
        return FeedbackStageSerializer(board.feedback.stages, many=True).data

    def get_objections(self, board: EntryDashboard) -> list[dict]:
        return ObjectionSerializer(
            board.objections, many=True, context={"organizer": False}
        ).data


class EntryDashboardViewSet(ContestScopedMixin, viewsets.ViewSet):
    """GET: one entry's dashboard, to its region's delegates and the organizers;
    404 for anyone who may not know the entry, 403 for a judge who reads it."""

    action_permissions = {"retrieve": "submissions.look_up_submission"}

    @extend_schema(responses=DashboardSerializer)
    def retrieve(self, request, *args, **kwargs):
        submission = get_object_or_404(
            submission_with_evidence(
                submissions_visible_to(request.user, self.contest)
            ),
            pk=kwargs["pk"],
        )
        if not allows(request.user, "results.view_entry_dashboard", submission):
            raise PermissionDenied
        board = entry_dashboard(request.user, submission)
        return Response(DashboardSerializer(board).data)
