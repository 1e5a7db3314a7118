from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegionType(models.TextChoices):
    PROVINSI = "provinsi", _("Province")
    KABUPATEN = "kabupaten", _("Regency")
    KOTA = "kota", _("City")


class ContestTimezone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (Western Indonesia, UTC+7)")
    WITA = "Asia/Makassar", _("WITA (Central Indonesia, UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (Eastern Indonesia, UTC+9)")


TIMEZONE_ABBREVIATIONS = {
    ContestTimezone.WIB: "WIB",
    ContestTimezone.WITA: "WITA",
    ContestTimezone.WIT: "WIT",
}


class StageKind(models.TextChoices):
    SCREENING = "screening", pgettext_lazy("stage kind", "Screening")
    SCORING = "scoring", pgettext_lazy("stage kind", "Scoring")
    INDICATOR = "indicator", pgettext_lazy("stage kind", "Indicators")


# The stages entries pass through after screening, in order: the first takes every
# eligible entry, each later one the entries advanced from the one before.
JUDGED_STAGE_KINDS = (StageKind.SCORING, StageKind.INDICATOR)


class PeerScoreVisibility(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_SUBMIT = "after_submit", _("After submitting their own sheet")


class JoinRequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("join request", "Awaiting a decision")
    APPROVED = "approved", pgettext_lazy("join request", "Approved")
    DECLINED = "declined", pgettext_lazy("join request", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("join request", "Withdrawn")


class QuestionKind(models.TextChoices):
    SHORT_TEXT = "short_text", pgettext_lazy("question kind", "Short text")
    LONG_TEXT = "long_text", pgettext_lazy("question kind", "Long text")
    NUMBER = "number", pgettext_lazy("question kind", "Number")
    DATE = "date", pgettext_lazy("question kind", "Date")
    CHOICE = "choice", pgettext_lazy("question kind", "One choice")
    CHOICES = "choices", pgettext_lazy("question kind", "Several choices")
    LINK = "link", pgettext_lazy("question kind", "Link")
    FILE = "file", pgettext_lazy("question kind", "File")


class IndexAggregation(models.TextChoices):
    MEAN = "mean", pgettext_lazy("index aggregation", "Mean of its entries")
    SUM = "sum", pgettext_lazy("index aggregation", "Sum of its entries, capped")
