"""The organizers' screening: the queue, one entry, its verdict and evidence reviews."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import ListView, TemplateView

from common.views import object_or_404
from contest.mixins import ContestPermissionMixin
from contest.selectors import categories_of
from submissions import selectors, services
from submissions.enums import SubmissionState
from submissions.filters import filtered_queue, ordered, valid_sort
from submissions.forms import (
    BulkActionForm,
    EvidenceReviewForm,
    ReopenForm,
    RevisionForm,
    SavedFilterForm,
    ScreenForm,
)
from submissions.history import history_check
from submissions.views.answers import entry_answers
from submissions.views.mixins import EntryMixin, InvalidFormMixin

REVIEW_HIDDEN_STATES = {SubmissionState.DRAFT, SubmissionState.WITHDRAWN}


HISTORY_ACTIONS = {
    "submission.created": _lazy("Created"),
    "submission.updated": _lazy("Edited"),
}


def _history_label(item) -> str:
    if item.action == "submission.state_changed":
        labels = dict(SubmissionState.choices)
        return "{} → {}".format(
            labels.get(item.data.get("from"), item.data.get("from")),
            labels.get(item.data.get("to"), item.data.get("to")),
        )
    return str(HISTORY_ACTIONS.get(item.action, item.action))


def queue_query(request) -> str:
    """The queue's filter and sort of this request as a query string ("" for
    none): kept by the entry's page, its "next" and the bulk actions."""
    params = services.filter_params(request.GET)
    return ("?" + urlencode(params)) if params else ""


def queue_url(contest, request) -> str:
    return reverse("submissions:screening", kwargs={"slug": contest.slug}) + (
        queue_query(request)
    )


class ScreeningQueueView(LoginRequiredMixin, ContestPermissionMixin, ListView):
    permission_required = "submissions.screen_submissions"
    template_name = "submissions/screening/queue.html"
    context_object_name = "entries"
    paginate_by = 50

    def get_queryset(self):
        self.filterset = filtered_queue(
            selectors.screening_queue(self.contest),
            self.request.GET,
            contest=self.contest,
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            ignored = ", ".join(
                str(self.filterset.form.fields[name].label)
                for name in self.filterset.errors
            )
            messages.warning(
                self.request,
                _(
                    "These filters had values that do not exist and were ignored: "
                    "%(names)s."
                )
                % {"names": ignored},
            )
        self.sort = valid_sort(self.request.GET.get("sort"))
        return ordered(self.filterset, self.request.GET)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = selectors.queue_counts(self.contest)
        categories = list(categories_of(self.contest))
        states = [s for s in SubmissionState if s != SubmissionState.DRAFT]
        context["filter"] = self.filterset
        context["sort"] = self.sort
        context["count_states"] = [(s, s.label) for s in states]
        context["count_rows"] = [
            (
                category,
                [counts["by_category"].get(category.pk, {}).get(s, 0) for s in states],
                sum(
                    counts["by_category"].get(category.pk, {}).get(s, 0) for s in states
                ),
            )
            for category in categories
        ]
        context["count_totals"] = [counts["by_state"].get(s, 0) for s in states]
        context["count_total"] = sum(context["count_totals"])
        context["draft_count"] = counts["by_state"].get(SubmissionState.DRAFT, 0)
        context["queue_suffix"] = queue_query(self.request)
        context["saved_filters"] = list(
            selectors.saved_filters_of(self.contest, self.request.user)
        )
        for saved in context["saved_filters"]:
            saved.query = urlencode(saved.params)
        context["bulk_form"] = BulkActionForm()
        context["save_filter_form"] = SavedFilterForm()
        context["has_filter"] = bool(services.filter_params(self.request.GET))
        return context


class ScreeningDetailView(EntryMixin, InvalidFormMixin, TemplateView):
    """One entry as the organizers screen it; each action POSTs to its own URL."""

    permission_required = "submissions.manage_submission"
    template_name = "submissions/screening/detail.html"
    action: str | None = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry = self.submission
        evidence = list(entry.evidence.all())
        bound_review = kwargs.get("review_form")
        for item in evidence:
            if bound_review is not None and bound_review.instance.pk == item.pk:
                item.review_form = bound_review
            else:
                item.review_form = EvidenceReviewForm(
                    instance=item, prefix=f"ev{item.pk}"
                )
        context["evidence_list"] = evidence
        context["answers"] = entry_answers(self.submission)
        context.setdefault("screen_form", ScreenForm(prefix="screen"))
        context.setdefault("revision_form", RevisionForm(prefix="revision"))
        context.setdefault("reopen_form", ReopenForm(prefix="reopen"))
        context["history"] = [
            {
                "when": item.created_at,
                "who": item.actor_email,
                "what": _history_label(item),
                "reason": item.data.get("reason", ""),
            }
            for item in selectors.submission_history(entry)
        ]
        context["checklist"] = selectors.submission_checklist(entry)
        context["history_check"] = history_check(entry)
        context["queue_suffix"] = queue_query(self.request)
        context["queue_url"] = queue_url(self.contest, self.request)
        context["next_url"] = self._entry_url(
            selectors.next_in_queue(self._ordered_ids(), entry.pk)
        )
        return context

    def _ordered_ids(self) -> list[int]:
        """The queue's entries in the order of the filter the page came from."""
        filterset = filtered_queue(
            selectors.screening_queue(self.contest),
            self.request.GET,
            contest=self.contest,
        )
        return list(ordered(filterset, self.request.GET).values_list("pk", flat=True))

    def _entry_url(self, pk: int | None) -> str | None:
        if pk is None:
            return None
        return reverse(
            "submissions:screening-detail",
            kwargs={"slug": self.contest.slug, "pk": pk},
        ) + queue_query(self.request)

    def _done_next(self, message: str, ids: list[int]):
        """After a decision: the next entry of the queue in the same filter and
        order, or the queue when none is left."""
        messages.success(self.request, message)
        following = selectors.next_in_queue(ids, self.submission.pk)
        if following is None:
            messages.info(self.request, _("No entry left after this one in the queue."))
            return redirect(queue_url(self.contest, self.request))
        return redirect(self._entry_url(following))

    def post(self, request, *args, **kwargs):
        handler = getattr(self, f"post_{self.action}", None)
        if handler is None:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return handler(request, **kwargs)

    def _done(self, message: str):
        messages.success(self.request, message)
        return redirect(
            reverse(
                "submissions:screening-detail",
                kwargs={"slug": self.contest.slug, "pk": self.submission.pk},
            )
        )

    def _again(self, **forms):
        """Show the page again with the form's errors. When the page does not offer the
        form in the entry's state (a decision on a draft), its errors become alerts."""
        context = self.get_context_data(**forms)
        shown = {
            "screen": context["can"]["screen"],
            "revision": context["can"]["request_revision"],
            "reopen": context["can"]["reopen"],
            "review": self.submission.state not in REVIEW_HIDDEN_STATES,
        }
        if not shown[self.action]:
            for form in forms.values():
                for error in form.non_field_errors():
                    messages.error(self.request, error)
        return self.render_to_response(context, status=self.error_status)

    def post_screen(self, request, **kwargs):
        form = ScreenForm(request.POST, prefix="screen")
        ids = self._ordered_ids()
        if form.is_valid() and self.run_service(
            form,
            lambda: services.screen_submission(
                submission=self.submission,
                eligible=form.cleaned_data["decision"] == SubmissionState.ELIGIBLE,
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
        ):
            return self._done_next(
                _("The entry is now “%(state)s”.")
                % {"state": self.submission.get_state_display()},
                ids,
            )
        return self._again(screen_form=form)

    def post_revision(self, request, **kwargs):
        form = RevisionForm(request.POST, prefix="revision")
        ids = self._ordered_ids()
        if form.is_valid() and self.run_service(
            form,
            lambda: services.request_revision(
                submission=self.submission,
                deadline=form.cleaned_data["deadline"],
                note=form.cleaned_data["note"],
                by=request.user,
            ),
        ):
            return self._done_next(
                _("The entry was sent back to its delegates for revision."), ids
            )
        return self._again(revision_form=form)

    def post_reopen(self, request, **kwargs):
        form = ReopenForm(request.POST, prefix="reopen")
        if form.is_valid() and self.run_service(
            form,
            lambda: services.reopen_submission(
                submission=self.submission,
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
        ):
            return self._done(
                _("The entry was reopened; it is now “%(state)s”.")
                % {"state": self.submission.get_state_display()}
            )
        return self._again(reopen_form=form)

    def post_review(self, request, **kwargs):
        evidence = object_or_404(
            self.submission.evidence.all(), pk=kwargs["evidence_pk"]
        )
        form = EvidenceReviewForm(
            request.POST, instance=evidence, prefix=f"ev{evidence.pk}"
        )
        if form.is_valid() and self.run_service(
            form,
            lambda: services.review_evidence(
                evidence=evidence,
                status=form.cleaned_data["review_status"],
                note=form.cleaned_data["review_note"],
                by=request.user,
            ),
        ):
            return self._done(
                _("The review of “%(title)s” was saved.") % {"title": evidence.title}
            )
        return self._again(review_form=form)
