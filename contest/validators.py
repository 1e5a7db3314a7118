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


def validate_past_award_exclusions(value) -> None:
    """[{"contest": "<slug>", "awards": ["<award name>", ...]}, ...]; no awards: any."""
    message = _(
        'Give a list of {"contest": slug, "awards": [names]}; leave "awards" empty '
        "for any award of that contest."
    )
    if not isinstance(value, list) or len(value) > 50:
        raise ValidationError(message, code="invalid")
    for item in value:
        if not isinstance(item, dict) or set(item) - {"contest", "awards"}:
            raise ValidationError(message, code="invalid")
        slug, awards = item.get("contest"), item.get("awards", [])
        if not isinstance(slug, str) or not slug.strip() or len(slug) > 80:
            raise ValidationError(message, code="invalid")
        if not isinstance(awards, list) or not all(
            isinstance(a, str) and 0 < len(a.strip()) <= 120 for a in awards
        ):
            raise ValidationError(message, code="invalid")


def validate_question_options(value) -> None:
    """A choice question's options: distinct non-empty labels, at most 50."""
    if not isinstance(value, list) or len(value) > 50:
        raise ValidationError(_("Give a list of at most 50 options."), code="invalid")
    if not all(isinstance(v, str) and 0 < len(v.strip()) <= 200 for v in value):
        raise ValidationError(
            _("Each option is a text of 1 to 200 characters."), code="invalid"
        )
    if len({v.strip().casefold() for v in value}) != len(value):
        raise ValidationError(_("The options must differ."), code="invalid")


def validate_file_types(value) -> None:
    """A file question's accepted extensions, e.g. ["pdf", "jpg"]; empty: any."""
    if not isinstance(value, list) or len(value) > 20:
        raise ValidationError(_("Give a list of file extensions."), code="invalid")
    if not all(isinstance(v, str) and v.isalnum() and len(v) <= 5 for v in value):
        raise ValidationError(
            _('Give extensions without the dot, such as "pdf" or "jpg".'),
            code="invalid",
        )
