"""The delegates' dashboard of one entry: from the draft to the award."""

from __future__ import annotations

import rules
from django.views.generic import TemplateView

from results.selectors.dashboard import entry_dashboard
from submissions.views.mixins import EntryMixin


class EntryDashboardView(EntryMixin, TemplateView):
    """Everything a delegate follows about one entry on one page; an organizer
    reads it as the region's delegates do (results.rules.can_view_entry_dashboard).
    Dates are in the contest's zone."""

    permission_required = "results.view_entry_dashboard"
    template_name = "results/delegate/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        board = entry_dashboard(self.request.user, self.submission)
        context["board"] = board
        context["may_object"] = board.objections_open and rules.has_perm(
            "results.file_objection", self.request.user, self.contest
        )
        return context
