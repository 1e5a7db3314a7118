"""The receipt of an entry's submission: who reads it and what it says."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import rules

from contest.rules import is_contest_organizer
from submissions.models import Evidence, Submission
from submissions.rules import is_region_delegate

# The region's delegates keep it; the organizers may print it for them.
can_read_receipt = is_region_delegate | is_contest_organizer


def may_read_receipt(user, submission: Submission) -> bool:
    return can_read_receipt.test(user, submission)


@dataclass(frozen=True)
class Receipt:
    number: str
    submitted_at: dt.datetime
    submission: Submission
    evidence: list[Evidence]

    @property
    def total_size(self) -> int:
        return sum(item.size for item in self.evidence)


def submission_receipt(submission: Submission) -> Receipt:
    """What the entry's last submission carried: its number, its time, the entry's
    text as submitted (the entry cannot change until it is sent back) and its
    evidence. `submission` comes with its evidence prefetched
    (selectors.submission_with_evidence)."""
    return Receipt(
        number=submission.receipt_number,
        submitted_at=submission.submitted_at,
        submission=submission,
        evidence=list(submission.evidence.all()),
    )


rules.add_perm("submissions.read_receipt_submission", can_read_receipt)
