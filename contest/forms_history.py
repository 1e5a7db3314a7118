"""The set-up form's field for `Contest.past_award_exclusions`: one line per
earlier contest, "slug: award, award" (a slug alone: any award of it)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from contest.validators import validate_past_award_exclusions


class ExclusionLinesInput(forms.Textarea):
    def value_from_datadict(self, data, files, name):
        """None when the post leaves the field out (the row keeps its value)."""
        return data.get(name) if name in data else None


class ExclusionLinesField(forms.CharField):
    widget = ExclusionLinesInput(attrs={"rows": 3})

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Past awards that exclude an innovation"))
        kwargs.setdefault(
            "help_text",
            _(
                "One earlier contest per line: its slug, a colon and the awards "
                "that exclude the same innovation, e.g. “kipp-2023: Top 45, "
                "Terbaik I”. A slug alone: any award of that contest."
            ),
        )
        kwargs.setdefault("max_length", 10_000)
        super().__init__(required=False, strip=False, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(_line(item) for item in value if isinstance(item, dict))
        return value

    def to_python(self, value):
        if value is None:
            return ""
        text = super().to_python(value)
        rules = []
        for line in text.splitlines():
            slug, _sep, awards = line.partition(":")
            if not slug.strip():
                continue
            names = [a.strip() for a in awards.split(",") if a.strip()]
            rules.append({"contest": slug.strip(), "awards": names})
        try:
            validate_past_award_exclusions(rules)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        return rules


def _line(item: dict) -> str:
    awards = ", ".join(item.get("awards") or [])
    return f"{item.get('contest', '')}: {awards}" if awards else item.get("contest", "")
