"""POST /contests/{slug}/submissions/import/: entries collected offline, from a
table (submissions/imports.py), as the page imports them; see
contest.api.imports for the request and answer."""

from __future__ import annotations

from contest.api.imports import TableImportViewSet
from submissions.imports import import_entries


class EntryImportViewSet(TableImportViewSet):
    """`region` or `delegate`, `category`, `title` and the entry's texts per row."""

    permission = "submissions.screen_submissions"

    def run_import(self, table, *, dry_run):
        return import_entries(
            contest=self.contest, table=table, by=self.request.user, dry_run=dry_run
        )
