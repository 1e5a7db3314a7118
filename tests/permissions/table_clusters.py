"""The permission table's rows for the clusters routes (see table.py for the helpers:
`Row`, `page`, `write`, `by_state`, `on_entry`, the role sets). `API` rows are
marked as API rows by table.py."""

from __future__ import annotations

from tests.permissions.scenario import MISSING
from tests.permissions.table import (
    API_CONTEST,
    API_PK,
    CONTEST,
    Row,
    api,
    api_write,
    nobody,
    on_entry,
    page,
    write,
)

# The scenario has no cluster: the organizers get 404 where one is named.
CLUSTER_MISSING = {**CONTEST, "pk": f"={MISSING}"}
API_CLUSTER_MISSING = {**API_CONTEST, "pk": f"={MISSING}"}

PAGES: dict[str, Row] = {
    row.name: row
    for row in (
        Row("contest:clusters", {"get": page(), "post": write()}, CONTEST),
        Row("contest:cluster-types", {"post": write()}, CONTEST),
        Row(
            "contest:cluster-edit",
            {"get": page(ok=404), "post": page(ok=404)},
            CLUSTER_MISSING,
        ),
        Row("contest:cluster-delete", {"post": page(ok=404)}, CLUSTER_MISSING),
        Row(
            "contest:cluster-import",
            {"get": page(ok=404), "post": page(ok=404)},
            CLUSTER_MISSING,
        ),
        Row(
            "submissions:screening-previous-entry",
            {"post": on_entry(write)},
            {"slug": "contest", "pk": "entry"},
        ),
    )
}
API: dict[str, Row] = {
    row.name: row
    for row in (
        Row("cluster-list", {"get": api(), "post": api_write()}, API_CONTEST),
        Row(
            "cluster-detail",
            {
                "get": api(ok=404),
                "patch": api(ok=404),
                "delete": api(ok=404),
                "put": nobody(405),
            },
            API_CLUSTER_MISSING,
        ),
        Row("cluster-import", {"post": api_write()}, API_CLUSTER_MISSING),
        Row("submission-previous-entry", {"post": on_entry(api_write)}, API_PK),
    )
}
