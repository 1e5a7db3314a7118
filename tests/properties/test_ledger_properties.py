"""The audit ledger's guarantees on generated chains and rows.

The chain is checked at the level of its pure functions (`entry_hash`,
`verify_chain`) on unsaved `AuditEntry` instances: no database. An entry's hash
covers every field of `entry_payload`; the foreign keys `contest` and `actor` are
not hashed on purpose (they are set to NULL when a contest or an account is
deleted; `contest_slug` and `actor_email` keep what the entry said), nor is the
primary key. The rows are checked through `record` and `verify_rows`, which read
the database: those examples run on the test database, each rolled back.
"""

import datetime as dt

from django.db import transaction
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from contest.ledger import (
    GENESIS_HASH,
    ROW_DELETED,
    audited_models,
    canonical_json,
    entry_hash,
    record,
    verify_chain,
    verify_rows,
)
from contest.models import AuditEntry, Category
from tests.factories.contest import CategoryFactory, ContestFactory
from tests.properties.json_values import TEXT_CHARACTERS, objects, texts

HASHED_FIELDS = (
    "seq",
    "created_at",
    "contest_slug",
    "actor_email",
    "action",
    "object_type",
    "object_id",
    "data",
    "row_hash",
    "prev_hash",
    "hash",
)

hex_digests = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
moments = st.datetimes(
    min_value=dt.datetime(2020, 1, 1),
    max_value=dt.datetime(2040, 1, 1),
    timezones=st.just(dt.UTC),
)
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=8)
FIELD_VALUES = {
    "seq": st.integers(0, 10**6),
    "created_at": moments,
    "contest_slug": st.just("") | st.text(alphabet="abc-019", max_size=8),
    "actor_email": st.just("") | words.map(lambda name: f"{name}@example.id"),
    "action": st.builds("{}.{}".format, words, words),
    "object_type": st.builds("{}.{}".format, words, words),
    "object_id": st.integers(1, 10**6).map(str) | texts,
    "data": objects(max_leaves=6),
    "row_hash": st.just("") | st.just(ROW_DELETED) | hex_digests,
    "prev_hash": hex_digests,
    "hash": hex_digests,
}
CONTENT_FIELDS = [
    name for name in HASHED_FIELDS if name not in ("seq", "prev_hash", "hash")
]


@st.composite
def chains(draw, *, min_size: int = 1) -> list[AuditEntry]:
    """A chain as `record` builds it: seq 1, 2, ..., each entry linked to the
    previous one's hash."""
    entries = []
    prev_hash = GENESIS_HASH
    for seq in range(1, draw(st.integers(min_size, 4)) + 1):
        entry = AuditEntry(
            seq=seq,
            prev_hash=prev_hash,
            **{name: draw(FIELD_VALUES[name]) for name in CONTENT_FIELDS},
        )
        entry.hash = entry_hash(entry)
        prev_hash = entry.hash
        entries.append(entry)
    return entries


def _same_in_the_payload(name: str, old, new) -> bool:
    """Whether two values of a field write the same canonical JSON (a dict with
    its keys in another order, the same instant written alike)."""
    if name == "created_at":
        return old.isoformat() == new.isoformat()
    return canonical_json(old) == canonical_json(new)


@settings(max_examples=60)
@given(chain=chains())
def test_a_chain_built_as_record_builds_it_verifies(chain):
    assert verify_chain(chain) == []


@settings(max_examples=80)
@given(
    chain=chains(),
    name=st.sampled_from(HASHED_FIELDS),
    data=st.data(),
)
def test_any_change_to_any_hashed_field_of_any_entry_breaks_the_chain(
    chain, name, data
):
    entry = data.draw(st.sampled_from(chain))
    value = data.draw(FIELD_VALUES[name])
    assume(not _same_in_the_payload(name, getattr(entry, name), value))

    setattr(entry, name, value)

    problems = verify_chain(chain)
    assert problems
    if name != "seq":
        assert entry.seq in {problem.seq for problem in problems}


@settings(max_examples=80)
@given(chain=chains(), name=st.sampled_from(CONTENT_FIELDS), data=st.data())
def test_a_changed_entry_with_its_hash_recomputed_breaks_the_chain_or_the_anchor(
    chain, name, data
):
    """Rewriting an entry and its own hash breaks the next entry's link; for the
    last entry, nothing follows, and the head no longer matches its anchor (the
    check of `verify_ledger --anchor`)."""
    anchored = chain[-1].hash
    entry = data.draw(st.sampled_from(chain))
    value = data.draw(FIELD_VALUES[name])
    assume(not _same_in_the_payload(name, getattr(entry, name), value))

    setattr(entry, name, value)
    entry.hash = entry_hash(entry)

    problems = verify_chain(chain)
    if entry is chain[-1]:
        assert chain[-1].hash != anchored
    else:
        assert entry.seq + 1 in {problem.seq for problem in problems}


@settings(max_examples=60)
@given(chain=chains(min_size=2), data=st.data())
def test_removing_or_reordering_entries_breaks_the_chain(chain, data):
    """Any entry but the last removed, or two entries swapped (the end of the chain
    is the anchor's to guard)."""
    position = data.draw(st.integers(0, len(chain) - 2))
    removed = chain[:position] + chain[position + 1 :]
    swapped = list(chain)
    other = data.draw(st.integers(0, len(chain) - 1).filter(lambda i: i != position))
    swapped[position], swapped[other] = swapped[other], swapped[position]

    assert verify_chain(removed)
    assert verify_chain(swapped)


# ------------------------------------------------------------------ audited rows

CATEGORY_VALUES = {
    "name": st.text(alphabet=TEXT_CHARACTERS, min_size=1, max_size=120),
    "slug": st.from_regex(r"[a-z0-9-]{1,80}", fullmatch=True),
    "description": st.text(alphabet=TEXT_CHARACTERS, max_size=200),
    "order": st.integers(0, 32767),
    "contest_id": st.just("another contest"),
}


def test_the_category_values_cover_every_hashed_field():
    assert set(audited_models()["contest.category"].fields) == set(CATEGORY_VALUES)


@settings(max_examples=25)
@given(data=st.data())
def test_any_change_to_a_hashed_field_of_an_audited_row_is_reported(db, data):
    """A category recorded by the ledger, then one of its hashed fields changed
    behind the services (SQL): `verify_rows` reports that row."""
    name = data.draw(st.sampled_from(sorted(CATEGORY_VALUES)))
    with transaction.atomic():
        category = CategoryFactory()
        record(action="category.added", obj=category, contest=category.contest)
        assert verify_rows().problems == []
        value = data.draw(CATEGORY_VALUES[name])
        if name == "contest_id":
            value = ContestFactory().pk
        assume(value != getattr(category, name))

        Category.objects.filter(pk=category.pk).update(**{name: value})

        problems = verify_rows().problems
        assert [(p.object_type, p.object_id) for p in problems] == [
            ("contest.category", str(category.pk))
        ]
        transaction.set_rollback(True)
