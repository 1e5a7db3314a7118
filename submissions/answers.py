"""One answer checked against its question (pure: the question's own fields and the
value in, the cleaned JSON value out), shared by the entry page, the API and the
services (submissions/services/answers.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from contest.enums import QuestionKind
from contest.models import EntryQuestion
from submissions.validators import validate_http_url

MAX_LENGTH = {QuestionKind.SHORT_TEXT: 300, QuestionKind.LONG_TEXT: 10_000}
MAX_LINK = 500
# Twelve digits before the point and two after, as the question's range holds them.
MAX_NUMBER = Decimal("999999999999.99")


def is_empty(value: Any) -> bool:
    return (
        value is None or value == [] or (isinstance(value, str) and not value.strip())
    )


def _text(question: EntryQuestion, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(_("Give a text."), code="invalid")
    value = value.strip()
    limit = MAX_LENGTH[question.kind]
    if len(value) > limit:
        raise ValidationError(
            _("Give at most %(max)d characters."), params={"max": limit}, code="long"
        )
    if "\x00" in value:
        raise ValidationError(_("The text holds a NUL character."), code="invalid")
    return value


def _shown(number: Decimal) -> str:
    return format(Decimal(number).normalize(), "f")


def _number(question: EntryQuestion, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValidationError(_("Give a number."), code="invalid")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
        # An exponent as large as "1e999999999" overflows the context here.
        too_large = not number.is_finite() or abs(number) > MAX_NUMBER
    except (InvalidOperation, ArithmeticError):
        raise ValidationError(_("Give a number."), code="invalid") from None
    if too_large:
        raise ValidationError(_("Give a number."), code="invalid")
    if number != number.quantize(Decimal("0.01")):
        raise ValidationError(_("Give at most two decimals."), code="decimals")
    if question.min_value is not None and number < question.min_value:
        raise ValidationError(
            _("Give a number of at least %(min)s."),
            params={"min": _shown(question.min_value)},
            code="min",
        )
    if question.max_value is not None and number > question.max_value:
        raise ValidationError(
            _("Give a number of at most %(max)s."),
            params={"max": _shown(question.max_value)},
            code="max",
        )
    return _shown(number) if number else "0"


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()[:10]).isoformat()
    except ValueError:
        raise ValidationError(_("Give a date as YYYY-MM-DD."), code="invalid") from None


def _choice(question: EntryQuestion, value: Any) -> str:
    if not isinstance(value, str) or value not in (question.options or []):
        raise ValidationError(_("Choose one of the options."), code="invalid")
    return value


def _choices(question: EntryQuestion, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    options = list(question.options or [])
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v in options for v in value
    ):
        raise ValidationError(_("Choose among the options."), code="invalid")
    return [o for o in options if o in value]


def _link(value: Any) -> str:
    if not isinstance(value, str) or len(value.strip()) > MAX_LINK:
        raise ValidationError(_("Give a web address."), code="invalid")
    value = value.strip()
    validate_http_url(value)
    return value


def clean_answer(question: EntryQuestion, value: Any) -> Any:
    """The answer as stored (a string, or a list of strings for several choices),
    or None for no answer; a ValidationError says what is wrong. A file question
    takes no value: its file is uploaded on its own."""
    if is_empty(value):
        return None
    kind = question.kind
    if kind == QuestionKind.FILE:
        raise ValidationError(_("Upload the file instead."), code="file")
    if kind in MAX_LENGTH:
        return _text(question, value)
    if kind == QuestionKind.NUMBER:
        return _number(question, value)
    if kind == QuestionKind.DATE:
        return _date(value)
    if kind == QuestionKind.CHOICE:
        return _choice(question, value)
    if kind == QuestionKind.CHOICES:
        return _choices(question, value)
    return _link(value)


def file_type_accepted(question: EntryQuestion, ext: str) -> bool:
    """Whether a file of type `ext` (as read from its content) answers `question`."""
    types = [t.lower() for t in question.file_types or []]
    return not types or ext.lower() in types


def answer_text(question: EntryQuestion, value: Any) -> str:
    """An answer as one line of text (exports, PDF, snapshot)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)
