"""The organizers' page of the official documents: how the minutes and the
certificates are numbered, placed and signed."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.errors import DomainError
from results import services
from results.documents import document_settings
from results.forms import DocumentsForm, SignatoryFormSet
from results.models import ResultsDocuments
from results.views.manage import ManageMixin


class DocumentsView(ManageMixin, TemplateView):
    """How the minutes and the certificates are numbered, placed and signed: the
    place, the numbering patterns, the panel signing the minutes (names and
    NIP), the certificates' signatory and an optional scanned signature."""

    template_name = "results/manage/documents.html"
    tab = "documents"

    @cached_property
    def saved(self) -> ResultsDocuments | None:
        return ResultsDocuments.objects.filter(contest=self.contest).first()

    def documents_form(self, data=None, files=None) -> DocumentsForm:
        saved = self.saved
        initial = {}
        if saved is not None:
            initial = {
                "place": saved.place,
                "minutes_number_pattern": saved.minutes_number_pattern,
                "certificate_number_pattern": saved.certificate_number_pattern,
                "certificate_signatory_name": saved.certificate_signatory_name,
                "certificate_signatory_position": saved.certificate_signatory_position,
                "certificate_signatory_nip": saved.certificate_signatory_nip,
            }
        return DocumentsForm(data, files, initial=initial, prefix="documents")

    def signatories_formset(self, data=None) -> SignatoryFormSet:
        initial = list(self.saved.minutes_signatories) if self.saved else []
        return SignatoryFormSet(data, initial=initial, prefix="signatories")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", self.documents_form())
        context.setdefault("signatories", self.signatories_formset())
        context["settings_now"] = document_settings(self.contest)
        context["has_signature"] = bool(self.saved and self.saved.certificate_signature)
        context["published"] = self.contest.is_frozen
        return context

    def post(self, request, *args, **kwargs):
        """Save, or show the form again with its errors: 400 for bad input, the
        service's status for a refusal (409 once the contest is frozen)."""
        form = self.documents_form(request.POST, request.FILES)
        signatories = self.signatories_formset(request.POST)
        status = 400
        if form.is_valid() and signatories.is_valid():
            data = form.cleaned_data
            try:
                services.set_results_documents(
                    contest=self.contest,
                    by=request.user,
                    place=data["place"],
                    minutes_number_pattern=data["minutes_number_pattern"],
                    certificate_number_pattern=data["certificate_number_pattern"],
                    minutes_signatories=signatories.signatories(),
                    certificate_signatory={
                        "name": data["certificate_signatory_name"],
                        "position": data["certificate_signatory_position"],
                        "nip": data["certificate_signatory_nip"],
                    },
                    signature=data.get("certificate_signature") or None,
                    remove_signature=data["remove_signature"],
                )
            except DomainError as exc:
                status = exc.status
                field = _form_field(exc.field)
                form.add_error(field if field in form.fields else None, exc.message)
            else:
                messages.success(request, _("The document settings are saved."))
                return redirect("results:documents", slug=self.contest.slug)
        context = self.get_context_data(form=form, signatories=signatories)
        return self.render_to_response(context, status=status)


def _form_field(field: str | None) -> str | None:
    """The page's field for a service's field: the certificate signatory's parts
    (`certificate_signatory.nip`) are fields of their own on the page; an error
    about the minutes' signatories is the form's."""
    if not field or field.startswith("minutes_signatories"):
        return None
    return field.replace(".", "_")
