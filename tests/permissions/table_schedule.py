"""The permission table's rows for the schedule routes (see table.py for the helpers:
`Row`, `page`, `write`, `by_state`, `on_entry`, the role sets). `API` rows are
marked as API rows by table.py."""

from __future__ import annotations

from tests.permissions.scenario import MISSING
from tests.permissions.table import (
    API_STAGE,
    SIGNED_IN,
    STAGE,
    Row,
    api,
    api_write,
    nobody,
    page,
    write,
)

# The scenario has no session: the organizers get 404 where one is named.
SLOT_MISSING = {**STAGE, "pk": f"={MISSING}"}
API_SLOT_MISSING = {**API_STAGE, "pk": f"={MISSING}"}

PAGES: dict[str, Row] = {
    row.name: row
    for row in (
        Row("judging:my-schedule", {"get": page(SIGNED_IN)}),
        Row("judging:schedule", {"get": page()}, STAGE),
        Row("judging:schedule-series", {"post": write()}, STAGE),
        Row("judging:slot-add", {"post": write()}, STAGE),
        Row(
            "judging:slot-edit",
            {"get": page(ok=404), "post": page(ok=404)},
            SLOT_MISSING,
        ),
        Row("judging:slot-delete", {"post": page(ok=404)}, SLOT_MISSING),
        Row("judging:slot-unbook", {"post": page(ok=404)}, SLOT_MISSING),
        Row("judging:schedule-apply", {"post": write()}, STAGE),
        Row("judging:schedule-announce", {"post": write()}, STAGE),
    )
}
API: dict[str, Row] = {
    row.name: row
    for row in (
        Row("stage-slot-list", {"get": api(), "post": api_write()}, API_STAGE),
        Row(
            "stage-slot-detail",
            {
                "get": api(ok=404),
                "patch": api(ok=404),
                "delete": api(ok=404),
                "put": nobody(405),
            },
            API_SLOT_MISSING,
        ),
        Row("schedule-propose", {"post": api_write()}, API_STAGE),
        Row("schedule-apply", {"post": api_write()}, API_STAGE),
        Row("schedule-announce", {"post": api_write()}, API_STAGE),
        Row("my-schedule-list", {"get": api(SIGNED_IN)}),
    )
}
