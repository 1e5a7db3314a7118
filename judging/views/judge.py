"""The judges' pages: their assignments, the scoring page, declaring a conflict."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView

from common.errors import DomainError
from common.views import ContestZoneMixin, ServiceFormMixin, object_or_404
from judging import selectors, services
from judging.forms import DeclareConflictForm, SheetForm
from judging.rules import can_score, can_write_sheet, sheet_of
from submissions.services.answers_required import answer_rows


class MyAssignmentsView(LoginRequiredMixin, ListView):
    """The user's assignments across contests, with their state and due date."""

    template_name = "judging/assignment/my_assignments.html"
    context_object_name = "assignments"
    paginate_by = 50

    def get_queryset(self):
        return selectors.assignments_for_judge(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("now", timezone.now())
        return super().get_context_data(**kwargs)


class AssignmentMixin(LoginRequiredMixin, ContestZoneMixin):
    """Loads `self.assignment` from the URL: the user's own (404 when conflicted) or,
    for an organizer, any of their contests; shows times in the contest's zone."""

    permission_required = "judging.view_assignment"

    def get_assignment_queryset(self):
        return selectors.assignments_visible_to(self.request.user)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.assignment = object_or_404(self.get_assignment_queryset(), pk=kwargs["pk"])
        if not request.user.has_perm(self.permission_required, self.assignment):
            raise PermissionDenied
        self.contest = self.assignment.stage.contest
        return super().dispatch(request, *args, **kwargs)


class SheetView(AssignmentMixin, View):
    """The scoring page: the rubric on one side, the entry and its evidence on the
    other. Saves a draft (htmx autosave, or the "Save draft" button without
    JavaScript) or submits; read-only once submitted, and for organizers."""

    template_name = "judging/sheet/score.html"
    status_template_name = "judging/sheet/_status.html"

    def setup_sheet(self):
        self.sheet = sheet_of(self.assignment)
        self.criteria = list(selectors.criteria_of(self.assignment.stage))
        self.scores = selectors.scores_by_criterion(self.sheet)
        # The predicates themselves: has_perm would let a superuser act as the judge.
        user = self.request.user
        self.can_score = can_score.test(user, self.assignment)

    def make_form(self, data=None):
        return SheetForm(
            data,
            criteria=self.criteria,
            sheet=self.sheet,
            scores=self.scores,
            read_only=not self.can_score,
        )

    def get(self, request, *args, **kwargs):
        self.setup_sheet()
        return self.render_page(self.make_form())

    def context(self, form, error=None):
        assignment = self.assignment
        user = self.request.user
        evidence = list(selectors.evidence_of(assignment.submission))
        peers = []
        if user.has_perm("judging.see_peers_assignment", assignment):
            peers = selectors.peer_sheets(assignment, self.criteria)
        return {
            "contest": self.contest,
            "assignment": assignment,
            "stage": assignment.stage,
            "entry": assignment.submission,
            "answers": answer_rows(
                assignment.submission, language=(get_language() or "id")[:2]
            ),
            "sheet": self.sheet,
            "form": form,
            "error": error,
            "can_score": self.can_score,
            "can_reopen": user.has_perm("judging.reopen_scoresheet", self.sheet)
            if self.sheet
            else False,
            "is_own": assignment.judge.user_id == user.pk,
            "neighbours": selectors.judge_neighbours(assignment),
            "can_request_pdf": user.has_perm(
                "judging.request_entry_pdf", assignment.submission
            ),
            "upcoming": timezone.now() < assignment.stage.opens,
            "score": selectors.sheet_score_of(self.sheet, self.criteria),
            "missing": self.missing_names(self.scores) if self.can_score else [],
            "peers": peers,
            "pdfs": [e for e in evidence if e.is_file and e.is_pdf and e.is_ready],
            "images": [e for e in evidence if e.is_image and e.is_ready],
            "links": [e for e in evidence if not e.is_file],
            "files": [
                e for e in evidence if e.is_file and not e.is_pdf and not e.is_image
            ],
            "pending": [e for e in evidence if e.is_file and not e.is_ready],
        }

    def render_page(self, form, error=None, status=200):
        return render(
            self.request, self.template_name, self.context(form, error), status=status
        )

    def missing_names(self, scores) -> list[str]:
        return [c.name for c in selectors.unscored_criteria(self.criteria, scores)]

    def render_status(self, *, saved=None, error=None, form=None, status=200):
        """The autosave's answer: the status area (what was saved, or why not, with
        the HTTP status of the failure), the new version after a save, and the error
        slot of every score field (out of band), so each refused value is named at
        its field and the others are cleared."""
        scores = selectors.scores_by_criterion(saved) if saved else self.scores
        errors = form.errors if form is not None else {}
        slots = [
            {
                "id": f"id_score_{criterion.pk}_autosave_error",
                "input_id": f"id_score_{criterion.pk}",
                "errors": errors.get(f"score_{criterion.pk}", []),
            }
            for criterion in self.criteria
        ]
        return render(
            self.request,
            self.status_template_name,
            {
                "sheet": saved or self.sheet,
                "saved": saved,
                "error": error,
                "missing": self.missing_names(scores),
                "autosave": True,
                "slots": slots,
            },
            status=status,
        )

    def post(self, request, *args, **kwargs):
        if not can_write_sheet.test(request.user, self.assignment):
            raise PermissionDenied
        self.setup_sheet()
        form = self.make_form(request.POST)
        submit = request.POST.get("action") == "submit" and not request.htmx
        if not form.is_valid():
            if request.htmx:
                return self.render_status(
                    error=_("Not saved: %(errors)s") % {"errors": form.error_summary()},
                    form=form,
                    status=400,
                )
            return self.render_page(form, status=400)
        try:
            sheet = self.save(form, submit=submit)
        except DomainError as exc:
            if request.htmx:
                return self.render_status(
                    error=_("Not saved: %(reason)s") % {"reason": exc.message},
                    form=form,
                    status=exc.status,
                )
            return self.render_page(form, error=str(exc.message), status=exc.status)
        if request.htmx:
            return self.render_status(saved=sheet, form=form)
        if submit:
            messages.success(request, _("Your score sheet was submitted. Thank you."))
            return redirect("judging:my-assignments")
        messages.success(request, _("Your draft was saved."))
        return redirect(reverse("judging:sheet", kwargs={"pk": self.assignment.pk}))

    def save(self, form, *, submit: bool):
        """One service call; the page sends the version its form was made from (a
        save that raced the page's own autosave is settled by the service)."""
        with transaction.atomic():
            sheet = services.ensure_sheet(assignment=self.assignment)
            return services.record_sheet(
                sheet=sheet,
                scores=form.score_items(),
                comment=form.cleaned_data.get("comment", ""),
                submit=submit,
                version=form.cleaned_data["version"],
                by=self.request.user,
            )


class DeclareConflictView(AssignmentMixin, ServiceFormMixin, FormView):
    """A judge declares a conflict of interest with an assigned entry."""

    permission_required = "judging.declare_conflict_assignment"
    form_class = DeclareConflictForm
    template_name = "judging/assignment/declare_conflict.html"

    def get_assignment_queryset(self):
        return selectors.assignments_for_judge(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("assignment", self.assignment)
        kwargs.setdefault("contest", self.contest)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        result = self.run_service(
            form,
            lambda: services.declare_conflict(
                judge=self.assignment.judge,
                submission=self.assignment.submission,
                reason=form.cleaned_data["reason"],
                by=self.request.user,
            ),
        )
        if result is None:
            return self.form_invalid(form)
        if result.kept:
            messages.warning(
                self.request,
                _(
                    "Your conflict of interest was recorded. The sheet you already "
                    "submitted for this entry is kept but no longer counts in the "
                    "results."
                ),
            )
        else:
            messages.success(
                self.request,
                _(
                    "Your conflict of interest was recorded and the entry was taken "
                    "off your list."
                ),
            )
        return redirect("judging:my-assignments")
