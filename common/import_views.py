"""The two-step import page every app's import shares: upload a table, read the
preview of every row (nothing is written), then confirm to apply it.

The parsed rows wait in the user's session (stored server-side, in the database)
between the steps, keyed by the page and the contest, so the file is not sent
twice and a refused confirmation loses nothing; beside them waits the preview
computed at the upload, which the page shows without running the rows again (they
run again, for good, only when confirmed). Both are bounded (common.tabular's
limits on rows and characters). A refusal of the whole import (not an organizer,
a frozen contest, a closed window) is a form error with its status (403, 409).
A subclass (bound to its contest mixin and permission) says how to run its rows
(`run_import`) and where its list is (`list_url`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import FormView

from common.errors import DomainError
from common.imports import Report, report_from_data, table_from_data, table_to_data
from common.tabular import MAX_BYTES, MAX_ROWS, Table, TableError, read_table


class TableUploadForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Table (CSV or XLSX)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,text/csv,application/vnd.ms-excel"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "The first line names the columns. At most %(rows)d rows and %(size)d KB."
        ) % {"rows": MAX_ROWS, "size": MAX_BYTES // 1024}


class TableImportView(FormView):
    form_class = TableUploadForm
    import_kind = ""
    # The columns the file may have, shown on the page: (name, what it holds).
    columns: tuple[tuple[str, Any], ...] = ()

    def run_import(self, table: Table, *, dry_run: bool) -> Report:
        raise NotImplementedError

    def list_url(self) -> str:
        raise NotImplementedError

    @property
    def session_key(self) -> str:
        return f"table-import:{self.import_kind}:{self.contest.pk}"

    def pending(self) -> Table | None:
        found = self._stored()
        return found[0] if found else None

    def _stored(self) -> tuple[Table, Report] | None:
        data = self.request.session.get(self.session_key)
        if not data:
            return None
        try:
            return table_from_data(data["table"]), report_from_data(data["report"])
        except (KeyError, TypeError, ValueError, AttributeError):
            self.forget()
            return None

    def keep(self, table: Table, preview: Report) -> None:
        self.request.session[self.session_key] = {
            "table": table_to_data(table),
            "report": preview.as_dict(),
        }

    def forget(self) -> None:
        self.request.session.pop(self.session_key, None)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = self.columns
        context["list_url"] = self.list_url()
        stored = self._stored()
        if stored is not None and "report" not in context:
            context["preview"] = stored[1]
        return context

    def refused(self, form, exc: DomainError):
        """The page again, the whole import's refusal as the form's error."""
        if not form.is_bound:  # the confirmation sends no file
            form.cleaned_data = {}
        form.add_error("file" if exc.field == "file" else None, str(exc.message))
        response = self.form_invalid(form)
        response.status_code = exc.status
        return response

    def post(self, request, *args, **kwargs):
        if "discard" in request.POST:
            self.forget()
            messages.info(request, _("The uploaded table was discarded."))
            return redirect(request.path)
        if "confirm" in request.POST:
            return self.confirm()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, filename=upload.name)
        except TableError as exc:
            form.add_error("file", str(exc.message))
            return self.form_invalid(form)
        try:
            preview = self.run_import(table, dry_run=True)
        except DomainError as exc:
            return self.refused(form, exc)
        self.keep(table, preview)
        return redirect(self.request.path)

    def confirm(self):
        table = self.pending()
        if table is None:
            messages.error(self.request, _("Upload the table again: none is waiting."))
            return redirect(self.request.path)
        try:
            report = self.run_import(table, dry_run=False)
        except DomainError as exc:
            return self.refused(self.get_form_class()(), exc)
        self.forget()
        messages.success(
            self.request,
            _("%(created)d created, %(existing)d already there, %(errors)d refused.")
            % {
                "created": report.created,
                "existing": report.existing,
                "errors": report.errors,
            },
        )
        return self.render_to_response(self.get_context_data(report=report))
