"""The forms of an organizer's message and of a contest's own e-mail text."""

from __future__ import annotations

import hashlib
import json

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contest.enums import StageKind
from contest.models import Contest
from judging.selectors.messages import MessageGroup
from judging.services.templates import BODY_MAX as TEMPLATE_BODY_MAX
from judging.services.templates import SUBJECT_MAX as TEMPLATE_SUBJECT_MAX
from notifications.messages import BODY_MAX, SUBJECT_MAX


class MessageForm(forms.Form):
    """What an organizer writes, and to whom. `previewed` carries the fingerprint
    of what the preview showed: a changed text or group is previewed again
    before anything is sent."""

    group = forms.ChoiceField(
        label=_("Recipients"),
        choices=MessageGroup.choices,
        widget=forms.RadioSelect,
        initial=MessageGroup.DRAFTS,
    )
    stage = forms.ModelChoiceField(
        queryset=None,
        label=_("Stage"),
        required=False,
        empty_label=_("—"),
        help_text=_("For the judges with unsubmitted score sheets: which stage."),
    )
    category = forms.ModelChoiceField(
        queryset=None,
        label=_("Category"),
        required=False,
        empty_label=_("All categories"),
        help_text=_("Only the people of one category's entries (and its panel)."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)
    expected_count = forms.IntegerField(
        required=False, min_value=0, widget=forms.HiddenInput
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].help_text = gettext(
            "Plain text, sent as written to everyone in the group; links become "
            "clickable. At most %(n)s characters."
        ) % {"n": BODY_MAX}
        self.fields["stage"].queryset = contest.stages.filter(
            kind=StageKind.SCORING
        ).order_by("order")
        self.fields["category"].queryset = contest.categories.order_by("order", "name")

    def fingerprint(self) -> str:
        """A digest of the group and the text as cleaned."""
        data = self.cleaned_data
        chosen = [
            data["group"],
            data["stage"].pk if data.get("stage") else None,
            data["category"].pk if data.get("category") else None,
            " ".join(data["subject"].split()),
            data["body"].replace("\r\n", "\n").strip(),
        ]
        return hashlib.sha256(json.dumps(chosen).encode()).hexdigest()

    def is_previewed(self) -> bool:
        return self.cleaned_data.get("previewed") == self.fingerprint()


class TemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=TEMPLATE_SUBJECT_MAX)
    body = forms.CharField(
        label=_("Text"),
        max_length=TEMPLATE_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Plain text. Write a variable as {{ name }} (the list is beside the "
            "form); {% if name %}…{% else %}…{% endif %} keeps a part for some "
            "messages only. The HTML version is made from this text."
        ),
    )
