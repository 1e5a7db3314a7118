"""What an API view allows, stated by the view itself (DESIGN.md, REST API).

`DenyAll` is DRF's default permission class (settings.REST_FRAMEWORK), so a view that
states nothing allows nothing. A view whose `rules` permissions are checked per action
states `RulesPerAction`.
"""

from __future__ import annotations

from rest_framework import permissions


class DenyAll(permissions.BasePermission):
    """Nobody: the default for a view that does not say whom it serves."""

    def has_permission(self, request, view) -> bool:
        return False

    def has_object_permission(self, request, view, obj) -> bool:
        return False


class RulesPerAction(permissions.BasePermission):
    """The view checks a `rules` permission for each action itself: a contest-scoped
    view its `action_permissions` (contest.api.base.ContestScopedMixin), a model
    viewset its `permission_type_map` (rules' AutoPermissionViewSetMixin). A view
    with neither map is refused, so forgetting it denies rather than allows."""

    def has_permission(self, request, view) -> bool:
        return bool(
            getattr(view, "action_permissions", None)
            or getattr(view, "permission_type_map", None)
        )
