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
