"""The pure rule of changing an entry form (contest.entry_forms.change_problems):
hand-computed cases, and a property: whatever change it allows leaves every stored
answer valid under the answer validator (submissions.answers)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.entry_forms import FILE_TYPES, Spec, StoredAnswer, change_problems
from contest.enums import QuestionKind as K
from contest.models import EntryQuestion
from submissions.answers import clean_answer, file_type_accepted
from submissions.files import ACCEPTED_TYPES


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted are the source (English) texts."""
    settings.LANGUAGE_CODE = "en"


def fields(problems):
    return [p.field for p in problems]


def test_change_problems_new_optional_question_is_allowed_after_submissions():
    assert change_problems(None, Spec(K.SHORT_TEXT), unanswered_submitted=[1]) == []


def test_change_problems_new_required_question_refused_once_submitted():
    problems = change_problems(
        None, Spec(K.SHORT_TEXT, required=True), unanswered_submitted=[1, 2]
    )

    assert fields(problems) == ["required"]
    assert "2 submitted entries" in problems[0].message


def test_change_problems_new_required_question_of_other_category_allowed():
    new = Spec(K.SHORT_TEXT, category=5, required=True)

    assert change_problems(None, new, unanswered_submitted=[1, 2]) == []


def test_change_problems_kind_change_with_answers_refused():
    answers = [StoredAnswer(category=1, value="ya")]

    problems = change_problems(Spec(K.SHORT_TEXT), Spec(K.LONG_TEXT), answers=answers)

    assert fields(problems) == ["kind"]


def test_change_problems_kind_change_without_answers_allowed():
    assert change_problems(Spec(K.SHORT_TEXT), Spec(K.NUMBER)) == []


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        ("0", "100", []),
        ("-5", None, []),
        ("20", "100", ["min_value"]),
        ("0", "40", ["max_value"]),
        ("20", "40", ["min_value", "max_value"]),
    ],
)
def test_change_problems_number_range(low, high, expected):
    answers = [StoredAnswer(1, "10"), StoredAnswer(1, "50.5")]
    old = Spec(K.NUMBER, min_value=Decimal("0"), max_value=Decimal("100"))
    new = Spec(
        K.NUMBER,
        min_value=Decimal(low),
        max_value=Decimal(high) if high else None,
    )

    assert fields(change_problems(old, new, answers=answers)) == expected


def test_change_problems_removing_a_used_option_refused_adding_allowed():
    old = Spec(K.CHOICES, options=("a", "b", "c"))
    answers = [StoredAnswer(1, ["a", "b"])]

    removed = change_problems(old, Spec(K.CHOICES, options=("a", "c")), answers=answers)
    added = change_problems(
        old, Spec(K.CHOICES, options=("a", "b", "d")), answers=answers
    )

    assert fields(removed) == ["options"]
    assert "“b”" in removed[0].message
    assert fields(added) == []


def test_change_problems_removing_a_used_file_type_refused():
    old = Spec(K.FILE, file_types=("pdf", "jpg"))
    answers = [StoredAnswer(1, None, "jpg")]

    assert fields(
        change_problems(old, Spec(K.FILE, file_types=("pdf",)), answers=answers)
    ) == ["file_types"]
    assert change_problems(old, Spec(K.FILE, file_types=()), answers=answers) == []


def test_change_problems_moving_to_a_category_refused_when_others_answered():
    answers = [StoredAnswer(1, "x"), StoredAnswer(2, "y")]

    problems = change_problems(
        Spec(K.SHORT_TEXT), Spec(K.SHORT_TEXT, category=1), answers=answers
    )

    assert fields(problems) == ["category"]


def test_change_problems_optional_to_required_refused_with_unanswered_submitted():
    problems = change_problems(
        Spec(K.SHORT_TEXT),
        Spec(K.SHORT_TEXT, required=True),
        unanswered_submitted=[3],
    )

    assert fields(problems) == ["required"]


def test_change_problems_required_to_optional_allowed():
    old = Spec(K.SHORT_TEXT, required=True)

    assert change_problems(old, Spec(K.SHORT_TEXT), unanswered_submitted=[3]) == []


def test_change_problems_delete_with_answers_refused_without_allowed():
    assert fields(
        change_problems(Spec(K.DATE), None, answers=[StoredAnswer(1, "2024-01-01")])
    ) == ["question"]
    assert change_problems(Spec(K.DATE), None) == []


def test_file_types_are_those_of_the_evidence():
    assert set(FILE_TYPES) == set(ACCEPTED_TYPES)


# The property ----------------------------------------------------------------

OPTIONS = ["a", "b", "c", "d"]
bounds = st.one_of(st.none(), st.integers(-50, 50).map(Decimal))


@st.composite
def specs(draw, kind=None):
    kind = kind or draw(st.sampled_from(list(K)))
    low, high = draw(bounds), draw(bounds)
    if low is not None and high is not None and high < low:
        low, high = high, low
    return Spec(
        kind=kind,
        category=draw(st.sampled_from([None, 1, 2])),
        required=draw(st.booleans()),
        min_value=low,
        max_value=high,
        options=tuple(draw(st.lists(st.sampled_from(OPTIONS), unique=True))),
        file_types=tuple(draw(st.lists(st.sampled_from(FILE_TYPES), unique=True))),
    )


def question_of(spec):
    return EntryQuestion(
        kind=spec.kind,
        required=spec.required,
        min_value=spec.min_value,
        max_value=spec.max_value,
        options=list(spec.options),
        file_types=list(spec.file_types),
    )


raw_values = st.one_of(
    st.text(max_size=5),
    st.integers(-60, 60).map(str),
    st.sampled_from(OPTIONS),
    st.lists(st.sampled_from(OPTIONS), unique=True),
    st.dates().map(lambda d: d.isoformat()),
    st.just("https://contoh.go.id/x"),
)


def stored_answers(spec, raws, exts):
    """The answers a question of `spec` would have stored from these inputs."""
    question = question_of(spec)
    answers = []
    for raw, ext in zip(raws, exts, strict=False):
        category = spec.category or 1
        if spec.kind == K.FILE:
            if file_type_accepted(question, ext):
                answers.append(StoredAnswer(category, None, ext))
            continue
        try:
            value = clean_answer(question, raw)
        except ValidationError:
            continue
        if value is not None:
            answers.append(StoredAnswer(category, value))
    return answers


@settings(max_examples=300, deadline=None)
@given(
    old=specs(),
    data=st.data(),
    raws=st.lists(raw_values, max_size=4),
    exts=st.lists(st.sampled_from(FILE_TYPES), min_size=4, max_size=4),
)
def test_change_problems_allowed_changes_keep_every_answer_valid(old, data, raws, exts):
    answers = stored_answers(old, raws, exts)
    new = data.draw(st.one_of(specs(), specs(kind=old.kind)))

    problems = change_problems(old, new, answers=answers)

    if problems:
        return
    question = question_of(new)
    for answer in answers:
        assert new.category is None or answer.category == new.category
        if new.kind == K.FILE:
            assert file_type_accepted(question, answer.file_ext)
        elif new.kind == K.CHOICES:
            # Still valid: the same choices, listed in the options' new order.
            assert sorted(clean_answer(question, answer.value)) == sorted(answer.value)
        else:
            assert clean_answer(question, answer.value) == answer.value
