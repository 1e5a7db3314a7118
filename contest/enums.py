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


class PeerScoreVisibility(models.TextChoices):
    NEVER = "never", _("Never")
    AFTER_SUBMIT = "after_submit", _("After submitting their own sheet")


class JoinRequestState(models.TextChoices):
    PENDING = "pending", pgettext_lazy("join request", "Awaiting a decision")
    APPROVED = "approved", pgettext_lazy("join request", "Approved")
    DECLINED = "declined", pgettext_lazy("join request", "Declined")
    WITHDRAWN = "withdrawn", pgettext_lazy("join request", "Withdrawn")
