"""Writes for judging, one module per area: judges and panels, conflicts of interest,
the stage's entries, assignments, score sheets, reminders, the rubric while it
may still change, the organizers' messages and the contest's own e-mail texts.
Each write is audited in the ledger.

Once a contest's final results are published the contest is frozen
(`Contest.frozen_at`): every write here refuses with 409 (`_common._guard`, which
calls `common.guards.ensure_not_frozen`). Every change of a sheet's state goes
through `set_sheet_state` (the table is `judging.enums.ALLOWED_SHEET_TRANSITIONS`).
"""

from judging.services.assignments import (
    AssignmentRun,
    ShortfallReport,
    add_assignment,
    add_extra_judge,
    assign_judges,
    remove_assignment,
)
from judging.services.conflicts import (
    ConflictSync,
    DeclaredConflict,
    declare_conflict,
    sync_derived_conflicts,
)
from judging.services.judges import invite_judge, remove_judge, update_judge
from judging.services.messages import (
    Preview,
    audience_of,
    preview_message,
    send_message,
)
from judging.services.reminders import (
    request_reminders,
    send_reminders,
    send_scoring_deadline_reminders,
)
from judging.services.rubric import (
    CRITERION_FIELDS,
    add_criterion,
    check_rubric_editable,
    remove_criterion,
    update_criterion,
)
from judging.services.schedule import (
    book_slot,
    create_slot,
    create_slot_series,
    delete_slot,
    propose_schedule,
    unbook_slot,
    update_slot,
)
from judging.services.schedule_apply import announce_schedule, apply_schedule
from judging.services.sheets import (
    ScoreLineError,
    _record_sheet,  # the demo loader's path (no window check), see judging/demo.py
    ensure_sheet,
    record_sheet,
    reopen_sheet,
    set_sheet_state,
)
from judging.services.stage_entries import StageEntriesChange, set_stage_entries
from judging.services.templates import (
    editable_event_of,
    preview_template,
    restore_default_template,
    save_template,
)
from judging.services.validation import (
    draw_qc_sample,
    record_validation,
    review_qc,
)

__all__ = [
    "CRITERION_FIELDS",
    "AssignmentRun",
    "ConflictSync",
    "DeclaredConflict",
    "Preview",
    "ScoreLineError",
    "ShortfallReport",
    "StageEntriesChange",
    "_record_sheet",
    "add_assignment",
    "add_criterion",
    "add_extra_judge",
    "announce_schedule",
    "apply_schedule",
    "assign_judges",
    "audience_of",
    "book_slot",
    "check_rubric_editable",
    "create_slot",
    "create_slot_series",
    "declare_conflict",
    "delete_slot",
    "draw_qc_sample",
    "editable_event_of",
    "ensure_sheet",
    "invite_judge",
    "preview_message",
    "preview_template",
    "propose_schedule",
    "record_sheet",
    "record_validation",
    "remove_assignment",
    "remove_criterion",
    "remove_judge",
    "reopen_sheet",
    "request_reminders",
    "restore_default_template",
    "review_qc",
    "save_template",
    "send_message",
    "send_reminders",
    "send_scoring_deadline_reminders",
    "set_sheet_state",
    "set_stage_entries",
    "sync_derived_conflicts",
    "unbook_slot",
    "update_criterion",
    "update_judge",
    "update_slot",
]
