"""The organizer's import of delegates from a table (contest/imports.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.import_views import TableImportView
from contest.imports import import_delegates
from contest.mixins import ContestPermissionMixin


class DelegateImportView(ContestPermissionMixin, TableImportView):
    permission_required = "contest.manage_contest"
    template_name = "contest/manage/delegates_import.html"
    import_kind = "delegates"
    columns = (
        ("email", _("The delegate's e-mail address.")),
        ("region", _("The region's code (52.72) or its name (Kota Bima).")),
    )

    def run_import(self, table, *, dry_run):
        return import_delegates(
            contest=self.contest, table=table, by=self.request.user, dry_run=dry_run
        )

    def list_url(self) -> str:
        return reverse("contest:delegates", kwargs={"slug": self.contest.slug})
