"""Entries collected offline, from a table: one row per entry, each created as a
draft of its region through `services.create_submission_on_behalf`, by the
organizer who imports the table, for one of the region's delegates.

For whom: the entry belongs to a region and stays a draft for one of its delegates
to complete (evidence) and submit: the delegate named in the `delegate` column
(an e-mail address of a delegate of the contest; their region is the entry's), or,
without one, the region's first active delegate (by when they joined) for the
row's `region` (code or name). A region with no delegate is refused: import or
invite its delegates first; a deactivated delegate is refused too. The ledger
names the organizer, with the delegate in its data; the delegate is told by
e-mail. Every rule of `create_submission` holds: the window must be open (checked
once for the whole file, as the freeze and the organizer's role are), the region
eligible, the limit per category kept. A row whose region already has an entry of
that title in that category is left as it is (checked with the region locked)."""

from __future__ import annotations

import datetime as dt
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
from contest.imports import RegionLookup, first_column
from contest.models import Category, Contest, Delegate
from submissions.models import Submission
from submissions.services.on_behalf import _lock_region, create_submission_on_behalf
from submissions.services.workflow import check_window

User = get_user_model()

TEXT_FIELDS = ("title", "summary", "problem", "solution", "impact", "agency")
ALIASES = {
    "delegate": ("delegate", "delegate_email", "operator", "email"),
    "region": ("region", "region_code", "daerah", "kode_daerah"),
    "category": ("category", "kategori"),
    "title": ("title", "judul"),
    "summary": ("summary", "ringkasan"),
    "problem": ("problem", "masalah", "permasalahan"),
    "solution": ("solution", "solusi"),
    "impact": ("impact", "dampak"),
    "started_on": ("started_on", "start_date", "mulai", "tanggal_mulai"),
    "agency": ("agency", "opd", "perangkat_daerah"),
    "links": ("links", "tautan"),
}
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%dT%H:%M:%S")


def parse_date(text: str, *, column: str) -> dt.date | None:
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            # A calendar date, in no zone: the naive parse is what is meant.
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise RowError(
        column,
        _("%(value)s is not a date; write it as 2023-05-31 or 31/05/2023.")
        % {"value": text[:40]},
    )


class _Delegates:
    """The contest's delegates, read once: by e-mail, and per region the first
    whose account is active."""

    def __init__(self, contest: Contest):
        rows = (
            Delegate.objects.filter(contest=contest)
            .select_related("user", "region")
            .order_by("pk")
        )
        self.by_email: dict[str, Delegate] = {}
        self.by_region: dict[str, Delegate] = {}
        for delegate in rows:
            self.by_email[delegate.user.email.lower()] = delegate
            if delegate.user.is_active:
                self.by_region.setdefault(delegate.region_id, delegate)


def _categories(contest: Contest) -> dict[str, Category]:
    found: dict[str, Category] = {}
    for category in Category.objects.filter(contest=contest):
        found[category.slug.lower()] = category
        found[normalize_header(category.name)] = category
    return found


def import_entries(
    *, contest: Contest, table: Table, by: User, dry_run: bool
) -> Report:
    """Create each row's entry as a draft of its region (see the module's note);
    `dry_run` writes nothing. Refused once for the whole file (403, 409)."""
    require_organizer(contest, by)
    ensure_not_frozen(contest)
    check_window(contest)
    columns = {name: first_column(table, names) for name, names in ALIASES.items()}
    require_columns(table, [columns["category"], columns["title"]])
    if (
        columns["delegate"] not in table.columns
        and columns["region"] not in table.columns
    ):
        require_columns(table, [columns["region"]])
    regions = RegionLookup()
    delegates = _Delegates(contest)
    categories = _categories(contest)

    def handle(row: Row) -> Outcome:
        delegate = _delegate_of(row, columns, delegates, regions)
        text = cell(row, columns["category"])
        category = categories.get(text.lower()) or categories.get(
            normalize_header(text)
        )
        if category is None:
            raise RowError(
                columns["category"],
                _("This contest has no category %(value)s.") % {"value": text[:80]},
            )
        data = {name: cell(row, columns[name]) for name in TEXT_FIELDS}
        data["category"] = category
        data["started_on"] = parse_date(
            cell(row, columns["started_on"]), column=columns["started_on"]
        )
        data["links"] = [
            link for link in re.split(r"[\s,;|]+", cell(row, columns["links"])) if link
        ]
        label = f"{delegate.region.name} · {data['title']}"
        _lock_region(delegate.region)
        if Submission.objects.filter(
            contest=contest,
            region=delegate.region,
            category=category,
            title__iexact=data["title"],
        ).exists():
            return Outcome(row.line, EXISTS, label=label)
        create_submission_on_behalf(contest=contest, by=by, delegate=delegate, **data)
        return Outcome(row.line, CREATE, label=label)

    return run_rows(
        table,
        handle,
        dry_run=dry_run,
        columns=columns,
        label_of=lambda row: " · ".join(
            filter(None, [cell(row, columns["region"]), cell(row, columns["title"])])
        ),
    )


def _delegate_of(row: Row, columns, delegates: _Delegates, regions) -> Delegate:
    email = cell(row, columns["delegate"]).lower()
    region_text = cell(row, columns["region"])
    region = (
        regions.find(region_text, column=columns["region"]) if region_text else None
    )
    if email:
        delegate = delegates.by_email.get(email)
        if delegate is None:
            raise RowError(
                columns["delegate"],
                _("%(email)s is not a delegate of this contest.")
                % {"email": email[:80]},
            )
        if region is not None and region.pk != delegate.region_id:
            raise RowError(
                columns["region"],
                _("%(email)s is a delegate of %(region)s, not of this region.")
                % {"email": email[:80], "region": delegate.region.name},
            )
        return delegate
    if region is None:
        raise RowError(columns["region"], _("Give the region or its delegate."))
    delegate = delegates.by_region.get(region.pk)
    if delegate is None:
        raise RowError(
            columns["region"],
            _("%(region)s has no delegate in this contest; invite one first.")
            % {"region": region.name},
        )
    return delegate
