"""Forms of the contest's life beyond its set-up: the accounts' search, an
organizer's invitation and a contest's copy for its next edition."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import DateTimeLocalInput
from contest.lifecycle import Shift, shift_to_open
from contest.models import Contest
from contest.validators import validate_sane_datetime, validate_slug_text

SHIFT_YEAR = "year"
SHIFT_DAYS = "days"
SHIFT_OPENS = "opens"
YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


class AccountSearchForm(forms.Form):
    email = forms.CharField(
        label=_("E-mail address (or part of it)"), required=False, max_length=254
    )


class OrganizerInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))


def next_edition(text: str) -> str:
    """The text with each year in it one later ("KKDI 2023" → "KKDI 2024")."""
    return YEAR.sub(lambda m: str(int(m.group(0)) + 1), text)


class CloneForm(forms.Form):
    """The new edition's name and address, and how its dates follow this one's:
    one year later, a number of days later, or from a new opening date."""

    name = forms.CharField(label=_("Name of the new edition"), max_length=200)
    slug = forms.SlugField(
        label=_("Slug"),
        max_length=80,
        validators=[validate_slug_text],
        help_text=_(
            "The new contest's address on the site: lower-case letters, digits "
            "and hyphens."
        ),
    )
    shift = forms.ChoiceField(
        label=_("Dates"),
        choices=[
            (SHIFT_YEAR, _("Every date one year later")),
            (SHIFT_DAYS, _("Every date a number of days later")),
            (
                SHIFT_OPENS,
                _("Submissions open on a new date; every date moves with it"),
            ),
        ],
        initial=SHIFT_YEAR,
        widget=forms.RadioSelect,
    )
    days = forms.IntegerField(
        label=_("Number of days"),
        required=False,
        min_value=-3650,
        max_value=3650,
        help_text=_("With “a number of days later”."),
    )
    submission_opens = forms.DateTimeField(
        label=_("New opening of submissions"),
        required=False,
        widget=DateTimeLocalInput(),
        validators=[validate_sane_datetime],
        help_text=_("With “submissions open on a new date”, in the contest's zone."),
    )
    include_organizers = forms.BooleanField(
        label=_("Copy the organizers too (each is told by e-mail)"),
        required=False,
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.contest = contest

    def clean(self):
        data = super().clean()
        shift = data.get("shift")
        if shift == SHIFT_DAYS and data.get("days") is None:
            self.add_error("days", _("Give the number of days."))
        if shift == SHIFT_OPENS and data.get("submission_opens") is None:
            self.add_error("submission_opens", _("Give the new opening date."))
        return data

    def chosen_shift(self) -> Shift:
        data = self.cleaned_data
        if data["shift"] == SHIFT_DAYS:
            return Shift(delta=dt.timedelta(days=data["days"]))
        if data["shift"] == SHIFT_OPENS:
            return shift_to_open(self.contest, data["submission_opens"])
        return Shift(years=1)
