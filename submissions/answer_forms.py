"""The entry form's questions as fields of the entry's page form: each question
(but a file question, uploaded on its own) becomes a field `answer_<id>`, labelled
and helped in the user's language, checked by submissions.answers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contest.enums import QuestionKind
from contest.models import EntryQuestion
from submissions.answers import MAX_LENGTH, MAX_LINK, clean_answer
from submissions.models_answers import Answer

PREFIX = "answer_"


class _AnswerField(forms.Field):
    """Runs clean_answer on the typed value (the question's own check)."""

    def __init__(self, *, question: EntryQuestion, base: forms.Field, **kwargs):
        self.question = question
        self.base = base
        super().__init__(widget=base.widget, required=False, **kwargs)

    def to_python(self, value):
        return value

    def clean(self, value):
        value = self.base.clean(value)
        if isinstance(value, list) and self.question.kind == QuestionKind.CHOICE:
            value = value[0] if value else None
        try:
            return clean_answer(self.question, value)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


def _base_field(question: EntryQuestion) -> forms.Field:
    kind = question.kind
    options = [(o, o) for o in question.options or []]
    if kind == QuestionKind.LONG_TEXT:
        return forms.CharField(
            required=False,
            max_length=MAX_LENGTH[kind],
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    if kind == QuestionKind.NUMBER:
        return forms.CharField(
            required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"})
        )
    if kind == QuestionKind.DATE:
        return forms.CharField(
            required=False, widget=forms.DateInput(attrs={"type": "date"})
        )
    if kind == QuestionKind.CHOICE:
        return forms.ChoiceField(required=False, choices=[("", "—"), *options])
    if kind == QuestionKind.CHOICES:
        return forms.MultipleChoiceField(
            required=False, choices=options, widget=forms.CheckboxSelectMultiple
        )
    if kind == QuestionKind.LINK:
        return forms.CharField(
            required=False, max_length=MAX_LINK, widget=forms.URLInput()
        )
    return forms.CharField(required=False, max_length=MAX_LENGTH[kind])


def _label(question: EntryQuestion, language: str, categories: bool) -> str:
    label = question.label_in(language)
    if question.required:
        label = _("%(label)s (needed to submit)") % {"label": label}
    if categories and question.category_id:
        label = _("%(label)s — only for %(category)s") % {
            "label": label,
            "category": question.category.name,
        }
    return label


def add_answer_fields(
    form: forms.Form,
    questions: list[EntryQuestion],
    *,
    language: str,
    answers: dict[int, Answer] | None = None,
    show_categories: bool = False,
) -> None:
    """Add a field per typed question to `form`, filled with the stored answers
    (unless the form is bound: then it keeps what was typed)."""
    answers = answers or {}
    for question in questions:
        if question.kind == QuestionKind.FILE:
            continue
        name = f"{PREFIX}{question.pk}"
        form.fields[name] = _AnswerField(
            question=question,
            base=_base_field(question),
            label=_label(question, language, show_categories),
            help_text=question.help_in(language),
        )
        stored = answers.get(question.pk)
        if stored is not None and not form.is_bound:
            form.initial[name] = stored.value


def split_answers(cleaned: dict[str, Any]) -> tuple[dict[str, Any], dict[int, Any]]:
    """The entry's own fields, and the answers by question id."""
    own = {k: v for k, v in cleaned.items() if not k.startswith(PREFIX)}
    answers = {
        int(k.removeprefix(PREFIX)): v
        for k, v in cleaned.items()
        if k.startswith(PREFIX)
    }
    return own, answers


class AnswerFileForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File"))
