from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from contest.forms import RegionChoiceField
from contest.models import CRITERION_FIELDS, Contest, Criterion, Region, Stage
from judging import selectors
from judging.models import Judge, Score, ScoreSheet
from judging.validators import levels_text, number_text, parse_levels, validate_score
from submissions.enums import SubmissionState


class CategoryChoices(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class JudgeEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    home_region = RegionChoiceField(
        queryset=Region.objects.order_by("code"),
        label=_("Home region"),
        required=False,
        help_text=_(
            "Entries from this region and its province are conflicts of interest."
        ),
    )
    categories = CategoryChoices(
        queryset=None,
        label=_("Expertise"),
        required=False,
        help_text=_("The assignment prefers experts in an entry's category."),
    )
    panels = CategoryChoices(
        queryset=None,
        label=_("Panels"),
        required=False,
        help_text=_(
            "The categories whose entries this judge scores; none means every category."
        ),
    )

    def __init__(self, *args, contest: Contest, judge: Judge | None = None, **kwargs):
        if judge is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": judge.name,
                    "home_region": judge.home_region,
                    "categories": list(judge.categories.all()),
                    "panels": list(judge.panels.all()),
                },
            )
        super().__init__(*args, **kwargs)
        categories = contest.categories.order_by("order", "name")
        self.fields["categories"].queryset = categories
        self.fields["panels"].queryset = categories


class JudgeInviteForm(JudgeEditForm):
    email = forms.EmailField(label=_("E-mail address"))

    field_order = ["email", "name", "home_region", "categories", "panels"]


class AssignForm(forms.Form):
    judges_per_entry = forms.IntegerField(
        label=_("Judges per entry"), min_value=1, max_value=20
    )


JUDGE_LIST_ID = "assignment-judges"


class AssignmentAddForm(forms.Form):
    """The entry and the judge typed, not chosen from a select of every entry: the
    entry by its number or exact title, the judge by e-mail (a datalist of the
    contest's judges helps); each resolves to exactly one row of this stage or
    contest, or the field says why not."""

    submission = forms.CharField(
        label=_("Entry"),
        max_length=200,
        help_text=_("The entry's number or its exact title."),
    )
    judge = forms.CharField(
        label=_("Judge"),
        max_length=254,
        help_text=_("The judge's e-mail address."),
        widget=forms.TextInput(attrs={"list": JUDGE_LIST_ID, "autocomplete": "off"}),
    )

    def __init__(self, *args, stage: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.stage = stage

    def judge_choices(self) -> QuerySet[Judge]:
        """The contest's judges for the datalist (one query, the judges only)."""
        return self.stage.contest.judges.select_related("user").order_by("name", "pk")

    def clean_submission(self):
        value = self.cleaned_data["submission"].strip()
        number = value.removeprefix("#")
        match = Q(title__iexact=value)
        if number.isdigit():
            match |= Q(pk=int(number))
        found = list(selectors.stage_entries(self.stage).filter(match)[:2])
        if not found:
            raise ValidationError(
                _("No entry of this stage has the number or title “%(value)s”."),
                params={"value": value},
            )
        if len(found) > 1:
            raise ValidationError(
                _(
                    "More than one entry of this stage is called “%(value)s”: "
                    "type its number."
                ),
                params={"value": value},
            )
        return found[0]

    def clean_judge(self):
        value = self.cleaned_data["judge"].strip()
        match = Q(user__email__iexact=value)
        if value.isdigit():
            match |= Q(pk=int(value))
        found = list(self.judge_choices().filter(match)[:2])
        if len(found) != 1:
            raise ValidationError(
                _("No judge of this contest has the e-mail address “%(value)s”."),
                params={"value": value},
            )
        return found[0]


class ConflictForm(forms.Form):
    judge = forms.ModelChoiceField(queryset=None, label=_("Judge"))
    submission = forms.ModelChoiceField(queryset=None, label=_("Entry"))
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = contest.judges.select_related("user").order_by(
            "name", "pk"
        )
        self.fields["submission"].queryset = (
            contest.submissions.exclude(state=SubmissionState.DRAFT)
            .select_related("region")
            .order_by("title", "pk")
        )


class DeclareConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict of interest?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "For example: you worked on this innovation, or you advise this region."
        ),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why reopen it?"), max_length=500, required=False)


class CriterionForm(forms.ModelForm):
    levels_text = forms.CharField(
        label=_("Level descriptors"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_('One per line: "score: what it means", e.g. "8: Good evidence".'),
    )

    class Meta:
        model = Criterion
        # The rubric's fields (one list, contest.models), the levels as text.
        fields = [name for name in CRITERION_FIELDS if name != "levels"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "expected_evidence": forms.Textarea(attrs={"rows": 2}),
        }

    field_order = [
        "levels_text" if name == "levels" else name for name in CRITERION_FIELDS
    ]

    def __init__(self, *args, stage: Stage, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.stage = stage
        if self.instance.pk:
            self.initial["levels_text"] = levels_text(self.instance.levels)

    def clean_levels_text(self) -> list[dict[str, Any]]:
        return parse_levels(self.cleaned_data.get("levels_text") or "")

    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("min_score"), cleaned.get("max_score")
        if low is not None and high is not None and high <= low:
            self.add_error(
                "max_score", _("The highest score must be above the lowest.")
            )
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["levels"] = self.cleaned_data["levels_text"]
        return data


class ScoreInput(forms.NumberInput):
    def __init__(self, criterion: Criterion):
        super().__init__(
            attrs={
                "min": number_text(criterion.min_score),
                "max": number_text(criterion.max_score),
                "step": number_text(criterion.step),
                "inputmode": "decimal",
            }
        )


class SheetForm(forms.Form):
    """One score and one comment per criterion, an overall comment, and the version
    of the sheet the form was made from."""

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1
    )
    comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args,
        criteria: list[Criterion],
        sheet: ScoreSheet | None,
        scores: dict[int, Score],
        read_only: bool = False,
        **kwargs,
    ):
        initial = {"version": sheet.version if sheet else 0}
        if sheet is not None:
            initial["comment"] = sheet.comment
        for criterion in criteria:
            score = scores.get(criterion.pk)
            if score is not None:
                if score.value is not None:
                    initial[f"score_{criterion.pk}"] = number_text(score.value)
                initial[f"note_{criterion.pk}"] = score.comment
        kwargs.setdefault("initial", initial)
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.values: dict[int, Decimal | None] = {}
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.CharField(
                label=_("Score (%(min)s to %(max)s, step %(step)s)")
                % {
                    "min": number_text(criterion.min_score),
                    "max": number_text(criterion.max_score),
                    "step": number_text(criterion.step),
                },
                required=False,
                widget=ScoreInput(criterion),
            )
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Comment on this criterion"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        if read_only:
            for form_field in self.fields.values():
                form_field.disabled = True

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            name = f"score_{criterion.pk}"
            raw = (cleaned.get(name) or "").strip().replace(",", ".")
            try:
                self.values[criterion.pk] = validate_score(criterion, raw)
            except ValidationError as exc:
                self.add_error(name, exc)
        return cleaned

    def error_summary(self) -> str:
        """The errors in one line, each named by its criterion (for the autosave)."""
        names = {f"score_{c.pk}": c.name for c in self.criteria}
        names.update({f"note_{c.pk}": c.name for c in self.criteria})
        parts = []
        for field_name, errors in self.errors.items():
            label = names.get(field_name) or getattr(
                self.fields.get(field_name), "label", ""
            )
            text = " ".join(errors)
            parts.append(f"“{label}”: {text}" if label else text)
        return " ".join(parts)

    def rows(self):
        """(criterion, score field, comment field) for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"note_{c.pk}"]) for c in self.criteria]

    def score_items(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": criterion.pk,
                "value": self.values.get(criterion.pk),
                "comment": self.cleaned_data.get(f"note_{criterion.pk}", ""),
            }
            for criterion in self.criteria
        ]
