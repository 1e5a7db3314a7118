"""The audit ledger: an append-only log whose entries are chained by SHA-256. One
module per part: `chain` (canonical JSON, hashing, appending, `verify_chain`), `rows`
(the audited models, row hashes, `verify_rows`), `writing` (`record`,
`record_many`), `anchor` (the end of the chain), `tables` (the declarative form
apps register their audited models in) and `contest_rows` (the contest app's
audited models); every name is imported from `contest.ledger` itself.

The chain
    Each entry's hash covers its own canonical content and the previous entry's hash,
    so changing or removing any entry breaks every hash after it. Writers lock the
    single LedgerHead row, which serializes appends across processes and machines.

The rows
    Each entry also records `row_hash`: the SHA-256 of the audited row's state right
    after the change, the canonical JSON of the fields registered for its model (and of
    its registered children: a submitted sheet's scores, a judge's panels). `record()`
    reads that state back from the database, in the caller's transaction, so it hashes
    what is stored and not what an instance in memory holds.

    Why at call time: the entry's own hash covers `row_hash`, and an entry is final
    the moment it is chained (the next writer chains onto it), so the row hash cannot
    be filled in later, at commit. The rule that makes this hold is therefore an order:
    every service calls `record()` after the last write of its change (the services
    were checked for it; `tests/contest/test_ledger_life.py` runs a contest's whole
    life through them, every audited kind included, and verifies after each step, and
    `tests/contest/test_ledger_tamper.py` loads the demo and verifies it: a write after
    `record()` fails those tests rather than a contest's audit).

    Only registered fields count, so a row may change without an entry where nothing
    audited changes: a thumbnail written by a task, `updated_at`, a sheet's version
    counter, a draft sheet's scores (a judge's working copy, counted nowhere; they are
    hashed from the moment the sheet is submitted), the accounts behind `created_by`
    (set to NULL when an account is deleted; the actor is in the entry itself). Apps
    register their models from their AppConfig.ready() (the ledger lives in
    `contest`, which imports no higher app), each as one table of `Rows` (model,
    fields, path to the contest, `Children`) and `ChildrenOf` handed to
    `register_rows()` (see `tables`).

    Deletions: an action ending in "removed" or "deleted" (or `deleted=True`) records
    the row as gone (`ROW_DELETED`); verification then checks it no longer exists. A
    registered row that has entries and is deleted through the ORM without one (a
    cascade, a bulk delete inside a service) gets its own entry from a `pre_delete`
    receiver, so only a deletion that bypasses the ORM (SQL) is unrecorded, and
    verification reports that row as missing.

    `verify_rows()` takes the last entry of every audited row and compares its
    `row_hash` with the row's current state: one query per model (and one per child
    relation), not one per row. Entries written before row hashes existed have an
    empty `row_hash`, which the entry's hashed payload then leaves out, so they still
    verify; their rows are checked from their next entry on.

    Every row has an entry: a row that none records (inserted by SQL) is reported
    as "not in the ledger". Services that write many audited rows at once (an
    assignment run, a stage's entries, the derived conflicts) record them with
    `record_many()`: one entry per row, with the head locked once and one query per
    model, whatever the number of rows. Which rows the check covers: on a database
    that held rows without entries when this check came (written by older code),
    the migration `contest 0003_ledger_rows_baseline` wrote one chained entry
    listing them (`baseline_entry`), and every other row must have an entry; on a
    database without such an entry, every row of a model from its first row with a
    row hash on (what a test's factories make before it is left alone).

The end of the chain
    Deleting the last entries and moving the head back leaves a shorter chain that is
    consistent in itself. `head_anchor()` (the `ledger_anchor` command) exports the head
    to be kept outside the database; `check_anchor()` (`verify_ledger --anchor FILE`)
    proves the chain still extends it. Publications and stage minutes record the head
    too, and `verify_publications` checks that their head is still in the chain.
"""

from common.audit import changes  # judging.services calls ledger.changes
from contest.ledger import contest_rows  # noqa: F401 (registers the contest's models)
from contest.ledger.anchor import (
    AnchorError,
    chain_has_hash,
    check_anchor,
    head_anchor,
    parse_anchor,
)
from contest.ledger.chain import (
    GENESIS_HASH,
    LedgerProblem,
    canonical_json,
    entry_hash,
    entry_payload,
    kept_stamp,
    verify_chain,
    verify_head,
)
from contest.ledger.rows import (
    BASELINE_ACTION,
    BASELINE_OBJECT_TYPE,
    FORMER_LABELS,
    REMOVAL_SUFFIXES,
    ROW_DELETED,
    Audited,
    RelatedState,
    RowCheck,
    RowProblem,
    _last_row_hashes,
    add_related,
    audited_models,
    baseline_entry,
    children,
    labels_of,
    pk_ranges,
    register,
    row_hash,
    row_hashes,
    verify_rows,
)
from contest.ledger.tables import Children, ChildrenOf, Rows, register_rows
from contest.ledger.writing import (
    record,
    record_many,
)

__all__ = [
    "BASELINE_ACTION",
    "BASELINE_OBJECT_TYPE",
    "FORMER_LABELS",
    "GENESIS_HASH",
    "REMOVAL_SUFFIXES",
    "ROW_DELETED",
    "AnchorError",
    "Audited",
    "Children",
    "ChildrenOf",
    "LedgerProblem",
    "RelatedState",
    "RowCheck",
    "RowProblem",
    "Rows",
    "_last_row_hashes",
    "add_related",
    "audited_models",
    "baseline_entry",
    "canonical_json",
    "chain_has_hash",
    "changes",
    "check_anchor",
    "children",
    "entry_hash",
    "entry_payload",
    "head_anchor",
    "kept_stamp",
    "labels_of",
    "parse_anchor",
    "pk_ranges",
    "record",
    "record_many",
    "register",
    "register_rows",
    "row_hash",
    "row_hashes",
    "verify_chain",
    "verify_head",
    "verify_rows",
]
