from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from contest.enums import RegionType
from contest.models import Category, Contest
from contest.selectors import categories_of
from submissions.enums import SubmissionState
from submissions.models import Submission

QUEUE_STATES = [
    (v, label) for v, label in SubmissionState.choices if v != SubmissionState.DRAFT
]


class QueueFilter(django_filters.FilterSet):
    """The screening queue's filters; invalid values are ignored (the view says so)."""

    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=Category.objects.none(),
        empty_label=_("All categories"),
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=QUEUE_STATES, empty_label=_("All states")
    )
    region_type = django_filters.ChoiceFilter(
        label=_("Region type"),
        field_name="region__type",
        choices=RegionType.choices,
        empty_label=_("All region types"),
    )

    class Meta:
        model = Submission
        fields = ["category", "state", "region_type"]

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = categories_of(contest)
