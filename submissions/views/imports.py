"""The organizer's import of entries collected offline (submissions/imports.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.import_views import TableImportView
from contest.mixins import ContestPermissionMixin
from submissions.imports import import_entries


class EntryImportView(ContestPermissionMixin, TableImportView):
    permission_required = "submissions.screen_submissions"
    template_name = "submissions/screening/entries_import.html"
    import_kind = "entries"
    columns = (
        ("region", _("The region, by code or name; its first delegate enters it.")),
        ("delegate", _("Or the e-mail address of the delegate who enters it.")),
        ("category", _("The category, by slug or name (required).")),
        ("title", _("The entry's title (required).")),
        ("summary, problem, solution, impact", _("The entry's texts.")),
        ("started_on", _("When the innovation started (2023-05-31 or 31/05/2023).")),
        ("agency", _("The responsible agency (OPD).")),
        ("links", _("Links, separated by spaces.")),
    )

    def run_import(self, table, *, dry_run):
        return import_entries(
            contest=self.contest, table=table, by=self.request.user, dry_run=dry_run
        )

    def list_url(self) -> str:
        return reverse("submissions:screening", kwargs={"slug": self.contest.slug})
