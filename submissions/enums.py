from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubmissionState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("entry state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("entry state", "Submitted")
    REVISION_REQUESTED = (
        "revision_requested",
        pgettext_lazy("entry state", "Revision requested"),
    )
    ELIGIBLE = "eligible", pgettext_lazy("entry state", "Eligible")
    INELIGIBLE = "ineligible", pgettext_lazy("entry state", "Ineligible")
    ADVANCED = "advanced", pgettext_lazy("entry state", "Advanced")
    NOT_ADVANCED = "not_advanced", pgettext_lazy("entry state", "Not advanced")
    WITHDRAWN = "withdrawn", pgettext_lazy("entry state", "Withdrawn")


S = SubmissionState

# services.set_submission_state allows only these state changes.
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.WITHDRAWN}),
    S.SUBMITTED: frozenset(
        {S.ELIGIBLE, S.INELIGIBLE, S.REVISION_REQUESTED, S.WITHDRAWN, S.DRAFT}
    ),
    S.REVISION_REQUESTED: frozenset(
        {S.SUBMITTED, S.ELIGIBLE, S.INELIGIBLE, S.WITHDRAWN}
    ),
    S.ELIGIBLE: frozenset({S.ADVANCED, S.NOT_ADVANCED, S.SUBMITTED, S.WITHDRAWN}),
    S.INELIGIBLE: frozenset({S.SUBMITTED}),
    S.ADVANCED: frozenset({S.NOT_ADVANCED, S.ELIGIBLE}),
    S.NOT_ADVANCED: frozenset({S.ELIGIBLE}),
    S.WITHDRAWN: frozenset({S.DRAFT}),
}

# Where an organizer's "reopen" takes an entry: a submitted entry (or a withdrawn one)
# goes back to draft for its delegates; a screening decision is undone.
REOPEN_TARGETS: dict[str, str] = {
    S.SUBMITTED: S.DRAFT,
    S.WITHDRAWN: S.DRAFT,
    S.ELIGIBLE: S.SUBMITTED,
    S.INELIGIBLE: S.SUBMITTED,
}

# States in which delegates may change the entry (window or deadline allowing).
EDITABLE_STATES = frozenset({S.DRAFT, S.REVISION_REQUESTED})
WITHDRAWABLE_STATES = frozenset(
    {S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.ELIGIBLE}
)
SCREENABLE_STATES = frozenset({S.SUBMITTED, S.REVISION_REQUESTED})
# Entries that count towards a region's limit per category.
COUNTED_STATES = frozenset(set(S.values) - {S.WITHDRAWN})

STATE_TONES: dict[str, str] = {
    S.DRAFT: "neutral",
    S.SUBMITTED: "info",
    S.REVISION_REQUESTED: "warning",
    S.ELIGIBLE: "success",
    S.INELIGIBLE: "danger",
    S.ADVANCED: "accent",
    S.NOT_ADVANCED: "neutral",
    S.WITHDRAWN: "neutral",
}


class EvidenceKind(models.TextChoices):
    FILE = "file", _("File")
    LINK = "link", _("Link")


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not reviewed yet")
    VALID = "valid", _("Valid")
    INVALID = "invalid", _("Invalid")
    NEEDS_REVISION = "needs_revision", _("Needs revision")


REVIEW_TONES: dict[str, str] = {
    ReviewStatus.PENDING: "neutral",
    ReviewStatus.VALID: "success",
    ReviewStatus.INVALID: "danger",
    ReviewStatus.NEEDS_REVISION: "warning",
}
# A review with one of these needs a note saying why.
REVIEW_NEEDS_NOTE = frozenset({ReviewStatus.INVALID, ReviewStatus.NEEDS_REVISION})


class PreviousEntryState(models.TextChoices):
    """The link an entry claims to an earlier entry of the same innovation."""

    NONE = "", pgettext_lazy("earlier entry link", "No earlier entry named")
    CLAIMED = "claimed", pgettext_lazy("earlier entry link", "Named, not yet checked")
    CONFIRMED = "confirmed", pgettext_lazy("earlier entry link", "Confirmed")
    REJECTED = "rejected", pgettext_lazy("earlier entry link", "Rejected")
