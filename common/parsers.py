"""The API's JSON parser: a body nested too deeply answers 400, never 500."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# No request of the contract nests deeper than a few levels (a sheet's scores, a
# criterion's levels); 32 leaves room and keeps every recursive walk of the data
# (serializers, validators, the ledger's canonical JSON) far from Python's limit.
MAX_JSON_DEPTH = 32


def json_depth_exceeds(value: Any, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when lists and objects nest more than `limit` levels (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def too_deep_error() -> ParseError:
    return ParseError(
        _("JSON parse error - the body nests more than %(depth)d levels deep.")
        % {"depth": MAX_JSON_DEPTH}
    )


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, refusing (400) bodies nested deeper than MAX_JSON_DEPTH.

    Python's json module raises RecursionError on a body nested about a thousand
    levels deep; that, like any nesting past the limit, is a parse error.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise too_deep_error() from exc
        if json_depth_exceeds(data):
            raise too_deep_error()
        return data
