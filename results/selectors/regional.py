"""The regional ranking per region cluster, when the contest has clusters: the
same rule as per region type (results/computing/standings.py `regional_ranking`),
each cluster's regions ranked among themselves; a region in two clusters is
ranked in both."""

from __future__ import annotations

from typing import Any

from contest.clusters import ClusterMembers, cluster_members
from contest.models import Contest, RegionCluster
from results.computing import standings
from results.selectors.standings import RegionRow, Standings


def regional_by_cluster(
    board: Standings, members: ClusterMembers
) -> list[tuple[RegionCluster, list[RegionRow]]]:
    """Each cluster, in its order, with its regions' ranking (no query)."""
    regions = {e.submission.region_id: e.submission.region for e in board.entries}
    rows = [
        (e.submission.region_id, cluster.slug, e.submission.category_id, e.final_score)
        for e in board.entries
        for cluster in members.of_region(e.submission.region_id)
    ]
    ranked = standings.regional_ranking(rows)
    return [
        (
            cluster,
            [RegionRow(regions[r.region], r) for r in ranked.get(cluster.slug, [])],
        )
        for cluster in members.clusters
    ]


def regional_groups(
    contest: Contest, board: Standings | None, *, type_label
) -> list[tuple[str, list[RegionRow]]]:
    """(label, rows) per cluster when the contest has clusters, else per region
    type (`type_label` names a type); at most three queries."""
    if board is None:
        return []
    members = cluster_members(contest)
    if not members.clusters:
        return [(type_label(key), rows) for key, rows in board.regional.items()]
    return [
        (cluster.name, rows) for cluster, rows in regional_by_cluster(board, members)
    ]


def regional_clusters_snapshot(
    contest: Contest, board: Standings, row_snapshot
) -> dict[str, Any]:
    """{"regional_clusters": [...]} for a contest with clusters, else {} (so the
    snapshot of a contest without clusters keeps its shape)."""
    members = cluster_members(contest)
    if not members.clusters:
        return {}
    return {
        "regional_clusters": [
            {
                "cluster": cluster.slug,
                "name": cluster.name,
                "rows": [row_snapshot(cluster.slug, row) for row in rows],
            }
            for cluster, rows in regional_by_cluster(board, members)
        ]
    }
