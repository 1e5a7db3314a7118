from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from contest.forms import DateTimeLocalInput
from contest.models import Contest, Criterion
from submissions.enums import ReviewStatus, SubmissionState
from submissions.files import ACCEPTED_LABEL
from submissions.models import SUBMISSION_FIELDS, Evidence, Submission
from submissions.selectors import criteria_of
from submissions.services.history import previous_entry_choices
from submissions.validators import MAX_LINKS, validate_http_url

ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.pptx"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class LinksField(forms.CharField):
    """Web addresses, one per line, as a list."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_LINKS:
            raise forms.ValidationError(
                _("Give at most %(max)d links."),
                params={"max": MAX_LINKS},
                code="too_many",
            )
        for url in value:
            validate_http_url(url)


class CriterionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Criterion) -> str:
        return f"{obj.stage.name} · {obj.name}"


class SubmissionForm(forms.ModelForm):
    """A draft may be incomplete; what submitting needs is listed before submitting."""

    links = LinksField(
        label=_("Links"),
        required=False,
        help_text=_(
            "Web pages or videos about the innovation, one per line (http or https)."
        ),
    )

    class Meta:
        model = Submission
        fields = SUBMISSION_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 5}),
            "solution": forms.Textarea(attrs={"rows": 5}),
            "impact": forms.Textarea(attrs={"rows": 5}),
            "started_on": DateInput(),
        }

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contest = contest
        self.fields["category"].queryset = contest.categories.order_by("order", "name")
        self.fields["category"].empty_label = None
        if self.instance.pk:
            add_previous_entry_field(self)


def add_previous_entry_field(form: SubmissionForm) -> None:
    """The earlier entry of the same innovation, offered once the region has
    entries in other contests (eligibility by history)."""
    choices = previous_entry_choices(form.instance)
    if not choices.exists():
        return
    field = forms.ModelChoiceField(
        queryset=choices,
        required=False,
        initial=form.instance.previous_entry_id,
        label=_("Earlier entry of the same innovation"),
        help_text=_(
            "If this innovation was entered in an earlier contest, name that entry; "
            "the organizers check the link."
        ),
    )
    field.label_from_instance = lambda s: f"{s.contest.name} · {s.title}"
    form.fields["previous_entry"] = field


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data and self.required:
                raise forms.ValidationError(
                    self.error_messages["required"], code="required"
                )
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


def _criterion_field(**kwargs) -> CriterionChoiceField:
    return CriterionChoiceField(
        label=_("Criterion"),
        queryset=Criterion.objects.none(),
        required=False,
        empty_label=_("(no particular criterion)"),
        **kwargs,
    )


class _EvidenceForm(forms.Form):
    """Evidence may support one criterion of the contest's rubric."""

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria_of(contest)


class EvidenceUploadForm(_EvidenceForm):
    files = MultipleFileField(
        label=_("Files"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_(
            "You may choose several files at once. Accepted: %(types)s; at most "
            "%(size)s per file. The type is read from each file's content, not from "
            "its name."
        )
        % {
            "types": ACCEPTED_LABEL,
            "size": filesizeformat(settings.EVIDENCE_MAX_FILE_SIZE),
        },
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=150,
        required=False,
        help_text=_("Leave empty to use each file's name."),
    )
    criterion = _criterion_field(
        help_text=_("The rubric criterion these files support, if any."),
    )


class EvidenceLinkForm(_EvidenceForm):
    url = forms.URLField(
        label=_("Web address"),
        max_length=500,
        assume_scheme="https",
        validators=[validate_http_url],
        help_text=_("A video or a web page, starting with http:// or https://."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    criterion = _criterion_field()


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScreenForm(forms.Form):
    DECISIONS = [
        (SubmissionState.ELIGIBLE, _("Eligible")),
        (SubmissionState.INELIGIBLE, _("Ineligible")),
    ]

    decision = forms.ChoiceField(
        label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when the entry is ineligible; the delegates read it."),
    )


class RevisionForm(forms.Form):
    deadline = forms.DateTimeField(
        label=_("Deadline"),
        widget=DateTimeLocalInput(),
        help_text=_("In the contest's time zone."),
    )
    note = forms.CharField(
        label=_("What to revise"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EvidenceReviewForm(forms.ModelForm):
    class Meta:
        model = Evidence
        fields = ["review_status", "review_note"]
        widgets = {"review_note": forms.Textarea(attrs={"rows": 2})}
        labels = {"review_status": _("Review"), "review_note": _("Note")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_status"].choices = ReviewStatus.choices


class BulkActionForm(forms.Form):
    """One action for the selected entries of the screening queue (or all that
    match its filter), with what that action needs; the service checks it."""

    ACTIONS = [
        ("eligible", _("Mark eligible")),
        ("ineligible", _("Mark ineligible")),
        ("revision", _("Send back for revision")),
        ("message", _("Write to their delegates")),
    ]

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to mark entries ineligible; their delegates read it."),
    )
    note = forms.CharField(
        label=_("What to revise"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to send entries back."),
    )
    deadline = forms.DateTimeField(
        label=_("Revision deadline"),
        required=False,
        widget=DateTimeLocalInput(),
        help_text=_("In the contest's time zone; required to send entries back."),
    )
    subject = forms.CharField(label=_("Subject"), required=False, max_length=150)
    body = forms.CharField(
        label=_("Message"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Each delegate of the selected entries gets it once."),
    )
    all_matching = forms.BooleanField(required=False, widget=forms.HiddenInput)
    expected = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SavedFilterForm(forms.Form):
    name = forms.CharField(label=_("Name of this filter"), max_length=80)
