"""An indicator stage's live ranking: the organizers' page (with the progress of
the validation) and, once the organizer opens it, the public one (regions and
figures only: no validator, no note)."""

from __future__ import annotations

from functools import cached_property

from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.views import StageScopedMixin, object_or_404
from contest.enums import StageKind
from contest.mixins import ContestMixin
from results import selectors
from results.views.manage import AdvanceView, ManageMixin


class IndexRankingView(StageScopedMixin, ManageMixin, TemplateView):
    """The organizers' live ranking of an indicator stage: each region's index
    and rank in its cluster (or region type), each entry's score, band and the
    indicators still to validate."""

    template_name = "results/index/manage.html"
    tab = "index"
    stage_kind = StageKind.INDICATOR

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        index = selectors.stage_index(self.stage)
        context["index"] = index
        context["categories"] = _by_category(index)
        return context


class IndexAdvanceView(AdvanceView):
    """Who advances from an indicator stage: its entries ranked by their index
    scores (the scoring stage's page, cut, ties and quotas)."""

    stage_kind = StageKind.INDICATOR
    tab = "index"
    ranking_url = "results:index"

    def advanced_message(self) -> str:
        return _("The entries of %(stage)s advanced.") % {"stage": self.stage.name}


class PublicIndexRankingView(ContestMixin, TemplateView):
    """The live ranking as the public reads it, while the stage's
    `ranking_public` is on (404 otherwise, for everyone)."""

    template_name = "results/index/public.html"

    @cached_property
    def stage(self):
        stages = self.contest.stages.filter(kind=StageKind.INDICATOR)
        stage = object_or_404(stages, pk=self.kwargs["stage_pk"])
        if not stage.ranking_public:
            raise Http404
        return stage

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stage"] = self.stage
        context["index"] = selectors.stage_index(self.stage)
        return context


def _by_category(index: selectors.StageIndex) -> list[tuple[str, list]]:
    """The entries by category (in the stage's order: category, title), each
    category's best first."""
    groups: dict[int, tuple[str, list]] = {}
    for entry in index.entries:
        category = entry.submission.category
        groups.setdefault(category.pk, (category.name, []))[1].append(entry)
    for _name, rows in groups.values():
        rows.sort(key=lambda e: (e.rank is None, e.rank or 0, e.submission.pk))
    return list(groups.values())
