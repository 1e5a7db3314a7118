"""An iCalendar (RFC 5545) invitation of one event, as text: a VCALENDAR with one
VEVENT, times in UTC, text escaped (backslash, semicolon, comma, new line) and
lines folded at 75 octets. Pure: no database, no Django.

The data is what a notification's context carries under `ics` (plain values):
`uid`, `start` and `end` (ISO 8601 with an offset), `summary`, and optionally
`location`, `url`, `description`, `sequence` (0 first), `method` (REQUEST or
CANCEL) and `stamp` (when the message was made; now by default)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

PRODID = "-//Inovasi Award//Schedule//EN"
METHODS = frozenset({"REQUEST", "CANCEL", "PUBLISH"})
LIMIT = 75  # octets per line, the CRLF not counted


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """`line` folded so no line is longer than 75 octets: each continuation starts
    with one space; a UTF-8 character is never split."""
    parts: list[str] = []
    current, size, limit = "", 0, LIMIT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size, limit = "", 0, LIMIT - 1
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def utc(value: dt.datetime | str) -> str:
    """A DATE-TIME in UTC form ("20230914T013000Z"); a naive time is refused."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a calendar time needs its offset")
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def build_calendar(data: Mapping[str, Any]) -> str:
    """The VCALENDAR text of `data` (see the module docstring), CRLF-ended."""
    method = str(data.get("method") or "REQUEST").upper()
    if method not in METHODS:
        raise ValueError(f"unknown METHOD {method!r}")
    stamp = data.get("stamp") or dt.datetime.now(dt.UTC)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{method}",
        "BEGIN:VEVENT",
        f"UID:{escape(data['uid'])}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(data['start'])}",
        f"DTEND:{utc(data['end'])}",
        f"SEQUENCE:{int(data.get('sequence') or 0)}",
        f"SUMMARY:{escape(data.get('summary', ''))}",
    ]
    if data.get("location"):
        lines.append(f"LOCATION:{escape(data['location'])}")
    if data.get("url"):
        lines.append(f"URL:{data['url']}")
    if data.get("description"):
        lines.append(f"DESCRIPTION:{escape(data['description'])}")
    lines += [
        f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
