import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contest.enums import RegionType

_SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"new", "manage", "api", "admin", "static", "media"}


def validate_slug_text(value: str) -> None:
    if not _SLUG_RE.match(value or ""):
        raise ValidationError(
            _("Use lower-case letters, digits and single hyphens, e.g. kkdi-2023."),
            code="invalid_slug",
        )
    if value in RESERVED_SLUGS:
        raise ValidationError(_("This slug is reserved."), code="reserved_slug")


def validate_region_types(value) -> None:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of region types."), code="invalid")
    unknown = sorted(set(value) - set(RegionType.values))
    if unknown:
        raise ValidationError(
            _("Unknown region type: %(types)s. Use provinsi, kabupaten or kota."),
            params={"types": ", ".join(unknown)},
            code="invalid",
        )


# A contest's dates fall in these years; anything else is a typing slip (9999 for
# "open-ended", 0001 for "unknown") that would overflow when shown in a time zone.
DATE_YEAR_MIN = 2000
DATE_YEAR_MAX = 2100


def validate_sane_datetime(value) -> None:
    """Refuse a date outside the years DATE_YEAR_MIN..DATE_YEAR_MAX.

    The one check of contest and stage windows: model clean, forms and API
    serializers all call it, so every path answers the same error at the field.
    """
    if value is None:
        return
    year = value.year
    if not DATE_YEAR_MIN <= year <= DATE_YEAR_MAX:
        raise ValidationError(
            _("Give a date between the years %(min)s and %(max)s."),
            params={"min": DATE_YEAR_MIN, "max": DATE_YEAR_MAX},
            code="date_out_of_range",
        )
