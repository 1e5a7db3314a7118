"""States and kinds of the judging app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ConflictSource(models.TextChoices):
    DERIVED = "derived", pgettext_lazy("conflict source", "Derived")
    DECLARED = "declared", pgettext_lazy("conflict source", "Declared")


class ConflictRule(models.TextChoices):
    """Why a conflict is derived from the judge's and the entry's regions."""

    SAME_REGION = "same_region", _("The judge's home region entered it")
    SAME_PROVINCE = "same_province", _("It comes from the judge's home province")
    PROVINCE_JUDGE = (
        "province_judge",
        _("The judge's home is its province (a province-level judge)"),
    )
    DELEGATE_REGION = (
        "delegate_region",
        _("The judge is a delegate of its region, or of a region of its province"),
    )


class SheetState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("score sheet state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("score sheet state", "Submitted")


# The changes of ScoreSheet.state that judging.services.set_sheet_state makes: a
# judge submits a draft, an organizer reopens a submitted sheet.
ALLOWED_SHEET_TRANSITIONS: dict[str, frozenset[str]] = {
    SheetState.DRAFT: frozenset({SheetState.SUBMITTED}),
    SheetState.SUBMITTED: frozenset({SheetState.DRAFT}),
}


class Progress(models.TextChoices):
    """What a judge has done with one assignment (no sheet yet: not started)."""

    NOT_STARTED = "not_started", pgettext_lazy("scoring progress", "Not started")
    DRAFT = "draft", pgettext_lazy("scoring progress", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("scoring progress", "Submitted")


PROGRESS_TONES: dict[str, str] = {
    Progress.NOT_STARTED: "neutral",
    Progress.DRAFT: "warning",
    Progress.SUBMITTED: "success",
}


class PackKind(models.TextChoices):
    """A file prepared for offline judging (judging.packs)."""

    ENTRY_PDF = "entry_pdf", _("Printable PDF of an entry")
    STAGE_ZIP = "stage_zip", _("ZIP of a stage's evidence for one category")


class PackState(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("prepared file state", "Queued")
    RUNNING = "running", pgettext_lazy("prepared file state", "Being prepared")
    DONE = "done", pgettext_lazy("prepared file state", "Ready")
    FAILED = "failed", pgettext_lazy("prepared file state", "Failed")


PACK_TONES: dict[str, str] = {
    PackState.QUEUED: "neutral",
    PackState.RUNNING: "info",
    PackState.DONE: "success",
    PackState.FAILED: "danger",
}


class Verdict(models.TextChoices):
    """A validator's finding on one indicator's evidence (indicator stages)."""

    PENDING = "pending", pgettext_lazy("indicator verdict", "Not validated yet")
    VALID = "valid", pgettext_lazy("indicator verdict", "Valid")
    INVALID = "invalid", pgettext_lazy("indicator verdict", "Invalid")
    REVISION = "revision", pgettext_lazy("indicator verdict", "Needs revision")


VERDICT_TONES: dict[str, str] = {
    Verdict.PENDING: "neutral",
    Verdict.VALID: "success",
    Verdict.INVALID: "danger",
    Verdict.REVISION: "warning",
}


class QualityCheck(models.TextChoices):
    """A second reviewer's finding on a sampled validation (quality control)."""

    NOT_SAMPLED = "", pgettext_lazy("quality control", "Not in the sample")
    SAMPLED = "sampled", pgettext_lazy("quality control", "Sampled, to be checked")
    CONFIRMED = "confirmed", pgettext_lazy("quality control", "Confirmed")
    OVERTURNED = "overturned", pgettext_lazy("quality control", "Overturned")
