from django import forms
from django.utils.translation import gettext_lazy as _

from contest.enums import RegionType
from contest.models import Category, Contest, Region, Stage
from contest.services import CATEGORY_FIELDS, CONTEST_FIELDS, STAGE_FIELDS
from contest.validators import validate_sane_datetime


def _check_dates(form: forms.BaseForm, *names: str) -> None:
    """The same year range as the model and the API, at each date field."""
    for name in names:
        form.fields[name].validators.append(validate_sane_datetime)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Region) -> str:
        return f"{obj.code} · {obj.name}"


class ContestForm(forms.ModelForm):
    """Dates are entered in the contest's own time zone (the view activates it)."""

    host_region = RegionChoiceField(
        queryset=Region.objects.order_by("code"), label=_("Host region")
    )
    eligible_region_types = forms.MultipleChoiceField(
        label=_("Eligible region types"),
        choices=RegionType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Leave all unticked to accept every kind of region."),
    )

    class Meta:
        model = Contest
        fields = CONTEST_FIELDS
        widgets = {
            "submission_opens": DateTimeLocalInput(),
            "submission_closes": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _check_dates(self, "submission_opens", "submission_closes")

    def clean_eligible_region_types(self) -> list[str]:
        return sorted(self.cleaned_data.get("eligible_region_types") or [])


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = CATEGORY_FIELDS
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contest = contest


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = STAGE_FIELDS
        widgets = {
            "opens": DateTimeLocalInput(),
            "closes": DateTimeLocalInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.contest = contest
        _check_dates(self, "opens", "closes")


class DelegateInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    region = RegionChoiceField(
        queryset=Region.objects.order_by("code"), label=_("Region")
    )
