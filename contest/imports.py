"""Delegates from a table: one row per delegate (`email`, `region` by code or name),
each invited or linked through `services.invite_delegate`, as on the page."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from common.guards import ensure_not_frozen, require_organizer
from common.imports import (
    CREATE,
    EXISTS,
    Outcome,
    Report,
    RowError,
    cell,
    require_columns,
    run_rows,
)
from common.tabular import Row, Table, normalize_header
from contest import services
from contest.models import Contest, Delegate, Region

User = get_user_model()

EMAIL_COLUMNS = ("email", "e_mail", "email_address", "e_mail_address", "surel")
REGION_COLUMNS = ("region", "region_code", "daerah", "kode", "kode_daerah", "code")


class RegionLookup:
    """Every region, read once: by code ("52.72"), by the list's label
    ("52.72 · Kota Bima") or by a name only one region bears ("Kota Bima")."""

    def __init__(self, regions=None):
        regions = list(Region.objects.all()) if regions is None else list(regions)
        self.by_code = {region.code: region for region in regions}
        self.by_name: dict[str, list[Region]] = {}
        for region in regions:
            self.by_name.setdefault(normalize_header(region.name), []).append(region)

    def find(self, text: str, *, column: str) -> Region:
        text = " ".join(text.split())
        code = text.split("·")[0].strip() if "·" in text else text
        if code in self.by_code:
            return self.by_code[code]
        matches = self.by_name.get(normalize_header(text), [])
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise RowError(
                column,
                _("%(name)s names several regions; give its code.") % {"name": text},
            )
        raise RowError(
            column,
            _("No region has the code or name %(value)s.") % {"value": text[:80]},
        )


def clean_email(row: Row, column: str, value: str) -> str:
    if not value:
        raise RowError(column, _("The e-mail address is missing."))
    try:
        validate_email(value)
    except ValidationError as exc:
        raise RowError(
            column, _("%(value)s is not an e-mail address.") % {"value": value[:80]}
        ) from exc
    return User.objects.normalize_email(value).strip().lower()


def first_column(table: Table, names: tuple[str, ...]) -> str:
    return next((name for name in names if name in table.columns), names[0])


def import_delegates(
    *, contest: Contest, table: Table, by: User, dry_run: bool
) -> Report:
    """Invite or link each row's delegate; `dry_run` answers what would happen
    and writes nothing. A row whose address is already a delegate of that region
    is left as it is (EXISTS). Only an organizer may run it, and not once the
    contest is frozen: one refusal (403, 409) for the whole file."""
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    email_column = first_column(table, EMAIL_COLUMNS)
    region_column = first_column(table, REGION_COLUMNS)
    require_columns(table, [email_column, region_column])
    regions = RegionLookup()

    def handle(row: Row) -> Outcome:
        email = clean_email(row, email_column, cell(row, email_column))
        value = cell(row, region_column)
        if not value:
            raise RowError(region_column, _("The region is missing."))
        region = regions.find(value, column=region_column)
        label = f"{email} · {region.code} {region.name}"
        existing = Delegate.objects.filter(
            contest=contest, user__email__iexact=email, region=region
        ).exists()
        if existing:
            return Outcome(row.line, EXISTS, label=label)
        services.invite_delegate(contest=contest, email=email, region=region, by=by)
        return Outcome(row.line, CREATE, label=label)

    return run_rows(
        table,
        handle,
        dry_run=dry_run,
        columns={"email": email_column, "region": region_column},
        label_of=lambda row: " · ".join(
            filter(None, [cell(row, email_column), cell(row, region_column)])
        ),
    )
