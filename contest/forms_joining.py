"""The forms of the requests to join a contest as a region's delegate."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.forms import RegionChoiceField
from contest.models import Contest, Region


class JoinRequestForm(forms.Form):
    contest = forms.ModelChoiceField(
        label=_("Contest"), queryset=Contest.objects.none(), empty_label=None
    )
    region = RegionChoiceField(
        queryset=Region.objects.order_by("code"), label=_("Your region")
    )
    message = forms.CharField(
        label=_("Message to the organizers"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Who you are in the region's government (agency, position), so the "
            "organizers can check it."
        ),
    )

    def __init__(self, *args, contests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contest"].queryset = contests


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The asker reads it."),
    )
