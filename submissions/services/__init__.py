"""Writes for entries and their evidence, one module per area: workflow (the checks,
the one state change, submit, withdraw, reopen), entries (create, update, delete),
screening (the decision, revision requests, evidence review) and evidence (files,
links, removal, image processing). Every state change goes through
`set_submission_state`, which checks the transition and writes the audit ledger."""

from submissions.models import SUBMISSION_FIELDS
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
    images_waiting,
    process_evidence_image,
    remove_evidence,
)
from submissions.services.reminders import send_deadline_reminders
from submissions.services.screening import (
    MAX_REVISION_TIME,
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
    "check_eligibility",
    "check_open_for_changes",
    "check_window",
    "create_submission",
    "delete_submission",
    "images_waiting",
    "process_evidence_image",
    "remove_evidence",
    "reopen_submission",
    "request_revision",
    "review_evidence",
    "screen_submission",
    "send_deadline_reminders",
    "set_submission_state",
    "submit_submission",
    "update_submission",
    "withdraw_submission",
]
