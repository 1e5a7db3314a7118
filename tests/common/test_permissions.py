"""What API views allow: each view of these apps states it; the deny-all default."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from common.permissions import DenyAll, RulesPerAction

# The apps that state their views' permissions now; the lead adds judging and results
# before DRF's default becomes DenyAll (settings.REST_FRAMEWORK).
STATED = ("accounts.", "contest.", "submissions.", "judging.", "results.")


def _api_views(patterns=None):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from _api_views(entry.url_patterns)
        elif isinstance(entry, URLPattern):
            cls = getattr(entry.callback, "cls", None)
            if cls is not None and issubclass(cls, APIView):
                yield cls


class _Mapped:
    action_permissions = {"list": "contest.manage_contest"}


class _Typed:
    permission_type_map = {"list": None}


class _Bare:
    pass


def test_deny_all_denies_everyone():
    request = APIRequestFactory().get("/")

    assert DenyAll().has_permission(request, _Bare()) is False
    assert DenyAll().has_object_permission(request, _Bare(), object()) is False


@pytest.mark.parametrize(
    ("view", "expected"),
    [(_Mapped(), True), (_Typed(), True), (_Bare(), False)],
    ids=["action-permissions", "permission-type-map", "neither"],
)
def test_rules_per_action_needs_a_map(view, expected):
    request = APIRequestFactory().get("/")

    assert RulesPerAction().has_permission(request, view) is expected


def _states_permissions(cls) -> bool:
    """A class of ours (not DRF's) sets `permission_classes` or `get_permissions`."""
    return any(
        "permission_classes" in vars(k) or "get_permissions" in vars(k)
        for k in cls.__mro__
        if not k.__module__.startswith("rest_framework")
    )


def test_every_api_view_of_these_apps_states_what_it_allows():
    views = {cls for cls in _api_views() if cls.__module__.startswith(STATED)}

    silent = sorted(cls.__qualname__ for cls in views if not _states_permissions(cls))

    assert len(views) >= 7
    assert silent == []
