"""Reading the mails the outbox sent: the links' hosts and paths, the HTML part.
Shared by the event tests of this folder (tests/notifications/test_*_events.py)."""

import re
from urllib.parse import urlsplit

SITE = "https://inovasi.example.go.id"
HOST = "inovasi.example.go.id"
LINK = re.compile(r"https?://[^\s\"<>]+")


def hosts(text: str) -> set[str]:
    return {urlsplit(link).netloc for link in LINK.findall(text)}


def paths(text: str) -> list[str]:
    return [urlsplit(link).path for link in LINK.findall(text)]


def html_of(message) -> str:
    (html, kind), *_others = message.alternatives
    assert kind == "text/html"
    return html


def by_address(outbox) -> dict:
    """The sent messages by their one recipient (each person once)."""
    messages = {}
    for message in outbox:
        (address,) = message.to
        assert address not in messages, f"{address} got two mails"
        messages[address] = message
    return messages
