"""Files prepared for offline judging, for integrators: ask for an entry's PDF or
a stage's ZIP for one category, read its state and progress, download it; the
same rules and services as the pages (judging.views.packs)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from common.errors import DomainError
from contest.models import Category, Stage
from judging import packs as services
from judging.enums import PackKind, PackState
from judging.models import Pack
from judging.selectors.packs import packs_visible_to
from judging.views.packs import (
    PackFileGone,
    pack_file_response,
    pack_for,
    stage_zip_scope,
)
from submissions.models import Submission

MAX_INT = 2**31 - 1


KINDS_HELP = f"One of: {PackKind.ENTRY_PDF}, {PackKind.STAGE_ZIP}."
STATES_HELP = "One of: " + ", ".join(PackState.values) + "."


class PackSerializer(serializers.ModelSerializer):
    # Text, not choices: "kind" and "state" name other enums of the schema too.
    kind = serializers.CharField(read_only=True, help_text=KINDS_HELP)
    state = serializers.CharField(read_only=True, help_text=STATES_HELP)
    contest = serializers.CharField(source="contest.slug", read_only=True)
    percent = serializers.IntegerField(read_only=True)
    file = serializers.SerializerMethodField(
        help_text="Where to download the file once `state` is done; null before."
    )
    error = serializers.SerializerMethodField(
        help_text="Why the file could not be prepared, in words; empty otherwise."
    )

    class Meta:
        model = Pack
        fields = [
            "id",
            "kind",
            "contest",
            "stage",
            "category",
            "submission",
            "state",
            "done",
            "total",
            "percent",
            "error",
            "created_at",
            "finished_at",
            "file",
        ]
        read_only_fields = fields

    def get_error(self, obj) -> str:
        # Stored in English (judging.packs), read in the caller's language.
        return _(obj.error) if obj.error else ""

    def get_file(self, obj) -> str | None:
        if obj.state != PackState.DONE:
            return None
        request = self.context.get("request")
        path = f"/api/v1/packs/{obj.pk}/file/"
        return request.build_absolute_uri(path) if request else path


class PackInputSerializer(serializers.Serializer):
    kind = serializers.CharField(max_length=20, help_text=KINDS_HELP)
    submission = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, required=False, help_text="For entry_pdf."
    )
    stage = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, required=False, help_text="For stage_zip."
    )
    category = serializers.IntegerField(
        min_value=1, max_value=MAX_INT, required=False, help_text="For stage_zip."
    )

    def validate_kind(self, value: str) -> str:
        if value not in PackKind.values:
            raise serializers.ValidationError(KINDS_HELP)
        return value

    def validate(self, attrs):
        needed = ["submission"] if attrs["kind"] == PackKind.ENTRY_PDF else []
        if attrs["kind"] == PackKind.STAGE_ZIP:
            needed = ["stage", "category"]
        missing = {name: [_("This field is required.")] for name in needed}
        for name in needed:
            if attrs.get(name) is not None:
                missing.pop(name)
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class PackViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The caller's prepared files (organizers also read their contests' ones);
    POST asks for one (202, built by a task: poll the pack for its progress)."""

    serializer_class = PackSerializer
    queryset = Pack.objects.none()
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = packs_visible_to(self.request.user)
        if self.action == "list":
            return qs.filter(requested_by_id=self.request.user.pk)
        return qs

    def get_object(self):
        return pack_for(self.request.user, self.kwargs["pk"])

    @extend_schema(
        request=PackInputSerializer,
        responses={
            202: PackSerializer,
            409: OpenApiResponse(
                description="Too many of the caller's files are being prepared."
            ),
        },
    )
    def create(self, request, *args, **kwargs):
        data = PackInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values["kind"] == PackKind.ENTRY_PDF:
            pack = self._entry_pdf(values["submission"])
        else:
            pack = self._stage_zip(values["stage"], values["category"])
        pack.refresh_from_db()
        body = PackSerializer(pack, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)

    def _entry_pdf(self, submission_pk: int) -> Pack:
        user = self.request.user
        entry = Submission.objects.filter(pk=submission_pk).first()
        if entry is None or not user.has_perm("judging.request_entry_pdf", entry):
            raise DomainError(
                _("There is no such entry among those you may read."),
                field="submission",
            )
        return services.request_entry_pdf(submission=entry, by=user)

    def _stage_zip(self, stage_pk: int, category_pk: int) -> Pack:
        user = self.request.user
        stage = Stage.objects.select_related("contest").filter(pk=stage_pk).first()
        if stage is None or not user.has_perm("judging.request_stage_zip", stage):
            raise DomainError(
                _("There is no such stage among those you judge or run."),
                field="stage",
            )
        category = Category.objects.filter(
            pk=category_pk, contest_id=stage.contest_id
        ).first()
        if category is None:
            raise DomainError(
                _("This category is not one of the stage's contest."),
                field="category",
            )
        try:
            judge = stage_zip_scope(user, stage)
        except PermissionDenied:
            raise DomainError(
                _("There is no such stage among those you judge or run."),
                field="stage",
            ) from None
        return services.request_stage_zip(
            stage=stage, category=category, judge=judge, by=user
        )

    @extend_schema(
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description="The PDF or the ZIP."
            ),
            404: OpenApiResponse(description="The file is no longer kept."),
            409: OpenApiResponse(description="Not ready yet (or it failed)."),
        }
    )
    @action(detail=True, methods=["get"])
    def file(self, request, *args, **kwargs):
        pack = self.get_object()
        if pack.state != PackState.DONE:
            raise DomainError(
                _("The file is not ready: %(state)s.")
                % {"state": pack.get_state_display()},
                status=409,
            )
        try:
            return pack_file_response(pack)
        except PackFileGone as exc:
            raise DomainError(str(exc), status=404) from None
