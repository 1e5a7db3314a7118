"""Writes for entries and their evidence, one module per area: workflow (the checks,
the one state change, submit, withdraw, reopen), entries (create, update, delete),
screening (the decision, revision requests, evidence review) and evidence (files,
links, removal, image processing). Every state change goes through
`set_submission_state`, which checks the transition and writes the audit ledger."""

from submissions.models import SUBMISSION_FIELDS
from submissions.services.bulk import (
    apply_bulk_action,
    bulk_request_revision,
    bulk_screen,
    bulk_write_to_delegates,
    check_bulk_input,
    check_message,
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
    "apply_bulk_action",
    "bulk_request_revision",
    "bulk_screen",
    "bulk_write_to_delegates",
    "check_bulk_input",
    "check_eligibility",
    "check_message",
    "check_open_for_changes",
    "check_revision_request",
    "check_window",
    "create_submission",
    "create_submission_on_behalf",
    "delete_filter",
    "delete_submission",
    "edit_evidence",
    "filter_params",
    "images_waiting",
    "process_evidence_image",
    "remind_draft_delegates",
    "remove_evidence",
    "reopen_submission",
    "request_revision",
    "review_evidence",
    "save_filter",
    "screen_submission",
    "send_deadline_reminders",
    "set_submission_state",
    "submit_submission",
    "update_submission",
    "withdraw_submission",
]
