from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from contest.enums import RegionType
from contest.models import Category, Contest
from contest.selectors import categories_of
from submissions.enums import SubmissionState
from submissions.models import Submission

QUEUE_STATES = [
    (v, label) for v, label in SubmissionState.choices if v != SubmissionState.DRAFT
]


SORTS = {
    "title": ["title", "pk"],
    "region": ["region__name", "pk"],
    "category": ["category__order", "category__name", "pk"],
    "state": ["state", "pk"],
    "submitted": ["submitted_at", "pk"],
}
DEFAULT_SORT = "-submitted"


def valid_sort(sort: str | None) -> str:
    sort = sort or DEFAULT_SORT
    return sort if sort.lstrip("-") in SORTS else DEFAULT_SORT


def sort_fields(sort: str) -> list[str]:
    key = sort.lstrip("-")
    fields = SORTS.get(key) or SORTS["submitted"]
    if sort.startswith("-") or key not in SORTS:
        return [f"-{f}" for f in fields]
    return fields


def search_entries(queryset: QuerySet, value: str) -> QuerySet:
    """Entries whose title, region, agency or receipt number contains `value`."""
    value = (value or "").strip()
    if not value:
        return queryset
    return queryset.filter(
        Q(title__icontains=value)
        | Q(region__name__icontains=value)
        | Q(agency__icontains=value)
        | Q(receipt_number__icontains=value)
    )


class QueueFilter(django_filters.FilterSet):
    """The screening queue's filters; invalid values are ignored (the view says so)."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        max_length=200,
        help_text=_("Title, region, agency or receipt number."),
    )

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
        fields = ["q", "category", "state", "region_type"]

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["category"].queryset = categories_of(contest)

    def search(self, queryset, name, value):
        return search_entries(queryset, value)


def filtered_queue(queryset: QuerySet, data, *, contest: Contest) -> QueueFilter:
    """The queue's filter bound to `data` (a query string); its `qs` ignores the
    invalid values, and `ordered(filterset, data)` sorts it."""
    return QueueFilter(data or None, queryset=queryset, contest=contest)


def ordered(filterset: QueueFilter, data) -> QuerySet:
    return filterset.qs.order_by(*sort_fields(valid_sort((data or {}).get("sort"))))
