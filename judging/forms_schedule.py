"""Forms of the organizer's schedule page: a session, a series of sessions, a
session booked by hand."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import DateTimeLocalInput


class DateInput(forms.DateInput):
    input_type = "date"


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class PlaceFields(forms.Form):
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    meeting_url = forms.URLField(
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        assume_scheme="https",
    )


class SlotForm(PlaceFields):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DateTimeLocalInput)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DateTimeLocalInput)

    field_order = ["starts_at", "ends_at", "place", "meeting_url"]


class SeriesForm(PlaceFields):
    first_day = forms.DateField(label=_("First day"), widget=DateInput)
    last_day = forms.DateField(label=_("Last day"), widget=DateInput)
    day_starts = forms.TimeField(label=_("Each day from"), widget=TimeInput)
    day_ends = forms.TimeField(label=_("Each day until"), widget=TimeInput)
    minutes = forms.IntegerField(
        label=_("Minutes per session"), min_value=5, max_value=1440, initial=45
    )
    gap = forms.IntegerField(
        label=_("Minutes between sessions"), min_value=0, max_value=1440, initial=15
    )

    field_order = [
        "first_day",
        "last_day",
        "day_starts",
        "day_ends",
        "minutes",
        "gap",
        "place",
        "meeting_url",
    ]


class BookingForm(SlotForm):
    """A session's time, place and link, its entry and its judges."""

    submission = forms.TypedChoiceField(
        label=_("Entry"), coerce=int, required=False, empty_value=None
    )
    judges = forms.TypedMultipleChoiceField(
        label=_("Judges"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, entries, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [("", _("(free)"))] + [
            (e.pk, f"{e.title} · {e.region.name}") for e in entries
        ]
        self.fields["judges"].choices = [(j.pk, str(j)) for j in judges]
