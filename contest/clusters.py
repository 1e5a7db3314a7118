"""Which regions each of a contest's clusters holds: read by eligibility, quotas,
awards and the rankings. A cluster by type holds every region of its type; any
other holds the regions listed for it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from contest.models import Category, Contest, Region
from contest.models_formats import RegionCluster


@dataclass(frozen=True)
class ClusterMembers:
    """A contest's clusters in their order and the region codes of each."""

    clusters: tuple[RegionCluster, ...]
    codes: dict[int, frozenset[str]]

    def of_region(self, code: str) -> list[RegionCluster]:
        return [c for c in self.clusters if code in self.codes.get(c.pk, ())]

    def by_slug(self, slug: str) -> RegionCluster | None:
        return next((c for c in self.clusters if c.slug == slug), None)

    def codes_by_slug(self) -> dict[str, frozenset[str]]:
        return {c.slug: self.codes.get(c.pk, frozenset()) for c in self.clusters}


def cluster_members(contest: Contest) -> ClusterMembers:
    """Three queries whatever the number of clusters and regions (one when the
    contest has none)."""
    clusters = tuple(RegionCluster.objects.filter(contest=contest))
    listed: dict[int, set[str]] = defaultdict(set)
    through = RegionCluster.regions.through.objects.filter(
        regioncluster__contest=contest
    ).values_list("regioncluster_id", "region_id")
    for cluster_id, code in through if clusters else ():
        listed[cluster_id].add(code)
    by_type: dict[str, set[str]] = defaultdict(set)
    if any(c.region_type for c in clusters):
        for code, kind in Region.objects.values_list("code", "type"):
            by_type[kind].add(code)
    codes = {
        c.pk: frozenset(by_type[c.region_type] if c.region_type else listed[c.pk])
        for c in clusters
    }
    return ClusterMembers(clusters=clusters, codes=codes)


def region_in_category_clusters(*, category: Category, region: Region) -> bool:
    """Whether `region` may enter `category`: a category no cluster restricts takes
    every region; one that clusters name takes only the regions of (one of) them.
    One or two queries."""
    clusters = list(category.eligible_clusters.all())
    if not clusters:
        return True
    if any(c.region_type == region.type for c in clusters if c.region_type):
        return True
    listed = [c.pk for c in clusters if not c.region_type]
    return bool(listed) and (
        RegionCluster.regions.through.objects.filter(
            regioncluster_id__in=listed, region_id=region.pk
        ).exists()
    )


def category_cluster_names(category: Category) -> list[str]:
    return [c.name for c in category.eligible_clusters.all()]


def clusters_of(contest: Contest):
    """The contest's clusters in their order, with their regions and categories
    (three queries whatever their number)."""
    return (
        RegionCluster.objects.filter(contest=contest)
        .prefetch_related("regions", "categories")
        .order_by("order", "name", "pk")
    )
