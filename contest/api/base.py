"""Shared pieces of the API: contest-scoped viewsets and service error mapping."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone

from contest.models import Contest
from contest.selectors import contests_visible_to


class ContestScopedMixin:
    """A viewset under /contests/{slug}/: loads `self.contest` and checks the action.

    `action_permissions` maps each action to the rules permission checked against the
    contest. A contest the user may not see answers 404; a missing action is a bug.
    """

    action_permissions: dict[str, str] = {}
    contest: Contest

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.contest = get_object_or_404(
            contests_visible_to(request.user), slug=self.kwargs["contest_slug"]
        )
        timezone.activate(self.contest.tzinfo)
        try:
            perm = self.action_permissions[self.action]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"no permission for action {self.action!r}"
            ) from exc
        if not request.user.has_perm(perm, self.contest):
            raise PermissionDenied

    def finalize_response(self, request, response, *args, **kwargs):
        timezone.deactivate()
        return super().finalize_response(request, response, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["contest"] = getattr(self, "contest", None)
        return context
