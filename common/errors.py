"""The domain error every service raises, and how the API answers it."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from common.parsers import too_deep_error

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule of the domain was broken.

    `message` is translatable text for the user; `field` names the input it is about,
    when there is one; `status` is the HTTP status the API answers with (400 for bad
    input, 409 for a state conflict such as a closed window).
    """

    def __init__(self, message: Any, *, field: str | None = None, status: int = 400):
        super().__init__(str(message))
        self.message = message
        self.field = field
        self.status = status

    def as_dict(self) -> dict[str, list[str]]:
        return {self.field or "detail": [str(self.message)]}


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"detail": str(exc.message)}
        if exc.field:
            body[exc.field] = [str(exc.message)]
        return Response(body, status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            data = {
                k: [str(m) for e in v for m in e.messages]
                for k, v in exc.error_dict.items()
            }
        else:
            data = {"detail": exc.messages}
        return Response(data, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DataError | OverflowError):
        # A value the database cannot hold or compare (a NUL byte on PostgreSQL, an
        # integer past 64 bits on SQLite) that no field check caught: bad input, 400;
        # logged, since the field that let it through should name it.
        logger.warning("Malformed value reached the database: %s", exc)
        set_rollback()
        return Response(
            {"detail": _("A value in the request is malformed or out of range.")},
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RecursionError):
        # A body nested past Python's limit, through a parser other than
        # common.parsers.JSONParser (a view naming its own parser classes).
        exc = too_deep_error()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied | exceptions.PermissionDenied):
        request = context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            exc = exceptions.NotAuthenticated()
            view = context.get("view")
            if view is not None and request is not None:
                exc.auth_header = view.get_authenticate_header(request)
        elif isinstance(exc, PermissionDenied):
            exc = exceptions.PermissionDenied()
    return exception_handler(exc, context)
