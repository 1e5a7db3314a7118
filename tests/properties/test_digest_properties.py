"""The canonical JSON every digest is taken of (contest.ledger.canonical_json) and
the publication's digest (results.services.snapshot_digest): serializing is a
fixed point, the digest survives the trip through JSON and through the database,
and the order of an object's keys never reaches the bytes."""

import hashlib
import json

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.ledger import canonical_json
from results.services import snapshot_digest
from tests.factories.results import PublicationFactory
from tests.properties.json_values import documents, objects, rich_scalars, texts


@settings(max_examples=120)
@given(value=documents(rich_scalars))
def test_canonical_json_round_trips_to_the_same_bytes(value):
    """serialize -> parse -> serialize gives the bytes of the first serialization,
    for the values a service hands over too (Decimals, dates: written as strings)."""
    first = canonical_json(value)

    again = canonical_json(json.loads(first.decode("utf-8")))

    assert again == first


@settings(max_examples=120)
@given(snapshot=objects())
def test_a_snapshots_digest_equals_its_round_tripped_copys(snapshot):
    copy = json.loads(canonical_json(snapshot))

    assert snapshot_digest(copy) == snapshot_digest(snapshot)
    assert snapshot_digest(snapshot) == (
        hashlib.sha256(canonical_json(snapshot)).hexdigest()
    )


def _reordered(value, data):
    """`value` with the keys of every object inserted in a drawn order."""
    if isinstance(value, dict):
        keys = data.draw(st.permutations(list(value)))
        return {key: _reordered(value[key], data) for key in keys}
    if isinstance(value, list):
        return [_reordered(item, data) for item in value]
    return value


@settings(max_examples=120)
@given(value=documents(rich_scalars), data=st.data())
def test_the_order_of_the_keys_never_changes_the_bytes(value, data):
    shuffled = _reordered(value, data)

    assert canonical_json(shuffled) == canonical_json(value)


# A stored snapshot holds no float (scores are decimal strings, see
# results.selectors.snapshot.build_snapshot): PostgreSQL's jsonb would not keep a
# float's spelling.
snapshot_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | texts
    | st.decimals(allow_nan=False, allow_infinity=False, places=2).map(str)
)


@settings(max_examples=25)
@given(snapshot=objects(snapshot_scalars))
def test_the_digest_survives_the_database(db, snapshot):
    """What a publication stores is what its digest was taken of: read back from
    the database, the snapshot has the same digest."""
    with transaction.atomic():
        publication = PublicationFactory(snapshot=snapshot)
        publication.refresh_from_db()

        assert snapshot_digest(publication.snapshot) == snapshot_digest(snapshot)
        transaction.set_rollback(True)


@pytest.mark.parametrize("value", [{"b": 1, "a": [1, 2]}, [], "é", 10**30])
def test_canonical_json_is_compact_sorted_utf8(value):
    """The form is fixed: no white space, keys sorted, UTF-8 not \\u escapes."""
    text = canonical_json(value).decode("utf-8")

    assert text == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
