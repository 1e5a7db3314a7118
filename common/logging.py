"""Log lines that a log collector can read: one JSON object per line, each with the
id of the request it belongs to.

The request id is kept in a context variable, set for the length of a request by
`config.middleware.RequestLogMiddleware`, and copied onto every record by
`RequestIdFilter`, so a line written by any module during the request (a service's
warning, Django's error report) carries the same id as the request's own line and as
the `X-Request-ID` the proxy sees.
"""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)

# What a proxy may hand us as a request id: short, plain, nothing to inject into a log.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9-]{8,64}")

# The attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRIBUTES = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__
) | {"message", "asctime", "request_id", "taskName"}


def request_id_from(header: str | None) -> str:
    """The proxy's id when it is a sane one, otherwise a new one."""
    if header and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def forget_request_id(**kwargs) -> None:
    """Connected to request_finished: what is logged between requests has no id."""
    request_id_var.set(None)


class RequestIdFilter(logging.Filter):
    """Puts the current request's id (or None outside a request) on every record.

    Attached to handlers, not loggers: a handler's filter sees the records that
    propagate to it from every logger below."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


class JSONFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, request_id,
    the record's `extra` fields, and the exception's traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for key, value in record.__dict__.items():
            if key not in _RECORD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
