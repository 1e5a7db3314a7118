"""Judges from a table: one row per judge (`email`, `name`, `home_region` by code
or name, `categories` by slug or name, separated by commas, semicolons or `|`),
each invited or linked through `services.invite_judge`, as on the panels page.
An address that is already a judge of the contest is left as it is."""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
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
from contest.imports import EMAIL_COLUMNS, RegionLookup, clean_email, first_column
from contest.models import Category, Contest
from judging import services
from judging.models import Judge

User = get_user_model()

NAME_COLUMNS = ("name", "nama", "full_name", "judge")
REGION_COLUMNS = ("home_region", "region", "daerah", "daerah_asal", "home_region_code")
CATEGORY_COLUMNS = ("categories", "category", "kategori", "expertise", "keahlian")


class CategoryLookup:
    """The contest's categories by slug or by name (any case)."""

    def __init__(self, contest: Contest):
        self.by_key: dict[str, Category] = {}
        for category in Category.objects.filter(contest=contest):
            self.by_key[category.slug.lower()] = category
            self.by_key[normalize_header(category.name)] = category

    def find_all(self, text: str, *, column: str) -> list[Category]:
        found: list[Category] = []
        for part in filter(None, (p.strip() for p in re.split(r"[,;|]", text))):
            category = self.by_key.get(part.lower()) or self.by_key.get(
                normalize_header(part)
            )
            if category is None:
                raise RowError(
                    column,
                    _("This contest has no category %(value)s.") % {"value": part[:80]},
                )
            if category not in found:
                found.append(category)
        return found


def import_judges(*, contest: Contest, table: Table, by: User, dry_run: bool) -> Report:
    """Invite or link each row's judge; `dry_run` answers what would happen and
    writes nothing. Only an organizer may run it, and not once the contest is
    frozen: one refusal (403, 409) for the whole file."""
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    email_column = first_column(table, EMAIL_COLUMNS)
    name_column = first_column(table, NAME_COLUMNS)
    region_column = first_column(table, REGION_COLUMNS)
    category_column = first_column(table, CATEGORY_COLUMNS)
    require_columns(table, [email_column])
    regions = RegionLookup()
    categories = CategoryLookup(contest)

    def handle(row: Row) -> Outcome:
        email = clean_email(row, email_column, cell(row, email_column))
        name = cell(row, name_column)
        if len(name) > 150:
            raise RowError(name_column, _("The name is longer than 150 characters."))
        region_text = cell(row, region_column)
        home = regions.find(region_text, column=region_column) if region_text else None
        expertise = categories.find_all(
            cell(row, category_column), column=category_column
        )
        label = " · ".join(filter(None, [email, name]))
        if Judge.objects.filter(contest=contest, user__email__iexact=email).exists():
            return Outcome(row.line, EXISTS, label=label)
        services.invite_judge(
            contest=contest,
            email=email,
            by=by,
            name=name,
            home_region=home,
            categories=expertise,
        )
        return Outcome(row.line, CREATE, label=label)

    return run_rows(
        table,
        handle,
        dry_run=dry_run,
        columns={
            "email": email_column,
            "name": name_column,
            "home_region": region_column,
            "categories": category_column,
        },
        label_of=lambda row: " · ".join(
            filter(None, [cell(row, email_column), cell(row, name_column)])
        ),
    )
