"""The delegates' pages: their entries, writing one, its evidence, submitting it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from common.errors import DomainError
from common.views import ContestFormMixin, ServicePostView, object_or_404
from contest.enums import StageKind
from contest.mixins import ContestPermissionMixin
from submissions import selectors, services
from submissions.evidence_forms import EvidenceEditForm
from submissions.forms import (
    EvidenceLinkForm,
    EvidenceUploadForm,
    SubmissionForm,
    WithdrawForm,
)
from submissions.receipts import may_read_receipt, submission_receipt
from submissions.rules import allows, open_for_changes
from submissions.views.answers import AnswerFieldsMixin, entry_answers
from submissions.views.mixins import EntryMixin, InvalidFormMixin


def entry_url(name: str, submission) -> str:
    return reverse(
        f"submissions:{name}",
        kwargs={"slug": submission.contest.slug, "pk": submission.pk},
    )


class MyEntriesView(LoginRequiredMixin, ListView):
    """The entries of the user's regions, across contests, with their state."""

    template_name = "submissions/submission/my_entries.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        return selectors.entries_of_delegate(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["roles"] = list(selectors.delegate_roles(self.request.user))
        return context


class SubmissionCreateView(
    LoginRequiredMixin,
    ContestPermissionMixin,
    ContestFormMixin,
    AnswerFieldsMixin,
    InvalidFormMixin,
    FormView,
):
    permission_required = "submissions.add_submission"
    form_class = SubmissionForm
    template_name = "submissions/submission/form.html"

    def has_permission(self):
        return allows(self.request.user, self.permission_required, self.contest)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["window_open"] = self.contest.submission_window_open()
        return context

    def form_valid(self, form):
        submission = self.save_with_answers(
            form,
            lambda data: services.create_submission(
                contest=self.contest, by=self.request.user, **data
            ),
        )
        if submission is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("The draft was saved. Attach its evidence next.")
        )
        return redirect(entry_url("evidence", submission))


class SubmissionDetailView(EntryMixin, TemplateView):
    template_name = "submissions/submission/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["evidence_list"] = self.submission.evidence.all()
        context["answers"] = entry_answers(self.submission)
        context["open_for_changes"] = open_for_changes(self.submission)
        context["can_follow"] = may_read_receipt(self.request.user, self.submission)
        context["indicator_stages"] = list(
            self.contest.stages.filter(kind=StageKind.INDICATOR).order_by("order")
        )
        if context["open_for_changes"]:
            context["checklist"] = selectors.submission_checklist(self.submission)
        return context


class SubmissionEditView(
    EntryMixin, ContestFormMixin, AnswerFieldsMixin, InvalidFormMixin, FormView
):
    """Edit the entry's text; whatever was written before is kept on every error."""

    permission_required = "submissions.write_submission"
    form_class = SubmissionForm
    template_name = "submissions/submission/form.html"

    def get(self, request, *args, **kwargs):
        try:
            services.check_open_for_changes(self.submission)
        except DomainError as exc:
            messages.warning(request, str(exc.message))
            return redirect(entry_url("detail", self.submission))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.submission
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("window_open", True)
        answers = kwargs.setdefault("answers", entry_answers(self.submission))
        kwargs.setdefault(
            "answer_files", [a for a in answers if a["question"].kind == "file"]
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        saved = self.save_with_answers(
            form,
            lambda data: services.update_submission(
                submission=self.submission, by=self.request.user, data=data
            ),
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The entry was saved."))
        return redirect(entry_url("detail", saved))


class EvidenceView(EntryMixin, InvalidFormMixin, TemplateView):
    """The entry's evidence: upload several files at once, add a link, remove one."""

    permission_required = "submissions.write_submission"
    template_name = "submissions/evidence/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        kwargs_form = {"contest": self.contest}
        context.setdefault("upload_form", EvidenceUploadForm(**kwargs_form))
        context.setdefault("link_form", EvidenceLinkForm(**kwargs_form))
        context["evidence_list"] = self.submission.evidence.all()
        context["max_file_size"] = settings.EVIDENCE_MAX_FILE_SIZE
        context["open_for_changes"] = open_for_changes(self.submission)
        if not context["open_for_changes"]:
            try:
                services.check_open_for_changes(self.submission)
            except DomainError as exc:
                context["closed_reason"] = str(exc.message)
        return context

    def evidence_data(self, form) -> dict:
        """What every piece of evidence is given, file or link."""
        return {
            "submission": self.submission,
            "title": form.cleaned_data["title"],
            "criterion": form.cleaned_data["criterion"],
            "by": self.request.user,
        }

    def add_evidence(self, form, form_name: str, add, message):
        """Attach what the form gives by calling `add`; the page again with the
        form's errors (as `form_name`) when the form or the service refuses."""
        if form.is_valid():
            added = self.run_service(form, add)
            if added is not None:
                messages.success(self.request, message(added))
                return redirect(entry_url("evidence", self.submission))
        return self.render_to_response(
            self.get_context_data(**{form_name: form}), status=self.error_status
        )

    def post(self, request, *args, **kwargs):
        form = EvidenceUploadForm(request.POST, request.FILES, contest=self.contest)
        return self.add_evidence(
            form,
            "upload_form",
            lambda: services.add_evidence_files(
                uploads=form.cleaned_data["files"], **self.evidence_data(form)
            ),
            lambda created: (
                _("%(count)d file(s) attached: %(names)s.")
                % {
                    "count": len(created),
                    "names": ", ".join(e.original_name for e in created),
                }
            ),
        )


class EvidenceLinkView(EvidenceView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = EvidenceLinkForm(request.POST, contest=self.contest)
        return self.add_evidence(
            form,
            "link_form",
            lambda: services.add_evidence_link(
                url=form.cleaned_data["url"], **self.evidence_data(form)
            ),
            lambda evidence: (
                _("The link “%(title)s” was added.") % {"title": evidence.title}
            ),
        )


class EvidenceEditView(EntryMixin, InvalidFormMixin, FormView):
    """Change a piece of evidence's title or criterion, on the rules of an upload."""

    permission_required = "submissions.write_submission"
    form_class = EvidenceEditForm
    template_name = "submissions/evidence/edit.html"

    def get_evidence(self):
        if not hasattr(self, "_evidence"):
            self._evidence = object_or_404(
                self.submission.evidence.select_related("criterion"),
                pk=self.kwargs["evidence_pk"],
            )
        return self._evidence

    def get(self, request, *args, **kwargs):
        self.get_evidence()
        try:
            services.check_open_for_changes(self.submission)
        except DomainError as exc:
            messages.warning(request, str(exc.message))
            return redirect(entry_url("evidence", self.submission))
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["contest"] = self.contest
        evidence = self.get_evidence()
        kwargs["initial"] = {"title": evidence.title, "criterion": evidence.criterion}
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("item", self.get_evidence())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        saved = self.run_service(
            form,
            lambda: services.edit_evidence(
                evidence=self.get_evidence(),
                title=form.cleaned_data["title"],
                criterion=form.cleaned_data["criterion"],
                by=self.request.user,
            ),
        )
        if saved is None:
            return self.form_invalid(form)
        messages.success(
            self.request, _("“%(title)s” was saved.") % {"title": saved.title}
        )
        return redirect(entry_url("evidence", self.submission))


class EvidenceRemoveView(EntryMixin, ServicePostView):
    permission_required = "submissions.write_submission"

    def post(self, request, *args, **kwargs):
        evidence = object_or_404(
            self.submission.evidence.all(), pk=kwargs["evidence_pk"]
        )
        self.run(
            lambda: services.remove_evidence(evidence=evidence, by=request.user),
            lambda _result: _("“%(title)s” was removed.") % {"title": evidence.title},
        )
        return redirect(entry_url("evidence", self.submission))


class SubmitView(EntryMixin, TemplateView):
    """What is still missing, then the final POST that submits."""

    permission_required = "submissions.write_submission"
    template_name = "submissions/submission/submit.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        checklist = selectors.submission_checklist(self.submission)
        context["checklist"] = checklist
        context["missing_labels"] = [
            self.submission._meta.get_field(name).verbose_name
            for name in checklist.missing_fields
        ]
        context["open_for_changes"] = open_for_changes(self.submission)
        if not context["open_for_changes"]:
            try:
                services.check_open_for_changes(self.submission)
            except DomainError as exc:
                context["closed_reason"] = str(exc.message)
        context["evidence_list"] = self.submission.evidence.all()
        return context

    def post(self, request, *args, **kwargs):
        try:
            services.submit_submission(submission=self.submission, by=request.user)
        except DomainError as exc:
            context = self.get_context_data(error=str(exc.message))
            return self.render_to_response(context, status=exc.status)
        messages.success(request, _("The entry was submitted."))
        return redirect(entry_url("detail", self.submission))


class ReceiptView(EntryMixin, TemplateView):
    """The printable receipt of the entry's last submission: its number, when, what
    was submitted and what happens next. The region's delegates and the organizers
    read it; before the entry is submitted the page sends back to the entry."""

    permission_required = "submissions.view_submission"
    template_name = "submissions/submission/receipt.html"

    def get(self, request, *args, **kwargs):
        if not may_read_receipt(request.user, self.submission):
            raise PermissionDenied
        if self.submission.submitted_at is None:
            messages.info(request, _("This entry has not been submitted yet."))
            return redirect(entry_url("detail", self.submission))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["receipt"] = submission_receipt(self.submission)
        return context


class WithdrawView(EntryMixin, InvalidFormMixin, FormView):
    permission_required = "submissions.write_submission"
    form_class = WithdrawForm
    template_name = "submissions/submission/withdraw.html"

    def form_valid(self, form):
        done = self.run_service(
            form,
            lambda: services.withdraw_submission(
                submission=self.submission,
                by=self.request.user,
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is None:
            return self.form_invalid(form)
        messages.success(self.request, _("The entry was withdrawn."))
        return redirect(entry_url("detail", self.submission))


class DeleteView(EntryMixin, TemplateView):
    permission_required = "submissions.write_submission"
    template_name = "submissions/submission/delete.html"

    def post(self, request, *args, **kwargs):
        title = self.submission.title
        try:
            services.delete_submission(submission=self.submission, by=request.user)
        except DomainError as exc:
            context = self.get_context_data(error=str(exc.message))
            return self.render_to_response(context, status=exc.status)
        messages.success(
            request, _("The draft “%(title)s” was deleted.") % {"title": title}
        )
        return redirect("submissions:my-entries")
