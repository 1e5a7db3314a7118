from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from contest.enums import RegionType
from contest.forms_history import ExclusionLinesField
from contest.models import (
    CONTEST_LATER_FIELDS,
    STAGE_LATER_FIELDS,
    Category,
    Contest,
    Region,
    Stage,
)
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


class RegionSearchInput(forms.TextInput):
    """A text input searched by name as one types: a `<datalist>` of the field's
    regions ("52.72 · Kota Bima"), which the browser filters by what is typed, with
    no script and no request per key. Without datalist support it is a text box in
    which a code or a name is typed; the field checks it on POST either way."""

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})}
        )
        self.choices = []

    def render(self, name, value, attrs=None, renderer=None):
        """The input, then its list (rendered here: the form renderer does not
        read the project's template folders)."""
        list_id = f"{(attrs or {}).get('id') or name}-options"
        field = super().render(
            name, value, {**(attrs or {}), "list": list_id}, renderer
        )
        options = format_html_join(
            "",
            '<option value="{}"></option>',
            ((str(label),) for key, label in self.choices if key != ""),
        )
        return format_html('{}<datalist id="{}">{}</datalist>', field, list_id, options)

    def format_value(self, value):
        """A stored region (its code, as a model form's initial) shows as its
        label; what was typed shows as typed."""
        if value is None or value == "":
            return None
        if isinstance(value, Region):
            return _region_label(value)
        text = str(value)
        for key, label in self.choices:
            if str(key) == text:
                return str(label)
        return text


def _region_label(region: Region) -> str:
    return f"{region.code} · {region.name}"


class RegionChoiceField(forms.ModelChoiceField):
    """A region of `queryset`, typed: its code ("52.72"), its label as the list
    offers it ("52.72 · Kota Bima") or its name when only one region bears it
    ("Kota Bima"); anything else is refused at the field, in words."""

    widget = RegionSearchInput
    default_error_messages = {
        "invalid_choice": _(
            "Choose a region from the list: type part of its name or its code "
            "(e.g. 52.72 · Kota Bima)."
        ),
    }

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "help_text",
            _("Type part of the name or the code, then pick from the list."),
        )
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Region) -> str:
        return _region_label(obj)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Region):
            return value
        text = " ".join(str(value).split())
        # A NUL byte (PostgreSQL refuses it in any text) or a text longer than
        # any region's label names no region.
        if "\x00" in text or len(text) > 200:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        code = text.split("·", 1)[0].strip()
        region = self.queryset.filter(pk=code).first()
        if region is None:
            named = list(self.queryset.filter(name__iexact=text)[:2])
            region = named[0] if len(named) == 1 else None
        if region is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return region


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
    past_award_exclusions = ExclusionLinesField()

    class Meta:
        model = Contest
        fields = CONTEST_FIELDS
        help_texts = {
            "slug": _(
                "The contest's short name in its web addresses, e.g. "
                "/contests/kkdi-2023/: lower-case letters, digits and hyphens. It "
                "is filled from the name as you type; change it if you like, "
                "before the contest is announced, as links to it use it."
            ),
        }
        widgets = {
            "submission_opens": DateTimeLocalInput(),
            "submission_closes": DateTimeLocalInput(),
            "name": forms.TextInput(attrs={"data-slug-source": "id_slug"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _optional(self, CONTEST_LATER_FIELDS)
        _check_dates(self, "submission_opens", "submission_closes")

    def clean_eligible_region_types(self) -> list[str]:
        return sorted(self.cleaned_data.get("eligible_region_types") or [])

    def clean(self) -> dict:
        return _keep_when_empty(self, super().clean())


def _optional(form: forms.ModelForm, names) -> None:
    """Fields added later may be left out of a post, or left empty: the row keeps
    its value (or the default), as an older client's form would expect."""
    for name in names:
        if name in form.fields:
            form.fields[name].required = False
    form.later_fields = [name for name in names if name in form.fields]


def _keep_when_empty(form: forms.ModelForm, cleaned: dict) -> dict:
    for name in getattr(form, "later_fields", []):
        if (
            cleaned.get(name) in (None, "")
            and not form.instance._meta.get_field(name).null
        ):
            cleaned[name] = getattr(form.instance, name)
    return cleaned


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
        _optional(self, STAGE_LATER_FIELDS)
        _check_dates(self, "opens", "closes")

    def clean(self) -> dict:
        return _keep_when_empty(self, super().clean())


class DelegateInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    region = RegionChoiceField(
        queryset=Region.objects.order_by("code"), label=_("Region")
    )
