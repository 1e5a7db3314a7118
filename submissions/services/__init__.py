"""Writes for entries and their evidence, one module per area: workflow (the checks,
the one state change, submit, withdraw, reopen), entries (create, update, delete),
screening (the decision, revision requests, evidence review) and evidence (files,
links, removal, image processing). Every state change goes through
`set_submission_state`, which checks the transition and writes the audit ledger."""

from submissions.models import SUBMISSION_FIELDS
from submissions.services.answers import (
    clear_answer,
    save_answers,
    save_file_answer,
)
from submissions.services.answers_required import (
    answer_rows,
    check_required_answers,
    questions_for,
    unanswered_required,
)
from submissions.services.bulk import (
    apply_bulk_action,
    bulk_request_revision,
    bulk_screen,
    bulk_write_to_delegates,
    check_bulk_input,
)
from submissions.services.entries import (
    _create_submission,
    create_submission,
    delete_submission,
    update_submission,
)
from submissions.services.evidence import (
    _attach_files,
    add_evidence_file,
    add_evidence_files,
    add_evidence_link,
    edit_evidence,
    images_waiting,
    process_evidence_image,
    remove_evidence,
)
from submissions.services.history import (
    claim_previous_entry,
    confirm_previous_entry,
    previous_entry_choices,
)
from submissions.services.indicators import (
    answer_window,
    check_indicator_open,
    reached_stage,
    save_indicator_answers,
)
from submissions.services.on_behalf import create_submission_on_behalf
from submissions.services.reminders import (
    remind_draft_delegates,
    send_deadline_reminders,
)
from submissions.services.saved_filters import (
    delete_filter,
    filter_params,
    save_filter,
)
from submissions.services.screening import (
    MAX_REVISION_TIME,
    check_revision_request,
    request_revision,
    review_evidence,
    screen_submission,
)
from submissions.services.workflow import (
    check_eligibility,
    check_open_for_changes,
    check_window,
    reopen_submission,
    set_submission_state,
    submit_submission,
    withdraw_submission,
)

# `_create_submission` and `_attach_files`: the demo loader's entry points (the demo
# contest's window was in 2023); every other rule applies to them.
__all__ = [
    "MAX_REVISION_TIME",
    "SUBMISSION_FIELDS",
    "_attach_files",
    "_create_submission",
    "add_evidence_file",
    "add_evidence_files",
    "add_evidence_link",
    "answer_rows",
    "answer_window",
    "apply_bulk_action",
    "bulk_request_revision",
    "bulk_screen",
    "bulk_write_to_delegates",
    "check_bulk_input",
    "check_eligibility",
    "check_indicator_open",
    "check_open_for_changes",
    "check_required_answers",
    "check_revision_request",
    "check_window",
    "claim_previous_entry",
    "clear_answer",
    "confirm_previous_entry",
    "create_submission",
    "create_submission_on_behalf",
    "delete_filter",
    "delete_submission",
    "edit_evidence",
    "filter_params",
    "images_waiting",
    "previous_entry_choices",
    "process_evidence_image",
    "questions_for",
    "reached_stage",
    "remind_draft_delegates",
    "remove_evidence",
    "reopen_submission",
    "request_revision",
    "review_evidence",
    "save_answers",
    "save_file_answer",
    "save_filter",
    "save_indicator_answers",
    "screen_submission",
    "send_deadline_reminders",
    "set_submission_state",
    "submit_submission",
    "unanswered_required",
    "update_submission",
    "withdraw_submission",
]
