"""The form a delegate changes a piece of evidence's title and criterion with."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.forms import _criterion_field
from submissions.selectors import criteria_of


class EvidenceEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    criterion = _criterion_field(
        help_text=_("The rubric criterion this evidence supports, if any."),
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria_of(contest)
