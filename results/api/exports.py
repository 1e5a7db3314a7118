"""GET /contests/{slug}/exports/{kind}/?format=csv|xlsx&stage={id}: the organizers'
working exports (results/exports_tables.py), as the exports page offers them.
`kind` is `entries`, or one of a scoring stage's `sheets`, `assignment`,
`progress` (these need `stage`). The CSV follows the request's language.

`format` names the file's format, not the answer's: content negotiation is not
asked (DRF would answer 404 for a format it has no renderer for, and an error in
the file's Content-Type). A download is the file; every error is JSON, 400
naming `format` for a format that is not csv or xlsx."""

from __future__ import annotations

import json

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.renderers import BaseRenderer, JSONRenderer

from common.errors import DomainError
from contest.api.base import ContestScopedMixin
from contest.enums import StageKind
from results.exports_tables import FORMATS, KINDS
from results.views.exports import export_response


class _TableRenderer(BaseRenderer):
    """Picks the format named by `?format=`; an error answer is still JSON."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


class CSVRenderer(_TableRenderer):
    media_type = "text/csv"
    format = "csv"


class XLSXRenderer(_TableRenderer):
    media_type = FORMATS["xlsx"]
    format = "xlsx"


class JSONErrorsNegotiation(BaseContentNegotiation):
    """Always JSON for what DRF renders (the errors); the file itself is an
    HttpResponse of its own type, which DRF does not render."""

    def select_parser(self, request, parsers):
        return parsers[0] if parsers else None

    def select_renderer(self, request, renderers, format_suffix=None):
        renderer = next(r for r in renderers if isinstance(r, JSONRenderer))
        return renderer, renderer.media_type


class ExportViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    # CSV and XLSX are listed for the schema; the answers are negotiated as above.
    renderer_classes = [JSONRenderer, CSVRenderer, XLSXRenderer]
    content_negotiation_class = JSONErrorsNegotiation
    action_permissions = {"retrieve": "results.manage_results"}
    http_method_names = ["get", "options"]

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=list(FORMATS), default="csv"),
            OpenApiParameter("stage", int, description="a scoring stage's id"),
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.BINARY,
            (200, FORMATS["xlsx"]): OpenApiTypes.BINARY,
        },
    )
    def retrieve(self, request, *args, **kwargs):
        kind = kwargs["kind"]
        if kind not in KINDS:
            raise Http404
        fmt = request.query_params.get("format") or "csv"
        if fmt not in FORMATS:
            raise DomainError(_("Choose csv or xlsx."), field="format")
        stage = None
        if KINDS[kind].per_stage:
            stage = self._stage(request.query_params.get("stage", ""))
        return export_response(kind, fmt, contest=self.contest, stage=stage)

    def _stage(self, value: str):
        if not value.isdigit() or len(value) > 12:
            raise DomainError(_("Give the id of a scoring stage."), field="stage")
        stage = self.contest.stages.filter(kind=StageKind.SCORING, pk=value).first()
        if stage is None:
            raise Http404
        return stage
