"""POST /contests/{slug}/judges/import/: judges from a table (judging/imports.py),
as the page imports them; see contest.api.imports for the request and answer."""

from __future__ import annotations

from contest.api.imports import TableImportViewSet
from judging.imports import import_judges


class JudgeImportViewSet(TableImportViewSet):
    """`email`, `name`, `home_region`, `categories` per row."""

    permission = "judging.manage_judging"

    def run_import(self, table, *, dry_run):
        return import_judges(
            contest=self.contest, table=table, by=self.request.user, dry_run=dry_run
        )
