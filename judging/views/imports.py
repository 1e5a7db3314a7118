"""The organizer's import of judges from a table (judging/imports.py)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from common.import_views import TableImportView
from judging.imports import import_judges
from judging.views.manage import ManageMixin


class JudgeImportView(ManageMixin, TableImportView):
    template_name = "judging/manage/judges_import.html"
    import_kind = "judges"
    tab = "panels"
    columns = (
        ("email", _("The judge's e-mail address (required).")),
        ("name", _("The judge's name as entries and minutes show it.")),
        (
            "home_region",
            _("The judge's home region, by code or name (conflicts follow from it)."),
        ),
        (
            "categories",
            _(
                "The categories of their expertise, by slug or name, separated "
                "by commas."
            ),
        ),
    )

    def run_import(self, table, *, dry_run):
        return import_judges(
            contest=self.contest, table=table, by=self.request.user, dry_run=dry_run
        )

    def list_url(self) -> str:
        return reverse("judging:panels", kwargs={"slug": self.contest.slug})
