"""Shared pieces of the API: contest-scoped viewsets and service error mapping."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import exceptions

from common.permissions import RulesPerAction
from contest.enums import StageKind
from contest.models import Contest
from contest.selectors import contests_visible_to

# OPTIONS describes the form of these methods, each as the action it would run.
_METADATA_ACTIONS = {"POST": ("create",), "PUT": ("update", "partial_update")}


class ContestScopedMixin:
    """A viewset under /contests/{slug}/: loads `self.contest` and checks the action.

    `action_permissions` maps each action to the rules permission checked against the
    contest: it is what the view allows (DRF's check is `RulesPerAction`). A contest
    the user may not see answers 404; a method the viewset does not serve answers 405
    (TRACE, PUT where only PATCH is offered); OPTIONS answers DRF's metadata to whoever
    may see the contest, describing a method's fields only to those allowed to call
    it. A missing action is a bug.
    """

    permission_classes = [RulesPerAction]
    action_permissions: dict[str, str] = {}
    contest: Contest

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.contest = get_object_or_404(
            contests_visible_to(request.user), slug=self.kwargs["contest_slug"]
        )
        timezone.activate(self.contest.tzinfo)
        method = request.method.lower()
        if self.action is None or method not in self.http_method_names:
            raise exceptions.MethodNotAllowed(request.method)
        if self.action == "metadata":
            return
        try:
            perm = self.action_permissions[self.action]
        except KeyError as exc:
            raise ImproperlyConfigured(
                f"no permission for action {self.action!r}"
            ) from exc
        if not request.user.has_perm(perm, self.contest):
            raise PermissionDenied

    def check_permissions(self, request):
        """For OPTIONS, DRF asks this of a cloned POST/PUT request: describe that
        method's fields only to a user whose role allows the action."""
        super().check_permissions(request)
        actions = _METADATA_ACTIONS.get(request.method)
        if getattr(self, "action", None) != "metadata" or actions is None:
            return
        perm = next(
            (
                self.action_permissions[a]
                for a in actions
                if a in self.action_permissions
            ),
            None,
        )
        if perm is None or not request.user.has_perm(perm, self.contest):
            raise exceptions.PermissionDenied

    def finalize_response(self, request, response, *args, **kwargs):
        timezone.deactivate()
        return super().finalize_response(request, response, *args, **kwargs)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["contest"] = getattr(self, "contest", None)
        return context


class StageScopedMixin(ContestScopedMixin):
    """A viewset under /contests/{slug}/stages/{stage_pk}/: after the contest and the
    action's permission, loads `self.stage`, of `stage_kind` (404 otherwise)."""

    stage_kind: str | None = StageKind.SCORING

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        stages = self.contest.stages.all()
        if self.stage_kind is not None:
            stages = stages.filter(kind=self.stage_kind)
        self.stage = get_object_or_404(stages, pk=self.kwargs["stage_pk"])
