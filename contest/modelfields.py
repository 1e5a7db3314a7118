"""The contest app's field types and model helpers: window times that always
render, integers PostgreSQL's columns hold on every database, window checks."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations

from contest.validators import validate_sane_datetime

# The latest moment a stored window reads back as: later values (written past the
# services, e.g. 9999-12-31 by SQL) would overflow when shown in WIB/WITA/WIT.
RENDERABLE_MAX = dt.datetime(9999, 1, 1, tzinfo=dt.UTC)


class WindowDateTimeField(models.DateTimeField):
    """A window's end or start; a stored value past RENDERABLE_MAX reads as it.

    New values are refused outside the sane years (`validate_sane_datetime`, in the
    models' clean, the forms and the serializers); this keeps a row stored earlier
    or by hand renderable on every page, export and API answer. It migrates as a
    plain DateTimeField (same column, same deconstruction).
    """

    def from_db_value(self, value, expression, connection):
        if value is not None and value > RENDERABLE_MAX:
            return RENDERABLE_MAX
        return value

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


class PortableIntegersMixin:
    """Integer fields hold what PostgreSQL's columns hold, on SQLite too.

    SQLite stores any 64-bit integer in a smallint column; PostgreSQL refuses. The
    same value answers the same field error on both (Django's own messages).
    """

    def clean_fields(self, exclude=None):
        errors: dict = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            limits = BaseDatabaseOperations.integer_field_ranges.get(
                field.get_internal_type()
            )
            value = getattr(self, field.attname)
            if field.name in errors or (exclude and field.name in exclude):
                continue
            if limits is None or not isinstance(value, int):
                continue
            for validator in (
                MinValueValidator(limits[0]),
                MaxValueValidator(limits[1]),
            ):
                try:
                    validator(value)
                except ValidationError as exc:
                    errors[field.name] = exc.error_list
        if errors:
            raise ValidationError(errors)


def window_errors(instance, opens: str, closes: str, message) -> dict[str, list]:
    """Field errors of a window: each end in the sane years, and closes after opens."""
    errors: dict[str, list] = {}
    for name in (opens, closes):
        try:
            validate_sane_datetime(getattr(instance, name))
        except ValidationError as exc:
            errors[name] = exc.error_list
    start, end = getattr(instance, opens), getattr(instance, closes)
    if not errors and start is not None and end is not None and end <= start:
        errors[closes] = [ValidationError(message, code="window_order")]
    return errors
