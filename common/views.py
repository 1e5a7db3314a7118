"""The plumbing every app's pages share: a contest from the URL (seen, permitted,
in its own time zone), a stage of it, a service call's errors on the form or as a
message. It knows no model: `contest.mixins` binds it to the Contest rows."""

from __future__ import annotations

import time
import zoneinfo
from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.views import View

from common.errors import DomainError
from common.kept import KeptInProcess


def object_or_404(queryset, **lookup):
    """The one row of `queryset` matching `lookup`; 404 when there is none."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def respond_in_zone(zone: str, respond: Callable[[], HttpResponse]) -> HttpResponse:
    """`respond()` with `zone` active, rendering included: a template response
    renders after dispatch, when an override would be gone."""
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        response = respond()
        if callable(getattr(response, "render", None)):
            response.render()
    return response


class ContestZoneMixin:
    """Reads and shows the page's times in the contest's zone (WIB/WITA/WIT)."""

    def get_timezone_name(self) -> str:
        return self.contest.timezone

    def dispatch(self, request, *args, **kwargs):
        return respond_in_zone(
            self.get_timezone_name(),
            lambda: super(ContestZoneMixin, self).dispatch(request, *args, **kwargs),
        )


class ContestScopedMixin(ContestZoneMixin, AccessMixin):
    """Loads `self.contest` by the URL's slug among `get_contest_queryset()` (404
    when the user may not see it), checks `permission_required` against it when
    `contest_permission` is set (403 when it is visible; sign in when anonymous),
    then runs the page in the contest's time zone."""

    contest_slug_kwarg = "slug"
    contest_permission = False
    # `permission_required` is the view's (no default here: a mixin after this one,
    # such as an entry's, may name its own).

    def get_contest_queryset(self):
        raise NotImplementedError("the contests the user may see")

    def has_permission(self) -> bool:
        if not self.contest_permission:
            return True
        return self.request.user.has_perm(self.permission_required, self.contest)

    def dispatch(self, request, *args, **kwargs):
        self.contest = get_object_or_404(
            self.get_contest_queryset(), slug=kwargs[self.contest_slug_kwarg]
        )
        if not self.has_permission():
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("contest", self.contest)
        return super().get_context_data(**kwargs)


class StageScopedMixin:
    """Loads `self.stage`: the contest's stage named by the URL's `stage_pk`, of
    `stage_kind` when one is set (404 otherwise), and puts it in the context."""

    stage_kind: str | None = None
    stage_pk_kwarg = "stage_pk"

    @cached_property
    def stage(self):
        stages = self.contest.stages.all()
        if self.stage_kind is not None:
            stages = stages.filter(kind=self.stage_kind)
        return object_or_404(stages, pk=self.kwargs[self.stage_pk_kwarg])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("stage", self.stage)
        return super().get_context_data(**kwargs)


class TabMixin:
    """Names the page's tab (`tab`) for the section's tab bar."""

    tab = ""

    def get_context_data(self, **kwargs):
        kwargs.setdefault("tab", self.tab)
        return super().get_context_data(**kwargs)


class ContestFormMixin:
    """Gives the form the contest, as every form of a contest's page takes it."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["contest"] = self.contest
        return kwargs


def _resolve(value: Any, result: Any) -> Any:
    return value(result) if callable(value) else value


class ServiceFormMixin:
    """Turns the DomainError or ValidationError a service raises into form errors,
    each at the field it names (the form's top when the form has no such field)."""

    def run_service(self, form, call):
        try:
            return call()
        except DomainError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, str(exc.message)
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        return None

    def save_with_service(self, form, call, *, message, then):
        """The common `form_valid`: run the service; on an error show the form
        again, else say `message` and go to `then` (each text, or a function of
        what the service returned)."""
        result = self.run_service(form, call)
        if result is None:
            return self.form_invalid(form)
        messages.success(self.request, _resolve(message, result))
        return redirect(_resolve(then, result))


class ServicePostView(View):
    """A POST that calls one service, then redirects with a message: the service's
    refusal as an error, else `success(result)`. `run` says which it was."""

    http_method_names = ["post"]

    def run(self, call: Callable[[], Any], success: Callable[[Any], str]) -> bool:
        try:
            result = call()
        except DomainError as exc:
            messages.error(self.request, str(exc.message))
            return False
        messages.success(self.request, success(result))
        return True


# What a kept page carries where each answer's own CSRF token goes.
CSRF_STAND_IN = "kept-page-csrf-stand-in"
# How long a signed-in viewer's kept page may show what its key does not name.
KEPT_FOR_SIGNED_IN_SECONDS = 60


def _viewer(user) -> tuple:
    """Who a signed-in page is kept for, as its header shows them, and the
    minute (see KeptPageMixin)."""
    minute = int(time.time() // KEPT_FOR_SIGNED_IN_SECONDS)
    return (user.pk, user.get_username(), str(user), minute)


class KeptPageMixin:
    """A page whose whole answer follows from `kept_key()` (a hashable, or None:
    not kept) is rendered once per process and key; each later answer only gets
    the visitor's own CSRF token in place of the stand-in. Anonymous visitors
    only, unless the view sets `kept_for_signed_in`: then the key also names the
    viewer (the header shows who is signed in) and a minute, so whatever the key
    does not name is at most a minute old. The permission checks of the view's
    dispatch run on every request, before this. A visitor with messages waiting
    gets the page rendered for them. The key must name everything the page shows.
    """

    kept_pages: KeptInProcess[str] = KeptInProcess(64)
    kept_for_signed_in = False
    # The view (or a mixin after this one) defines `kept_key() -> Hashable | None`.

    def get(self, request, *args, **kwargs):
        key = None
        waiting = len(messages.get_messages(request))
        signed_in = request.user.is_authenticated
        if not waiting and (not signed_in or self.kept_for_signed_in):
            key = self.kept_key()
        if key is None:
            return super().get(request, *args, **kwargs)
        viewer = _viewer(request.user) if signed_in else None
        key = (
            type(self).__qualname__,
            request.get_full_path(),
            get_language(),
            viewer,
            key,
        )
        body = self.kept_pages.get(key)
        if body is None:
            self.csrf_stand_in = True
            response = super().get(request, *args, **kwargs)
            response.render()
            if response.status_code != 200:
                response.content = response.content.replace(
                    CSRF_STAND_IN.encode(), get_token(request).encode()
                )
                return response
            body = self.kept_pages.put(key, response.content.decode())
        return HttpResponse(body.replace(CSRF_STAND_IN, get_token(request)))

    def get_context_data(self, **kwargs):
        if getattr(self, "csrf_stand_in", False):
            kwargs["csrf_token"] = CSRF_STAND_IN
        return super().get_context_data(**kwargs)
