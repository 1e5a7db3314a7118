"""The permission table's rows for the indicators routes (see table.py for the helpers:
`Row`, `page`, `write`, `by_state`, `on_entry`, the role sets). `API` rows are
marked as API rows by table.py.

The scenario's stage is a scoring stage: the indicator routes answer the roles
they let through with 404 (no such indicator stage), everyone else as below."""

from __future__ import annotations

from tests.permissions.table import (
    ENTRY,
    JUDGES,
    ORGANIZERS,
    Row,
    _rows,
    api,
    on_entry,
    page,
)
from tests.permissions.table import nobody as _nobody

VALIDATORS = ORGANIZERS | JUDGES
STAGE = {"slug": "contest", "stage_pk": "stage"}
API_STAGE = {"contest_slug": "contest", "stage_pk": "stage"}
ONE = {**API_STAGE, "submission_pk": "entry", "criterion_pk": "criterion"}
ENTRY_STAGE = {**ENTRY, "stage_pk": "stage"}
READERS = {"delegate", *ORGANIZERS}

# 404 for the roles let through (the stage is not an indicator stage).
validator_page = page(VALIDATORS, ok=404)
validator_api = api(VALIDATORS, ok=404)

PAGES: dict[str, Row] = _rows(
    # results: the live index and its advancement (the organizers' pages 404 on a
    # scoring stage; the public ranking and the API 404 for everyone there).
    Row("results:index", {"get": page(ok=404)}, STAGE),
    Row("results:index-public", {"get": _nobody(404)}, STAGE),
    Row(
        "results:index-advance",
        {"get": page(ok=404), "post": page(ok=404)},
        STAGE,
    ),
    Row(
        "submissions:indicators",
        {
            "get": on_entry(page, READERS, ok=404),
            "post": on_entry(page, {"delegate"}, ok=404),
        },
        ENTRY_STAGE,
    ),
    Row(
        "submissions:indicator-evidence",
        {"post": on_entry(page, {"delegate"}, ok=404)},
        {**ENTRY_STAGE, "criterion_pk": "criterion"},
    ),
    Row("judging:validation-queue", {"get": validator_page}, STAGE),
    Row(
        "judging:validation-qc",
        {"get": validator_page, "post": validator_page},
        STAGE,
    ),
    Row(
        "judging:validation-qc-review",
        {"post": validator_page},
        {**STAGE, "pk": "=1"},
    ),
    Row(
        "judging:validation-entry",
        {"get": validator_page},
        {**STAGE, "submission_pk": "entry"},
    ),
    Row(
        "judging:validation-verdict",
        {"post": validator_page},
        {**STAGE, "submission_pk": "entry", "criterion_pk": "criterion"},
    ),
)
API: dict[str, Row] = _rows(
    Row("stage-index", {"get": _nobody(404)}, API_STAGE),
    Row(
        "submission-indicators",
        {
            "get": on_entry(api, READERS),
            "put": on_entry(api, {"delegate"}, ok="passed"),
        },
        {"contest_slug": "contest", "pk": "entry"},
    ),
    Row("stage-validations", {"get": validator_api}, API_STAGE),
    Row("stage-validation", {"put": validator_api}, ONE),
    Row("stage-validation-qc", {"post": validator_api}, ONE),
    Row(
        "stage-qc-sample",
        {"get": validator_api, "post": validator_api},
        API_STAGE,
    ),
)
