"""A contest's own text for an event's e-mail: checked when it is saved and again
when it is used, rendered by a template engine of its own that loads nothing.

The text is Django template syntax, but only its variables and simple tags
(`{{ contest_name }}`, `{% if new_account %}`): an engine without loaders or
libraries cannot include, extend or load anything, and the tags that would try
(or that print the context, `{% debug %}`) are refused by name. The HTML body is
made from the rendered text: escaped, paragraphs kept, links made clickable."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import Lexer, TokenType
from django.utils.html import urlize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

# Tags that reach outside the text (a file, a library, the whole context).
FORBIDDEN_TAGS = frozenset({"load", "include", "extends", "ssi", "debug"})

ENGINE = Engine(loaders=[], libraries={}, autoescape=False, debug=False)

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def forbidden_tags(source: str) -> list[str]:
    """The forbidden tags `source` uses, each once, in order."""
    found: list[str] = []
    for token in Lexer(source).tokenize():
        if token.token_type != TokenType.BLOCK:
            continue
        words = token.contents.split()
        if words and words[0] in FORBIDDEN_TAGS and words[0] not in found:
            found.append(words[0])
    return found


def check_source(source: str) -> None:
    """Refuse (ValidationError) a text that uses a forbidden tag or does not
    compile; the message says which tag, or the template error."""
    tags = forbidden_tags(source)
    if tags:
        raise ValidationError(
            _("These tags are not allowed in an e-mail's text: %(tags)s.")
            % {"tags": ", ".join("{% " + tag + " %}" for tag in tags)},
            code="forbidden_tag",
        )
    try:
        ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise ValidationError(
            _("The text is not a valid template: %(error)s") % {"error": exc},
            code="syntax",
        ) from exc


def render_source(source: str, context: dict) -> str:
    """`source` rendered with `context`, after the same checks as when saved (a
    row changed in the admin or the shell is held to them too)."""
    check_source(source)
    return ENGINE.from_string(source).render(Context(context, autoescape=False))


def text_to_html(text: str) -> SafeString:
    """Plain text as HTML: escaped, a blank line between paragraphs, a line
    break within one, addresses and links made clickable."""
    paragraphs = PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").strip())
    html = [
        "<p>"
        + urlize(paragraph.strip(), autoescape=True).replace("\n", "<br>")
        + "</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    ]
    return mark_safe("\n".join(html))  # noqa: S308 - escaped by urlize above
