"""The organizers' working exports (results/exports_tables.py): a page listing
them, and each download as CSV or XLSX."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views import View
from django.views.generic import TemplateView

from common.views import StageScopedMixin
from contest.enums import StageKind
from judging.selectors import scoring_stages
from results.exports_tables import (
    FORMATS,
    KINDS,
    build_table,
    export_filename,
    render_export,
)
from results.views.manage import ManageMixin


def export_response(kind, fmt, *, contest, stage) -> HttpResponse:
    table = build_table(kind, contest=contest, stage=stage)
    response = HttpResponse(render_export(table, fmt), content_type=FORMATS[fmt])
    name = export_filename(kind, fmt, contest=contest, stage=stage)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class ExportsView(ManageMixin, TemplateView):
    """Every export the organizers may download, per stage where it is one."""

    template_name = "results/manage/exports.html"
    tab = "exports"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contest_kinds"] = [k for k in KINDS.values() if not k.per_stage]
        context["stage_kinds"] = [k for k in KINDS.values() if k.per_stage]
        context["stages"] = list(scoring_stages(self.contest))
        context["formats"] = list(FORMATS)
        return context


class ContestExportView(ManageMixin, View):
    def get(self, request, *args, **kwargs):
        kind, fmt = kwargs["kind"], kwargs["fmt"]
        if kind not in KINDS or KINDS[kind].per_stage or fmt not in FORMATS:
            raise Http404
        return export_response(kind, fmt, contest=self.contest, stage=None)


class StageExportView(StageScopedMixin, ManageMixin, View):
    stage_kind = StageKind.SCORING

    def get(self, request, *args, **kwargs):
        kind, fmt = kwargs["kind"], kwargs["fmt"]
        if kind not in KINDS or not KINDS[kind].per_stage or fmt not in FORMATS:
            raise Http404
        return export_response(kind, fmt, contest=self.contest, stage=self.stage)
