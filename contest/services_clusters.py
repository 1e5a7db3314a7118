"""Writes for a contest's region clusters: create, change, delete, set the regions
by their codes, and the three clusters by type in one step. Organizers only; a
frozen contest refuses (409); each write is in the ledger."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.translation import gettext as _

from common.audit import snapshot
from common.errors import DomainError
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
from common.tabular import Row, Table
from contest import ledger
from contest.enums import RegionType
from contest.imports import REGION_COLUMNS, RegionLookup, first_column
from contest.models import Category, Contest, Region
from contest.models_formats import RegionCluster

User = get_user_model()

CLUSTER_FIELDS = ["name", "slug", "region_type", "order"]
MAX_CODES = 1000


def _locked(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _guard(contest: Contest, by: User) -> Contest:
    contest = _locked(contest)
    ensure_not_frozen(contest)
    require_organizer(contest, by)
    return contest


def _regions_for(codes: Iterable[Any]) -> list[Region]:
    """The regions of `codes`, in order; an unknown code is refused naming it."""
    wanted: list[str] = []
    for code in codes:
        text = str(code).strip() if isinstance(code, str | int) else None
        if not text:
            raise DomainError(
                _("A region code is text such as 35.78."), field="regions"
            )
        if text not in wanted:
            wanted.append(text)
    if len(wanted) > MAX_CODES:
        raise DomainError(
            _("A cluster lists at most %(max)d regions.") % {"max": MAX_CODES},
            field="regions",
        )
    found = Region.objects.in_bulk(wanted)
    unknown = [code for code in wanted if code not in found]
    if unknown:
        raise DomainError(
            _("“%(code)s” is not a region code of the registry.")
            % {"code": unknown[0][:20]},
            field="regions",
        )
    return [found[code] for code in wanted]


def _categories_for(contest: Contest, categories: Iterable[Any]) -> list[Category]:
    out = []
    for category in categories:
        if not isinstance(category, Category) or category.contest_id != contest.pk:
            raise DomainError(
                _("Choose categories of this contest."), field="categories"
            )
        out.append(category)
    return out


def _state(cluster: RegionCluster) -> dict[str, Any]:
    return {
        **snapshot(cluster, CLUSTER_FIELDS),
        "regions": sorted(cluster.regions.values_list("code", flat=True)),
        "categories": sorted(cluster.categories.values_list("pk", flat=True)),
    }


def _check_kind(cluster: RegionCluster, regions: list[Region] | None) -> None:
    if cluster.region_type and regions:
        raise DomainError(
            _(
                "A cluster holds every region of a type or the regions listed, "
                "not both."
            ),
            field="regions",
        )


def _save(cluster: RegionCluster) -> None:
    cluster.full_clean(exclude=["contest", "created_by"])
    if (
        RegionCluster.objects.filter(contest_id=cluster.contest_id, slug=cluster.slug)
        .exclude(pk=cluster.pk)
        .exists()
    ):
        raise DomainError(
            _("This contest already has a cluster with this slug."), field="slug"
        )
    cluster.save()


@transaction.atomic
def create_cluster(
    *,
    contest: Contest,
    by: User,
    regions: Iterable[Any] | None = None,
    categories: Iterable[Any] = (),
    **data: Any,
) -> RegionCluster:
    """A cluster by `region_type`, or of the regions listed by their codes."""
    contest = _guard(contest, by)
    _refuse_unknown(data)
    cluster = RegionCluster(contest=contest, created_by=by, **data)
    region_rows = _regions_for(regions) if regions else []
    _check_kind(cluster, region_rows)
    category_rows = _categories_for(contest, categories)
    _save(cluster)
    cluster.regions.set(region_rows)
    cluster.categories.set(category_rows)
    ledger.record(
        action="cluster.created",
        obj=cluster,
        by=by,
        contest=contest,
        data=_state(cluster),
    )
    return cluster


def _refuse_unknown(data: dict[str, Any]) -> None:
    unknown = sorted(set(data) - set(CLUSTER_FIELDS))
    if unknown:
        raise DomainError(_("This field cannot be changed here."), field=unknown[0])


@transaction.atomic
def update_cluster(
    *,
    cluster: RegionCluster,
    by: User,
    data: dict[str, Any],
) -> RegionCluster:
    """Change the fields in `data`; `regions` (codes) and `categories` replace the
    lists when given."""
    contest = _guard(cluster.contest, by)
    data = dict(data)
    regions = data.pop("regions", None)
    categories = data.pop("categories", None)
    _refuse_unknown(data)
    before = _state(cluster)
    for name, value in data.items():
        setattr(cluster, name, value)
    region_rows = _regions_for(regions) if regions is not None else None
    if cluster.region_type and region_rows is None and before["regions"]:
        region_rows = []
    _check_kind(cluster, region_rows)
    category_rows = (
        _categories_for(contest, categories) if categories is not None else None
    )
    _save(cluster)
    if region_rows is not None:
        cluster.regions.set(region_rows)
    if category_rows is not None:
        cluster.categories.set(category_rows)
    after = _state(cluster)
    diff = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
    if diff:
        ledger.record(
            action="cluster.updated", obj=cluster, by=by, contest=contest, data=diff
        )
    return cluster


def set_cluster_regions(
    *, cluster: RegionCluster, codes: Iterable[Any], by: User
) -> RegionCluster:
    """Replace a listed cluster's regions by those of `codes`."""
    return update_cluster(cluster=cluster, by=by, data={"regions": list(codes)})


def cluster_in_use(cluster: RegionCluster) -> str:
    """Why the cluster cannot be deleted (read through reverse relations: awards
    and stored advancement quotas), or ""."""
    if cluster.awards.exists():
        return _("An award is given within this cluster; remove the award first.")
    used = (
        cluster.contest.stages.filter(advancement__quotas__has_key=cluster.slug)
        .values_list("name", flat=True)
        .first()
    )
    if used is not None:
        return _(
            "The advancement of stage “%(stage)s” used this cluster's quota; "
            "that decision is kept, so the cluster stays."
        ) % {"stage": used}
    return ""


@transaction.atomic
def delete_cluster(*, cluster: RegionCluster, by: User) -> None:
    contest = _guard(cluster.contest, by)
    reason = cluster_in_use(cluster)
    if reason:
        raise DomainError(reason, status=409)
    ledger.record(
        action="cluster.deleted",
        obj=cluster,
        by=by,
        contest=contest,
        data=_state(cluster),
    )
    cluster.delete()


TYPE_CLUSTERS = (RegionType.PROVINSI, RegionType.KABUPATEN, RegionType.KOTA)


@transaction.atomic
def create_type_clusters(*, contest: Contest, by: User) -> list[RegionCluster]:
    """The three clusters by type (provinsi, kabupaten, kota) the contest does not
    have yet, in one step."""
    contest = _guard(contest, by)
    have = set(
        RegionCluster.objects.filter(contest=contest).values_list("slug", flat=True)
    )
    typed = set(
        RegionCluster.objects.filter(contest=contest).values_list(
            "region_type", flat=True
        )
    )
    made = []
    for order, kind in enumerate(TYPE_CLUSTERS, start=1):
        if kind.value in have or kind.value in typed:
            continue
        cluster = RegionCluster(
            contest=contest,
            name=str(kind.label),
            slug=kind.value,
            region_type=kind.value,
            order=order,
            created_by=by,
        )
        _save(cluster)
        made.append(cluster)
    if made:
        ledger.record_many(
            action="cluster.created",
            objs=made,
            by=by,
            contest=contest,
            data=lambda c: snapshot(c, CLUSTER_FIELDS),
        )
    return made


@transaction.atomic
def add_cluster_region(*, cluster: RegionCluster, region: Region, by: User) -> bool:
    """Add one region to a listed cluster; False when it is already there."""
    contest = _guard(cluster.contest, by)
    _check_kind(cluster, [region])
    if cluster.regions.filter(pk=region.pk).exists():
        return False
    cluster.regions.add(region)
    ledger.record(
        action="cluster.region_added",
        obj=cluster,
        by=by,
        contest=contest,
        data={"region": region.code},
    )
    return True


def import_cluster_regions(
    *, cluster: RegionCluster, table: Table, by: User, dry_run: bool
) -> Report:
    """Add each row's region (`region`, by code or name) to a listed cluster;
    `dry_run` answers what would happen and writes nothing."""
    require_organizer(cluster.contest, by)
    ensure_not_frozen(cluster.contest)
    _check_kind(cluster, [None])
    column = first_column(table, REGION_COLUMNS)
    require_columns(table, [column])
    regions = RegionLookup()

    def handle(row: Row) -> Outcome:
        value = cell(row, column)
        if not value:
            raise RowError(column, _("The region is missing."))
        region = regions.find(value, column=column)
        label = f"{region.code} {region.name}"
        added = add_cluster_region(cluster=cluster, region=region, by=by)
        return Outcome(row.line, CREATE if added else EXISTS, label=label)

    return run_rows(
        table,
        handle,
        dry_run=dry_run,
        columns={"regions": column},
        label_of=lambda row: cell(row, column),
    )
