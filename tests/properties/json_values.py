"""Strategies for the JSON documents the ledger and the publications hash."""

import datetime as dt

from hypothesis import strategies as st

# Text as the database gives it back: no lone surrogate (not UTF-8) and no NUL
# (PostgreSQL refuses it in text and jsonb).
TEXT_CHARACTERS = st.characters(
    blacklist_categories=("Cs",), blacklist_characters="\x00"
)
texts = st.text(alphabet=TEXT_CHARACTERS, max_size=12)

# What json.loads gives back: the shape of a stored snapshot or entry's data.
plain_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts
)

# What a service may hand to canonical_json: DjangoJSONEncoder writes these as
# strings.
rich_scalars = (
    plain_scalars
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
    | st.datetimes(timezones=st.just(dt.UTC))
    | st.dates()
)


def documents(
    scalars: st.SearchStrategy = plain_scalars, *, max_leaves: int = 16
) -> st.SearchStrategy:
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(texts, children, max_size=4)
        ),
        max_leaves=max_leaves,
    )


def objects(
    scalars: st.SearchStrategy = plain_scalars, *, max_leaves: int = 16
) -> st.SearchStrategy:
    """A JSON object (the top level of a snapshot or of an entry's data)."""
    return st.dictionaries(texts, documents(scalars, max_leaves=max_leaves), max_size=5)
