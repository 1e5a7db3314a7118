"""Forms of the results pages. They only read and check input; the services decide."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contest.enums import RegionType
from contest.forms import DateTimeLocalInput, RegionChoiceField
from contest.models import Contest, Region, RegionCluster, Stage
from results import documents
from results.enums import PLACE_NAMES, AwardKind, ObjectionOutcome
from results.selectors import RANK_NORMALIZED, RANK_RAW
from results.services import AWARDABLE_STATES
from submissions.models import Submission

MAX_SNAPSHOT_CHARS = 4_000_000
RANKED_BY_CHOICES = [
    (RANK_NORMALIZED, _("Normalized score")),
    (RANK_RAW, _("Raw score")),
]


class AdvanceForm(forms.Form):
    """Quotas per region type (optional) and, for each tie at a cut, the tied
    entries that advance."""

    quota_provinsi = forms.IntegerField(
        label=_("Places for provinces"), min_value=0, max_value=1000, required=False
    )
    quota_kabupaten = forms.IntegerField(
        label=_("Places for regencies"), min_value=0, max_value=1000, required=False
    )
    quota_kota = forms.IntegerField(
        label=_("Places for cities"), min_value=0, max_value=1000, required=False
    )
    tie_break = forms.MultipleChoiceField(
        label=_("Tied entries that advance"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    ranked_by = forms.ChoiceField(
        label=_("Rank the stage by"),
        choices=RANKED_BY_CHOICES,
        initial=RANK_NORMALIZED,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "The normalized score corrects for lenient and harsh judges as far as "
            "their sheets show it; the raw score is the plain mean of the sheets."
        ),
    )

    def __init__(
        self,
        *args,
        ties_for: Callable[[dict[str, int]], list[dict[str, Any]]],
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        choices = []
        for tie in ties_for(self._given_quotas()):
            for entry in tie["entries"]:
                label = _("%(title)s (%(region)s), %(category)s: %(score)s") % {
                    "title": entry["title"],
                    "region": entry["region"],
                    "category": tie["category_name"],
                    "score": entry["normalized_score"],
                }
                choices.append((str(entry["id"]), label))
        self.fields["tie_break"].choices = choices
        if not choices:
            self.fields["tie_break"].widget = forms.MultipleHiddenInput()

    def _given_quotas(self) -> dict[str, int]:
        """The places posted per region type, each read by its own field, before
        the form is cleaned: which ties there are to choose from depends on them.
        A value its field refuses counts as not given (cleaning names it)."""
        if not self.is_bound:
            return {}
        quotas = {}
        for region_type in RegionType.values:
            name = f"quota_{region_type}"
            field = self.fields[name]
            raw = field.widget.value_from_datadict(
                self.data, self.files, self.add_prefix(name)
            )
            try:
                places = field.clean(raw)
            except forms.ValidationError:
                continue
            if places:
                quotas[region_type] = places
        return quotas

    def clean_tie_break(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["tie_break"]]

    def clean_ranked_by(self) -> str:
        return self.cleaned_data["ranked_by"] or RANK_NORMALIZED

    def clean(self):
        """`quotas`: the places per region type with any (None without quotas)."""
        data = super().clean()
        given = {
            region_type: data[f"quota_{region_type}"]
            for region_type in RegionType.values
            if data.get(f"quota_{region_type}") is not None
        }
        if given and not any(given.values()):
            self.add_error(
                f"quota_{next(iter(given))}",
                _("Give at least one region type a place, or no quotas at all."),
            )
        data["quotas"] = {
            key: places for key, places in given.items() if places
        } or None
        return data


class StageWeightsForm(forms.Form):
    """One weight field per scoring stage (`weight_<stage id>`)."""

    def __init__(self, *args, stages: list[Stage], weights: dict[int, Decimal], **kw):
        super().__init__(*args, **kw)
        self.stages = stages
        for stage in stages:
            self.fields[f"weight_{stage.pk}"] = forms.DecimalField(
                label=_("Weight of %(stage)s") % {"stage": stage.name},
                min_value=Decimal("0"),
                max_value=Decimal("9999.99"),
                decimal_places=2,
                initial=weights.get(stage.pk),
            )

    def weights(self) -> dict[int, Decimal]:
        return {
            stage.pk: self.cleaned_data[f"weight_{stage.pk}"] for stage in self.stages
        }


class BandForm(forms.Form):
    threshold = forms.DecimalField(
        label=_("From score"),
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        decimal_places=2,
    )
    label = forms.CharField(label=_("Label"), max_length=60)


class BaseBandFormSet(forms.BaseFormSet):
    def bands(self) -> list[tuple[Decimal, str]]:
        return [
            (form.cleaned_data["threshold"], form.cleaned_data["label"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


BandFormSet = forms.formset_factory(
    BandForm, formset=BaseBandFormSet, extra=2, can_delete=True, max_num=10
)


class AwardForm(forms.Form):
    name = forms.CharField(
        label=_("Award"),
        max_length=120,
        help_text=_("E.g. Terbaik I, Harapan II, or a special award's name."),
        widget=forms.TextInput(attrs={"list": "award-names"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=AwardKind.choices)
    submission = forms.ModelChoiceField(
        queryset=Submission.objects.none(), label=_("Entry"), required=False
    )
    region = RegionChoiceField(
        queryset=Region.objects.none(),
        label=_("Region"),
        required=False,
        help_text=_("For a region's award (the regional ranking), not an entry's."),
    )
    rank = forms.IntegerField(
        label=_("Rank"),
        min_value=1,
        max_value=1000,
        required=False,
        help_text=_("The order in which awards are listed: 1 for the first place."),
    )
    cluster = forms.ModelChoiceField(
        queryset=RegionCluster.objects.none(),
        label=_("Cluster"),
        required=False,
        help_text=_("An award within one cluster of regions, such as Kota."),
    )

    place_names = PLACE_NAMES

    def __init__(self, *args, contest: Contest, **kwargs):
        super().__init__(*args, **kwargs)
        entries = (
            Submission.objects.filter(contest=contest, state__in=AWARDABLE_STATES)
            .select_related("category", "region")
            .order_by("category__order", "title")
        )
        self.fields["submission"].queryset = entries
        self.fields["submission"].label_from_instance = lambda s: (
            f"{s.category.name} · {s.title} ({s.region.name})"
        )
        self.fields["region"].queryset = Region.objects.filter(
            pk__in=entries.values("region_id")
        ).order_by("code")
        self.fields["cluster"].queryset = RegionCluster.objects.filter(
            contest=contest
        ).order_by("order", "name")
        if not self.fields["cluster"].queryset.exists():
            del self.fields["cluster"]

    def clean(self):
        data = super().clean()
        if bool(data.get("submission")) == bool(data.get("region")):
            raise forms.ValidationError(_("Choose an entry or a region: one of them."))
        return data


class PlaceAwardsForm(forms.Form):
    places = forms.TypedChoiceField(
        label=_("Places per category"),
        coerce=int,
        choices=[(n, PLACE_NAMES[n - 1]) for n in range(1, 7)],
        initial=3,
        help_text=_("Gives Terbaik I to the chosen place to the best entries."),
    )


class ProvisionalForm(forms.Form):
    objections_close = forms.DateTimeField(
        label=_("Objections close"),
        widget=DateTimeLocalInput(),
        help_text=_(
            "Until then, the delegates of the regions taking part can object to an "
            "entry's result."
        ),
    )
    objections_open_to_all = forms.BooleanField(
        label=_("Open the objections to everyone"),
        required=False,
        help_text=_(
            "Any signed-in user with a verified address may then object, not only "
            "the delegates of the contest."
        ),
    )
    # Set by the confirmation page the publication shows when the new window
    # closes before the one already announced (services.publish_provisional).
    confirm_shorter_window = forms.BooleanField(
        required=False, widget=forms.HiddenInput
    )


class ResolveObjectionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ObjectionOutcome.UPHELD, ObjectionOutcome.UPHELD.label),
            (ObjectionOutcome.DISMISSED, ObjectionOutcome.DISMISSED.label),
        ],
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=_("Written answer"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class BulkResolveObjectionsForm(ResolveObjectionForm):
    """One answer for several objections (the ids of the ticked ones)."""

    objections = forms.TypedMultipleChoiceField(
        label=_("Objections"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    field_order = ["objections", "outcome", "answer"]

    def __init__(self, *args, objections=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objections"].choices = [
            (objection.pk, f"#{objection.pk} · {objection.submission.title}")
            for objection in objections
        ]


class ObjectionForm(forms.Form):
    submission = forms.TypedChoiceField(label=_("Entry"), coerce=int)
    text = forms.CharField(
        label=_("Your objection"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say what is wrong in the result and why; the organizers answer."),
    )

    def __init__(self, *args, entries: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"].choices = [
            (entry["id"], f"{entry['title']} ({entry['region']['name']})")
            for entry in entries
        ]


class VerifyForm(forms.Form):
    snapshot = forms.CharField(
        label=_("Snapshot (JSON)"),
        max_length=MAX_SNAPSHOT_CHARS,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        help_text=_("Paste the published snapshot; its digest is computed here."),
    )

    def clean_snapshot(self) -> Any:
        text = self.cleaned_data["snapshot"]
        try:
            return json.loads(text)
        except ValueError:
            raise forms.ValidationError(_("This is not valid JSON.")) from None
        except RecursionError:
            # Python's json gives up on about a thousand levels; no snapshot nests so.
            raise forms.ValidationError(
                _("This JSON is nested too deeply to be a published snapshot.")
            ) from None


class GallerySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    region_type = forms.ChoiceField(
        label=_("Region type"),
        required=False,
        choices=[("", _("Any")), *RegionType.choices],
    )

    def __init__(self, *args, categories: list[dict[str, Any]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("Any")),
            *[(c["slug"], c["name"]) for c in categories],
        ]


class DocumentsForm(forms.Form):
    """How the minutes and the certificates are numbered, placed and signed."""

    place = forms.CharField(
        label=_("Place of signing"),
        max_length=80,
        required=False,
        help_text=_("E.g. Mataram; the host region's name when empty."),
    )
    minutes_number_pattern = forms.CharField(
        label=_("Numbering of the minutes"),
        max_length=120,
        required=False,
    )
    certificate_number_pattern = forms.CharField(
        label=_("Numbering of the certificates"),
        max_length=120,
        required=False,
    )
    certificate_signatory_name = forms.CharField(
        label=_("Certificates signed by"),
        max_length=120,
        required=False,
        help_text=_("The name as printed, with titles."),
    )
    certificate_signatory_position = forms.CharField(
        label=_("Position of the signatory"), max_length=160, required=False
    )
    certificate_signatory_nip = forms.CharField(
        label=_("NIP of the signatory"),
        max_length=40,
        required=False,
        help_text=_("18 digits; spaces are allowed."),
    )
    certificate_signature = forms.ImageField(
        label=_("Scanned signature"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_signature = forms.BooleanField(
        label=_("Remove the scanned signature"), required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["minutes_number_pattern"].help_text = gettext(
            "Fields: {number} (001, 002, … across the contest's minutes), {stage} "
            "(the stage's order), {year}, {month}, {roman_month}. Empty: "
            "%(default)s."
        ) % {"default": documents.DEFAULT_MINUTES_PATTERN}
        fields["certificate_number_pattern"].help_text = gettext(
            "Fields: {number} (the award's place in the published list), {year}, "
            "{month}, {roman_month} of the publication. Empty: %(default)s."
        ) % {"default": documents.DEFAULT_CERTIFICATE_PATTERN}
        fields["certificate_signature"].help_text = gettext(
            "Optional: a PNG (best with a transparent background) or JPEG, "
            "%(size)d KB at most."
        ) % {"size": documents.SIGNATURE_MAX_BYTES // 1024}

    def clean_minutes_number_pattern(self) -> str:
        return _checked_pattern(self.cleaned_data["minutes_number_pattern"])

    def clean_certificate_number_pattern(self) -> str:
        return _checked_pattern(self.cleaned_data["certificate_number_pattern"])

    def clean_certificate_signatory_nip(self) -> str:
        value = self.cleaned_data["certificate_signatory_nip"]
        error = documents.nip_error(value)
        if error:
            raise forms.ValidationError(error)
        return value

    def clean_certificate_signature(self):
        image = self.cleaned_data.get("certificate_signature")
        if image and image.size > documents.SIGNATURE_MAX_BYTES:
            raise forms.ValidationError(
                gettext("The signature image may be %(size)d KB at most.")
                % {"size": documents.SIGNATURE_MAX_BYTES // 1024}
            )
        return image


def _checked_pattern(value: str) -> str:
    error = value and documents.pattern_error(value)
    if error:
        raise forms.ValidationError(error)
    return value


class SignatoryForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    position = forms.CharField(label=_("Position"), max_length=160, required=False)
    nip = forms.CharField(label=_("NIP"), max_length=40, required=False)

    def clean_nip(self) -> str:
        value = self.cleaned_data["nip"]
        error = documents.nip_error(value)
        if error:
            raise forms.ValidationError(error)
        return value


class BaseSignatoryFormSet(forms.BaseFormSet):
    def signatories(self) -> list[dict[str, str]]:
        return [
            {key: form.cleaned_data.get(key, "") for key in ("name", "position", "nip")}
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


SignatoryFormSet = forms.formset_factory(
    SignatoryForm,
    formset=BaseSignatoryFormSet,
    extra=2,
    can_delete=True,
    max_num=documents.MAX_SIGNATORIES,
    validate_max=True,
)
