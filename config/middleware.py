import logging
import re
import time

from django.conf import settings
from django.core.signals import request_finished
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.functional import SimpleLazyObject, empty
from django.utils.translation.trans_real import (
    language_code_re,
    parse_accept_lang_header,
)

from common.logging import forget_request_id, request_id_from, request_id_var

request_logger = logging.getLogger("inovasi.requests")
request_finished.connect(forget_request_id, dispatch_uid="forget_request_id")


API_PREFIX = "/api/"


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The pages speak Indonesian unless the visitor chose English with the
    language switch; the API speaks the language its caller asks for.

    On the pages the browser's Accept-Language is not followed: many government
    offices run English-language browsers, and the site speaks Indonesian to them
    by default. An API client, on the other hand, states the language it wants in
    its request (`Accept-Language`), whatever a browser's cookie says; without
    one, or with none the site speaks, it gets Indonesian (LANGUAGE_CODE).
    """

    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX):
            language = accepted_language(request.headers.get("Accept-Language", ""))
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = (
                chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


def accepted_language(header: str) -> str:
    """The first language of an Accept-Language header (by its q-values) that the
    site speaks (settings.LANGUAGES; "en-GB" finds "en"), as Django's
    get_language_from_request reads the header; LANGUAGE_CODE when none is, or
    at a "*"."""
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        if not language_code_re.search(code):
            continue
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class RequestLogMiddleware:
    """One log line per request (method, path without its query, status, duration,
    user id, request id), and the request id in the `X-Request-ID` answer header.

    First in MIDDLEWARE, so the line covers the time of every other middleware and
    the id is set before anything else logs. The id is the proxy's `X-Request-ID`
    when it is a sane one (common.logging.SANE_REQUEST_ID), so one id follows a
    request from the proxy's log to ours.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get("X-Request-ID"))
        request.request_id = request_id
        # Kept until the request is finished (forget_request_id), not only until
        # this middleware returns: Django logs a 4xx or 5xx answer after it.
        request_id_var.set(request_id)
        started = time.monotonic()
        response = self.get_response(request)
        duration_ms = round((time.monotonic() - started) * 1000, 1)
        response["X-Request-ID"] = request_id
        self._log(request, response.status_code, duration_ms)
        return response

    @staticmethod
    def _log(request, status: int, duration_ms: float) -> None:
        path = logged_path(request.path)
        request_logger.info(
            "%s %s %s %.1fms",
            request.method,
            path,
            status,
            duration_ms,
            extra={
                "method": request.method,
                "path": path,
                "status": status,
                "duration_ms": duration_ms,
                "user_id": _user_id(request),
            },
        )


# A path segment after these is a live key (a password-reset or set-password
# link, an e-mail confirmation): the log keeps the route, not the key.
SECRET_PATH = re.compile(r"(/(?:key|confirm-email)/)[^/]+")


def logged_path(path: str) -> str:
    """`path` as the request log writes it: a secret key replaced by "…"."""
    return SECRET_PATH.sub(r"\1…", path)


def _user_id(request) -> int | None:
    """The signed-in user's id, without loading a session the request never read
    (an anonymous page, /healthz): Django's lazy user is read only once resolved."""
    user = getattr(request, "user", None)
    if user is None:
        return None
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    return user.pk if user.is_authenticated else None
