"""The screening queue's bulk actions (chosen, confirmed, applied), its saved
filters, and the drafts not yet submitted with a reminder to their delegates."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import ListView, View
from django.views.generic.base import ContextMixin, TemplateResponseMixin

from common.errors import DomainError
from common.views import ServicePostView, object_or_404
from contest.mixins import ContestPermissionMixin
from submissions import selectors, services
from submissions.filters import filtered_queue, ordered
from submissions.forms import BulkActionForm, SavedFilterForm
from submissions.views.mixins import InvalidFormMixin
from submissions.views.screening import queue_query, queue_url

# Skipped entries named one by one in the result message; the rest are counted.
SKIPPED_SHOWN = 10


ID = re.compile(r"[0-9]{1,18}")


def selected_ids(data) -> list[int]:
    """The ids ticked on the queue (anything that is not a plain number of at
    most 18 ASCII digits is dropped: "²" or a 30-digit id names no entry)."""
    return [int(v) for v in data.getlist("submissions") if ID.fullmatch(str(v))]


def summary(action: str, count: int) -> str:
    """What the confirmation says will happen."""
    texts = {
        "eligible": ngettext(
            "%(n)s entry will be marked eligible; its delegates are told.",
            "%(n)s entries will be marked eligible; their delegates are told.",
            count,
        ),
        "ineligible": ngettext(
            "%(n)s entry will be marked ineligible with the reason below; its "
            "delegates are told.",
            "%(n)s entries will be marked ineligible with the reason below; their "
            "delegates are told.",
            count,
        ),
        "revision": ngettext(
            "%(n)s entry will be sent back to its delegates for revision with the "
            "note and deadline below.",
            "%(n)s entries will be sent back to their delegates for revision with "
            "the note and deadline below.",
            count,
        ),
        "message": ngettext(
            "The delegates of %(n)s entry will get the message below.",
            "The delegates of %(n)s entries will get the message below, each "
            "person once.",
            count,
        ),
    }
    return texts.get(action, texts["eligible"]) % {"n": count}


class BulkScreeningView(
    LoginRequiredMixin,
    ContestPermissionMixin,
    InvalidFormMixin,
    TemplateResponseMixin,
    ContextMixin,
    View,
):
    """POST only: the first POST (from the queue) shows the confirmation with how
    many entries and what will happen; the second (`confirm`) applies it and
    goes back to the queue with the counts of done and skipped entries. The
    queue's filter travels in the query string ("all matching" reads it)."""

    permission_required = "submissions.screen_submissions"
    template_name = "submissions/screening/bulk_confirm.html"
    http_method_names = ["post"]

    def _ids(self, form) -> list[int]:
        if form.cleaned_data.get("all_matching"):
            filterset = filtered_queue(
                selectors.screening_queue(self.contest),
                self.request.GET,
                contest=self.contest,
            )
            if filterset.is_bound and not filterset.is_valid():
                # The queue ignores a value it cannot use; "all matching" must
                # not then take more entries than the filter names.
                raise DomainError(
                    _("The filter has a value that names nothing; check it again."),
                    field="filter",
                )
            return list(
                ordered(filterset, self.request.GET).values_list("pk", flat=True)
            )
        return list(dict.fromkeys(selected_ids(self.request.POST)))

    def _safe_ids(self, form) -> list[int]:
        try:
            return self._ids(form)
        except DomainError:
            return []

    def post(self, request, *args, **kwargs):
        form = BulkActionForm(request.POST)
        if not form.is_valid():
            return self._confirm(form, [], status=400)
        action = form.cleaned_data["action"]
        if not self.run_service(
            form,
            lambda: (
                services.check_bulk_input(
                    contest=self.contest, action=action, data=form.cleaned_data
                )
                or True
            ),
        ):
            return self._confirm(form, self._safe_ids(form), status=self.error_status)
        ids = self.run_service(form, lambda: self._ids(form))
        if ids is None:
            return self._confirm(form, [], status=400)
        if not ids:
            form.add_error(None, _("Select at least one entry."))
            return self._confirm(form, ids, status=400)
        if "confirm" not in request.POST:
            return self._confirm(form, ids)
        if form.cleaned_data.get("expected") != len(ids):
            form.add_error(
                None,
                _("The selection changed: it is now %(n)s entries. Check again.")
                % {"n": len(ids)},
            )
            return self._confirm(form, ids, status=409)
        report = self.run_service(
            form,
            lambda: services.apply_bulk_action(
                contest=self.contest,
                action=action,
                submission_ids=ids,
                data=form.cleaned_data,
                by=request.user,
            ),
        )
        if report is None:
            return self._confirm(form, ids, status=self.error_status)
        self._say(report)
        return redirect(queue_url(self.contest, request))

    def _confirm(self, form, ids, status=200):
        """The confirmation (or the form again with its errors): how many entries
        and what will happen; the selection and its count go along hidden."""
        cleaned = getattr(form, "cleaned_data", None) or {}
        action = cleaned.get("action", "")
        all_matching = bool(cleaned.get("all_matching"))
        context = self.get_context_data(
            form=form,
            ids=[] if all_matching else ids,
            count=len(ids),
            all_matching=all_matching,
            summary=summary(action, len(ids)) if action and ids else "",
            queue_suffix=queue_query(self.request),
            queue_url=queue_url(self.contest, self.request),
        )
        return self.render_to_response(context, status=status)

    def _say(self, report) -> None:
        done, skipped = len(report.done), len(report.skipped)
        text = ngettext(
            "Done for %(done)s entry; %(skipped)s skipped.",
            "Done for %(done)s entries; %(skipped)s skipped.",
            done,
        ) % {"done": done, "skipped": skipped}
        if report.action == "message":
            text += " " + ngettext(
                "The message went to %(n)s person.",
                "The message went to %(n)s people.",
                report.recipients,
            ) % {"n": report.recipients}
        (messages.success if done else messages.warning)(self.request, text)
        for outcome in report.skipped[:SKIPPED_SHOWN]:
            messages.warning(
                self.request,
                _("Skipped “%(title)s”: %(reason)s")
                % {
                    "title": outcome.title or f"#{outcome.submission_id}",
                    "reason": outcome.reason,
                },
            )
        if skipped > SKIPPED_SHOWN:
            messages.warning(
                self.request,
                _("%(n)s more entries were skipped.") % {"n": skipped - SKIPPED_SHOWN},
            )


class SavedFilterSaveView(LoginRequiredMixin, ContestPermissionMixin, ServicePostView):
    """Save the queue's current filter (its query string) under a name."""

    permission_required = "submissions.screen_submissions"

    def post(self, request, *args, **kwargs):
        form = SavedFilterForm(request.POST)
        name = form.data.get("name", "")
        self.run(
            lambda: services.save_filter(
                contest=self.contest, name=name, params=request.GET, by=request.user
            ),
            lambda saved: _("The filter “%(name)s” was saved.") % {"name": saved.name},
        )
        return redirect(queue_url(self.contest, request))


class SavedFilterDeleteView(
    LoginRequiredMixin, ContestPermissionMixin, ServicePostView
):
    permission_required = "submissions.screen_submissions"

    def post(self, request, *args, **kwargs):
        saved = object_or_404(
            selectors.saved_filters_of(self.contest, request.user), pk=kwargs["pk"]
        )
        self.run(
            lambda: services.delete_filter(saved=saved, by=request.user),
            lambda _result: (
                _("The filter “%(name)s” was deleted.") % {"name": saved.name}
            ),
        )
        return redirect(queue_url(self.contest, request))


class DraftsView(LoginRequiredMixin, ContestPermissionMixin, ListView):
    """The drafts not yet submitted, each with its region's delegates."""

    permission_required = "submissions.screen_submissions"
    template_name = "submissions/screening/drafts.html"
    context_object_name = "drafts"
    paginate_by = 50

    def get_queryset(self):
        return selectors.drafts_queue(self.contest)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = list(context["drafts"])
        people = selectors.delegates_by_region(
            self.contest, {d.region_id for d in page}
        )
        for draft in page:
            draft.delegate_users = people.get(draft.region_id, [])
        context["drafts"] = page
        context["window_open"] = self.contest.submission_window_open()
        return context


class DraftsRemindView(LoginRequiredMixin, ContestPermissionMixin, ServicePostView):
    permission_required = "submissions.screen_submissions"

    def post(self, request, *args, **kwargs):
        self.run(
            lambda: services.remind_draft_delegates(
                contest=self.contest, by=request.user
            ),
            lambda n: (
                ngettext(
                    "%(n)s delegate was reminded of their drafts.",
                    "%(n)s delegates were reminded of their drafts.",
                    n,
                )
                % {"n": n}
            ),
        )
        return redirect("submissions:screening-drafts", slug=self.contest.slug)
