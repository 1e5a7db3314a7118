from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rules.contrib.rest_framework import AutoPermissionViewSetMixin

from common.errors import DomainError
from contest.api.base import ContestScopedMixin, StageScopedMixin
from contest.api.serializers import CriterionSerializer
from contest.models import Criterion
from judging import selectors, services
from judging.api.serializers import (
    AssignInputSerializer,
    AssignmentInputSerializer,
    AssignmentSerializer,
    AssignRunSerializer,
    ConflictInputSerializer,
    ConflictSerializer,
    JudgeInputSerializer,
    JudgeSerializer,
    MyAssignmentSerializer,
    RemindersSerializer,
    SheetInputSerializer,
    SheetSerializer,
    sheet_payload,
)
from judging.models import Assignment, ConflictOfInterest, Judge
from judging.rules import can_write_sheet, sheet_of


class JudgeViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The contest's judges; POST invites or links one (`email`, `name`,
    `home_region`, `categories`, `panels`)."""

    serializer_class = JudgeSerializer
    queryset = Judge.objects.none()
    action_permissions = {
        "list": "judging.manage_judging",
        "create": "judging.manage_judging",
    }

    def get_queryset(self):
        return selectors.judges_of(self.contest)

    @extend_schema(request=JudgeInputSerializer, responses={201: JudgeSerializer})
    def create(self, request, *args, **kwargs):
        data = JudgeInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        judge = services.invite_judge(
            contest=self.contest,
            email=values["email"],
            name=values.get("name", ""),
            home_region=values.get("home_region"),
            categories=values.get("categories", []),
            panels=values.get("panels", []),
            by=request.user,
        )
        return Response(JudgeSerializer(judge).data, status=status.HTTP_201_CREATED)


class ConflictViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    """Declare a conflict of interest: an organizer for any judge, a judge for
    themself on an entry assigned to them. Unsubmitted assignments of the pair are
    removed."""

    serializer_class = ConflictSerializer
    queryset = ConflictOfInterest.objects.none()
    action_permissions = {"create": "judging.declare_conflict"}

    @extend_schema(request=ConflictInputSerializer, responses={201: ConflictSerializer})
    def create(self, request, *args, **kwargs):
        data = ConflictInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        judge = data.validated_data.get("judge")
        if judge is None:
            judge = self.contest.judges.filter(user_id=request.user.pk).first()
            if judge is None:
                raise DomainError(_("This field is required."), field="judge")
        result = services.declare_conflict(
            judge=judge,
            submission=data.validated_data["submission"],
            reason=data.validated_data["reason"],
            by=request.user,
        )
        excluded = [sheet_of(a).pk for a in result.kept]
        body = ConflictSerializer(
            result.conflict,
            context={
                "removed_assignments": [a.pk for a in result.removed],
                "excluded_sheets": excluded,
            },
        ).data
        return Response(body, status=status.HTTP_201_CREATED)


class CriterionViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """A stage's rubric: organizers and the stage's judges read it; POST adds a
    criterion through judging.services.add_criterion, the one owner of the rubric
    (409 once the contest is frozen or a sheet of the stage is submitted)."""

    serializer_class = CriterionSerializer
    queryset = Criterion.objects.none()
    action_permissions = {
        "list": "contest.read_rubric",
        "create": "contest.manage_contest",
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.stage = get_object_or_404(self.contest.stages, pk=self.kwargs["stage_pk"])

    def get_queryset(self):
        return self.stage.criteria.order_by("order", "pk")

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["stage"] = getattr(self, "stage", None)
        return context

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        criterion = services.add_criterion(
            stage=self.stage, by=request.user, **serializer.validated_data
        )
        return Response(
            CriterionSerializer(criterion).data, status=status.HTTP_201_CREATED
        )


class AssignRunViewSet(StageScopedMixin, viewsets.GenericViewSet):
    """Run the assignment for a scoring stage."""

    serializer_class = AssignRunSerializer
    queryset = Assignment.objects.none()
    action_permissions = {"create": "judging.manage_judging"}

    @extend_schema(request=AssignInputSerializer, responses={201: AssignRunSerializer})
    def create(self, request, *args, **kwargs):
        data = AssignInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.assign_judges(
            stage=self.stage,
            judges_per_entry=data.validated_data["judges_per_entry"],
            by=request.user,
        )
        return Response(AssignRunSerializer(run).data, status=status.HTTP_201_CREATED)


class ReminderViewSet(StageScopedMixin, viewsets.GenericViewSet):
    """Remind the judges whose sheets of an open scoring stage are not all
    submitted, as the stage's progress page does, at most once a day each;
    answers how many were reminded now. 409 outside the stage's window or once
    the results are published."""

    serializer_class = RemindersSerializer
    queryset = Assignment.objects.none()
    action_permissions = {"create": "judging.manage_judging"}

    @extend_schema(request=None, responses={200: RemindersSerializer})
    def create(self, request, *args, **kwargs):
        count = services.request_reminders(stage=self.stage, by=request.user)
        return Response(RemindersSerializer({"reminded": count}).data)


class StageAssignmentViewSet(
    StageScopedMixin,
    mixins.ListModelMixin,
    viewsets.GenericViewSet,
):
    """A stage's assignments; POST adds one by hand (409 for a conflicted pair),
    DELETE removes one without a submitted sheet."""

    serializer_class = AssignmentSerializer
    queryset = Assignment.objects.none()
    lookup_url_kwarg = "pk"
    action_permissions = {
        "list": "judging.manage_judging",
        "create": "judging.manage_judging",
        "destroy": "judging.manage_judging",
    }

    def get_queryset(self):
        return selectors.assignments_of_stage(self.stage)

    @extend_schema(
        request=AssignmentInputSerializer, responses={201: AssignmentSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = AssignmentInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        assignment = services.add_assignment(
            stage=self.stage,
            judge=data.validated_data["judge"],
            submission=data.validated_data["submission"],
            by=request.user,
        )
        return Response(
            AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, *args, **kwargs):
        services.remove_assignment(assignment=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MyAssignmentViewSet(
    AutoPermissionViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The calling judge's assignments across contests, with each entry and its
    evidence; and each assignment's score sheet (`sheet/`: GET for the judge and the
    contest's organizers, PUT for the judge)."""

    serializer_class = MyAssignmentSerializer
    queryset = Assignment.objects.none()
    permission_classes = [IsAuthenticated]
    permission_type_map = {
        **AutoPermissionViewSetMixin.permission_type_map,
        "metadata": None,  # OPTIONS: DRF's metadata, as on every other endpoint
        "sheet": "view",
        "update_sheet": "write",
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.with_evidence(
                selectors.assignments_for_judge(self.request.user)
            )
        return selectors.assignments_visible_to(self.request.user)

    def _sheet_response(self, assignment: Assignment, code=status.HTTP_200_OK):
        sheet = sheet_of(assignment)
        criteria = list(selectors.criteria_of(assignment.stage))
        peers = None
        if self.request.user.has_perm("judging.see_peers_assignment", assignment):
            peers = selectors.peer_sheets(assignment, criteria)
        payload = sheet_payload(
            assignment,
            sheet,
            criteria,
            selectors.scores_by_criterion(sheet),
            selectors.sheet_score_of(sheet, criteria),
            peers,
        )
        neighbours = selectors.judge_neighbours(assignment)
        payload.update(previous=neighbours.previous, next=neighbours.next)
        response = Response(SheetSerializer(payload).data, status=code)
        response["ETag"] = etag(payload["version"])
        return response

    @extend_schema(
        responses={
            200: OpenApiResponse(
                SheetSerializer,
                description="The sheet; the ETag header names its version.",
            )
        }
    )
    @action(detail=True, methods=["get"])
    def sheet(self, request, *args, **kwargs):
        return self._sheet_response(self.get_object())

    @extend_schema(
        request=SheetInputSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="Optional: the ETag the client read; a stale one "
                "answers 409 and writes nothing (as does a stale `version`).",
            )
        ],
        responses={200: SheetSerializer},
    )
    @sheet.mapping.put
    def update_sheet(self, request, *args, **kwargs):
        assignment = self.get_object()
        # The predicate itself: has_perm would let a superuser write as the judge.
        if not can_write_sheet.test(request.user, assignment):
            raise PermissionDenied
        data = SheetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        version = if_match_version(request)
        if version is None:
            version = values.get("version")
        try:
            with transaction.atomic():
                sheet = services.ensure_sheet(assignment=assignment)
                services.record_sheet(
                    sheet=sheet,
                    scores=values["scores"],
                    comment=values["comment"],
                    submit=values["submit"],
                    version=version,
                    by=request.user,
                )
        except services.ScoreLineError as exc:
            message = str(exc.message)
            return Response(
                {
                    "detail": message,
                    "scores": [message],
                    exc.line_field: [message],
                    "line": exc.line,
                },
                status=exc.status,
            )
        fresh = self.get_queryset().get(pk=assignment.pk)
        return self._sheet_response(fresh)


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version(request) -> int | None:
    """The sheet version an If-Match header names (`"3"`, `W/"3"`), None without
    one (or for `*`); 400 naming If-Match when it is not one of our ETags."""
    header = request.headers.get("If-Match")
    if header is None or header.strip() == "*":
        return None
    tag = header.strip()
    if tag.startswith("W/"):
        tag = tag[2:]
    tag = tag.strip('"')
    if not (tag.isascii() and tag.isdigit()) or len(tag) > 10:
        raise DomainError(
            _("Send the ETag of the sheet as it was read, or no If-Match."),
            field="If-Match",
        )
    return int(tag)
