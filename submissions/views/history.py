"""The organizers' check, on the screening page, of the earlier entry an entry's
delegates named (submissions/services/history.py)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.translation import gettext as _

from common.views import ServicePostView
from submissions.services.history import confirm_previous_entry
from submissions.views.mixins import EntryMixin


class PreviousEntryCheckView(EntryMixin, ServicePostView):
    permission_required = "submissions.manage_submission"

    def post(self, request, *args, **kwargs):
        confirmed = request.POST.get("confirmed") == "1"
        self.run(
            lambda: confirm_previous_entry(
                submission=self.submission,
                confirmed=confirmed,
                note=request.POST.get("note", "")[:4000],
                by=request.user,
            ),
            lambda _result: (
                _("The earlier entry is confirmed as the same innovation.")
                if confirmed
                else _("The earlier entry link is rejected; it no longer counts.")
            ),
        )
        return redirect(
            "submissions:screening-detail",
            slug=self.contest.slug,
            pk=self.submission.pk,
        )
