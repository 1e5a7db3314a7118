"""Kinds and defaults of the results: publications, awards, objections, score bands."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PublicationKind(models.TextChoices):
    PROVISIONAL = "provisional", pgettext_lazy("publication kind", "Provisional")
    FINAL = "final", pgettext_lazy("publication kind", "Final")


class AwardKind(models.TextChoices):
    PLACE = "place", pgettext_lazy("award kind", "Place in a category")
    SPECIAL = "special", pgettext_lazy("award kind", "Special award")
    REGIONAL = "regional", pgettext_lazy("award kind", "Regional ranking")


class ObjectionOutcome(models.TextChoices):
    PENDING = "pending", pgettext_lazy("objection outcome", "Awaiting an answer")
    UPHELD = "upheld", pgettext_lazy("objection outcome", "Upheld")
    DISMISSED = "dismissed", pgettext_lazy("objection outcome", "Dismissed")


OBJECTION_TONES = {
    ObjectionOutcome.PENDING: "warning",
    ObjectionOutcome.UPHELD: "success",
    ObjectionOutcome.DISMISSED: "neutral",
}

# The places of a category, best first (rank 1-6).
PLACE_NAMES = [
    "Terbaik I",
    "Terbaik II",
    "Terbaik III",
    "Harapan I",
    "Harapan II",
    "Harapan III",
]

# Score bands used while a contest configures none: (lowest score, label), a score
# gets the label of the highest band it reaches; an entry with no score at all gets
# NOT_ASSESSABLE_LABEL (results.computing.NOT_ASSESSABLE).
DEFAULT_BANDS: list[tuple[Decimal, str]] = [
    (Decimal("60"), "Sangat Inovatif"),
    (Decimal("35"), "Inovatif"),
    (Decimal("0"), "Kurang Inovatif"),
]

DEFAULT_STAGE_WEIGHT = Decimal("1")

# Krippendorff's conventional readings of alpha (Krippendorff 2004, 241).
ALPHA_GOOD = Decimal("0.800")
ALPHA_TENTATIVE = Decimal("0.667")


class AlphaReading(models.TextChoices):
    GOOD = "good", _("Good agreement: the judges rank entries alike.")
    TENTATIVE = (
        "tentative",
        _(
            "Tentative agreement: use the ranking with care, and look at the flagged "
            "entries."
        ),
    )
    WEAK = (
        "weak",
        _(
            "Weak agreement: the judges disagree; check the flagged entries and the "
            "judges' leniency before deciding."
        ),
    )
    UNDEFINED = (
        "undefined",
        _(
            "Not enough data: alpha needs entries scored by at least two judges and "
            "some difference between scores."
        ),
    )


ALPHA_SHORT = {
    AlphaReading.GOOD: pgettext_lazy("agreement", "Good"),
    AlphaReading.TENTATIVE: pgettext_lazy("agreement", "Tentative"),
    AlphaReading.WEAK: pgettext_lazy("agreement", "Weak"),
    AlphaReading.UNDEFINED: pgettext_lazy("agreement", "Not enough data"),
}

ALPHA_TONES = {
    AlphaReading.GOOD: "success",
    AlphaReading.TENTATIVE: "warning",
    AlphaReading.WEAK: "danger",
    AlphaReading.UNDEFINED: "neutral",
}
