"""Every route of the URL configuration, walked from the root resolver."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

WRITE_METHODS = ("post", "put", "patch", "delete")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", or the pattern itself when the route has none
    pattern: str
    callback: object

    def methods(self) -> list[str]:
        """The methods the view answers (GET implies HEAD; OPTIONS left out)."""
        actions = getattr(self.callback, "actions", None)
        if actions:
            return sorted(m for m in actions if m != "head")
        view_class = getattr(self.callback, "view_class", None) or getattr(
            self.callback, "cls", None
        )
        if view_class is None:
            return ["get", *WRITE_METHODS]
        return [
            m for m in ("get", *WRITE_METHODS) if callable(getattr(view_class, m, None))
        ]


def all_routes() -> list[Route]:
    return list(_walk(get_resolver(), "", ""))


def _walk(resolver: URLResolver, prefix: str, namespace: str):
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}{entry.namespace}:"
            yield from _walk(entry, pattern, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}{entry.name}" if entry.name else pattern
            yield Route(name=name, pattern=pattern, callback=entry.callback)
