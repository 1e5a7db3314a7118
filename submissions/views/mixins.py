from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from common.errors import DomainError
from common.views import ServiceFormMixin, object_or_404
from contest.mixins import ContestMixin
from submissions.rules import allows, entry_abilities
from submissions.selectors import submission_with_evidence, submissions_visible_to


class _LoadEntry:
    permission_required = "submissions.view_submission"

    def get_entry_queryset(self):
        return submission_with_evidence(
            submissions_visible_to(self.request.user, self.contest)
        )

    def dispatch(self, request, *args, **kwargs):
        self.submission = object_or_404(self.get_entry_queryset(), pk=kwargs["pk"])
        if not allows(request.user, self.permission_required, self.submission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("entry", self.submission)
        kwargs.setdefault("can", entry_abilities(self.request.user, self.submission))
        return super().get_context_data(**kwargs)


class EntryMixin(LoginRequiredMixin, ContestMixin, _LoadEntry):
    """Loads `self.contest` and `self.submission` from the URL.

    Anonymous users are sent to sign in; an entry the user may not know of answers 404;
    one they see but may not act on answers 403 (`permission_required`, checked against
    the entry). Dates are shown in the contest's time zone.
    """


class InvalidFormMixin(ServiceFormMixin):
    """A form sent back with its errors answers 4xx, not 200: the status of the
    service's refusal (409 for a closed window or a frozen contest), else 400."""

    error_status = 400

    def run_service(self, form, call):
        def call_and_keep_status():
            try:
                return call()
            except DomainError as exc:
                self.error_status = exc.status
                raise

        return super().run_service(form, call_and_keep_status)

    def form_invalid(self, form):
        return self.render_to_response(
            self.get_context_data(form=form), status=self.error_status
        )
