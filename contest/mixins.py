"""View mixins shared by every app's pages."""

from __future__ import annotations

import zoneinfo

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rules.contrib.views import PermissionRequiredMixin

from common.errors import DomainError
from contest.enums import ContestTimezone
from contest.models import Contest
from contest.selectors import contests_visible_to


class ContestMixin:
    """Loads `self.contest` from the URL's slug; 404 when the user may not see it."""

    contest_slug_kwarg = "slug"

    def dispatch(self, request, *args, **kwargs):
        self.contest = get_object_or_404(
            contests_visible_to(request.user), slug=kwargs[self.contest_slug_kwarg]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("contest", self.contest)
        return super().get_context_data(**kwargs)


class ContestPermissionMixin(ContestMixin, PermissionRequiredMixin):
    """Checks `permission_required` against the contest (403 when it is visible)."""

    def get_permission_object(self):
        return self.contest


class ContestTimezoneMixin:
    """Reads and shows the form's dates in the contest's time zone (WIB/WITA/WIT)."""

    def get_timezone_name(self) -> str:
        chosen = self.request.POST.get("timezone")
        if chosen in ContestTimezone.values:
            return chosen
        contest = getattr(self, "contest", None) or getattr(self, "object", None)
        if isinstance(contest, Contest):
            return contest.timezone
        return ContestTimezone.WIB

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(zoneinfo.ZoneInfo(self.get_timezone_name())):
            response = super().dispatch(request, *args, **kwargs)
            if callable(getattr(response, "render", None)):
                response.render()
        return response


class ServiceFormMixin:
    """Turns the DomainError or ValidationError a service raises into form errors."""

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


def object_or_404(queryset, **lookup):
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj
