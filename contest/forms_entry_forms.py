"""The organizer's form for one question of the contest's entry form."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from contest.entry_forms import FILE_TYPES
from contest.models import Contest, EntryQuestion
from contest.models_formats import QUESTION_FIELDS


class QuestionForm(forms.ModelForm):
    options = forms.CharField(
        label=_("Options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For choice questions: one option per line, in order."),
    )
    file_types = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        required=False,
        choices=[(t, t.upper()) for t in FILE_TYPES],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For file questions; none ticked: any accepted type."),
    )

    class Meta:
        model = EntryQuestion
        fields = QUESTION_FIELDS
        widgets = {
            "help_text": forms.Textarea(attrs={"rows": 2}),
            "help_text_en": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contest = contest
        self.fields["category"].queryset = contest.categories.order_by("order", "name")
        self.fields["category"].empty_label = _("Every category")
        self.fields["order"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["options"] = "\n".join(self.instance.options or [])

    def clean_options(self) -> list[str]:
        text = self.cleaned_data.get("options") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def clean_order(self):
        return self.cleaned_data.get("order") or self.instance.order or None

    def service_data(self) -> dict:
        """The fields as the services take them (an empty order: the last one)."""
        data = {name: self.cleaned_data[name] for name in QUESTION_FIELDS}
        if data["order"] is None:
            del data["order"]
        return data
