"""A scoring stage's minutes (berita acara) for integrators: the PDFs written so
far, writing them again, and each one's file, as the stage's results page offers
them (results.views.manage.MinutesView, through request_minutes)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from contest.api.base import StageScopedMixin
from results import services
from results.models import StageMinutes
from submissions.api.views import FileRenderer

MANAGE = "results.manage_results"


class StageMinutesSerializer(serializers.ModelSerializer):
    requested_by = serializers.EmailField(
        source="requested_by.email",
        read_only=True,
        default=None,
        allow_null=True,
        help_text="Null for the minutes an advancement wrote by itself.",
    )
    download_url = serializers.SerializerMethodField()
    number = serializers.CharField(
        read_only=True,
        help_text="The document number, by the contest's pattern when written.",
    )
    sha256 = serializers.CharField(
        read_only=True, help_text="The SHA-256 of the PDF, as the ledger records it."
    )
    ledger_head_hash = serializers.CharField(
        read_only=True, help_text="The audit ledger's head hash when it was written."
    )

    class Meta:
        model = StageMinutes
        fields = [
            "id",
            "number",
            "generated_at",
            "requested_by",
            "sha256",
            "ledger_head_hash",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, minutes: StageMinutes) -> str:
        """The PDF, for the same token or session as the rest of the API."""
        return reverse(
            "stage-minutes-file",
            kwargs={
                "contest_slug": self.context["contest"].slug,
                "stage_pk": minutes.stage_id,
                "pk": minutes.pk,
            },
        )


class MinutesRequestedSerializer(serializers.Serializer):
    detail = serializers.CharField()


MINUTES_FILE_RESPONSES = {
    (200, "application/pdf"): OpenApiTypes.BINARY,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
}


class StageMinutesViewSet(
    StageScopedMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """A scoring stage's minutes, the newest first; POST has them written again
    now (a task: they are listed once written, 202 meanwhile); `{id}/file/` is
    the PDF. Still allowed once the results are published: the minutes are a
    record of the frozen figures (results.services.minutes)."""

    serializer_class = StageMinutesSerializer
    queryset = StageMinutes.objects.none()
    action_permissions = {"list": MANAGE, "create": MANAGE, "file": MANAGE}

    def get_queryset(self):
        return self.stage.minutes.select_related("requested_by").order_by(
            "-generated_at", "-pk"
        )

    @extend_schema(request=None, responses={202: MinutesRequestedSerializer})
    def create(self, request, *args, **kwargs):
        services.request_minutes(stage=self.stage, by=request.user)
        body = {
            "detail": _("The minutes are being written; download them in a moment.")
        }
        return Response(body, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=MINUTES_FILE_RESPONSES)
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, FileRenderer])
    def file(self, request, *args, **kwargs):
        minutes = self.get_object()
        try:
            with minutes.file.open("rb") as handle:
                content = handle.read()
        except FileNotFoundError:
            raise Http404 from None
        response = HttpResponse(content, content_type="application/pdf")
        filename = f"berita-acara-{self.contest.slug}-{self.stage.order}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
