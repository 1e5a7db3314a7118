"""Numbers read one way per language (common.numbers, the `number` filter): a
decimal comma and thousands points in Indonesian, the reverse in English, a zero
as a figure and only a missing value as a dash."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from common.numbers import MISSING, format_number, to_decimal


@pytest.mark.parametrize(
    ("value", "places", "indonesian", "english"),
    [
        (Decimal("47.04"), None, "47,04", "47.04"),
        ("47.04", None, "47,04", "47.04"),
        (Decimal("1234567.5"), 2, "1.234.567,50", "1,234,567.50"),
        (1000, None, "1.000", "1,000"),
        (-1234.5, None, "-1.234,5", "-1,234.5"),
        (Decimal("2.345"), 2, "2,35", "2.35"),
        (Decimal("0"), None, "0", "0"),
        (0, 2, "0,00", "0.00"),
        ("0.00", None, "0,00", "0.00"),
        (Decimal("-0.001"), 2, "0,00", "0.00"),
        (None, None, MISSING, MISSING),
        ("", 2, MISSING, MISSING),
        ("n/a", None, "n/a", "n/a"),
    ],
)
def test_format_number_per_language(value, places, indonesian, english):
    assert format_number(value, places, language="id") == indonesian
    assert format_number(value, places, language="en") == english


def test_format_number_follows_the_active_language():
    with translation.override("id"):
        indonesian = format_number(Decimal("47.04"))
    with translation.override("en"):
        english = format_number(Decimal("47.04"))

    assert (indonesian, english) == ("47,04", "47.04")


def test_number_filter_zero_is_never_a_dash():
    template = Template(
        "{% load numbers %}{{ zero|number }}|{{ zero|number:2 }}|"
        "{{ none|number }}|{{ score|number:2 }}"
    )

    with translation.override("id"):
        text = template.render(
            Context({"zero": Decimal("0.00"), "none": None, "score": "47.04"})
        )

    assert text == "0,00|0,00|—|47,04"


def _read_back(text: str, language: str) -> Decimal:
    decimal_sep, thousands_sep = (",", ".") if language == "id" else (".", ",")
    return Decimal(text.replace(thousands_sep, "").replace(decimal_sep, "."))


@given(
    value=st.decimals(
        min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
    ),
    places=st.integers(min_value=0, max_value=4),
    language=st.sampled_from(["id", "en"]),
)
def test_format_number_reads_back_as_the_rounded_value(value, places, language):
    text = format_number(value, places, language=language)

    assert text != MISSING
    assert _read_back(text, language) == value.quantize(
        Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP"
    )
    decimal_sep = "," if language == "id" else "."
    if places:
        assert len(text.rsplit(decimal_sep, 1)[1]) == places
    else:
        assert decimal_sep not in text


@given(
    value=st.decimals(min_value=Decimal("1000"), max_value=Decimal("1e15"), places=0),
    language=st.sampled_from(["id", "en"]),
)
def test_format_number_groups_every_three_digits(value, language):
    text = format_number(value, language=language)

    groups = text.split("." if language == "id" else ",")
    assert 1 <= len(groups[0]) <= 3
    assert all(len(group) == 3 for group in groups[1:])


@given(st.one_of(st.integers(), st.floats(allow_nan=False, allow_infinity=False)))
def test_to_decimal_takes_every_finite_number(value):
    assert to_decimal(value) == Decimal(
        repr(value) if isinstance(value, float) else value
    )


def test_to_decimal_refuses_what_is_no_number():
    assert [to_decimal(v) for v in (None, True, "x", "nan", float("inf"))] == [None] * 5
