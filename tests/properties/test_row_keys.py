"""The stage page's rows are sliced out of their groups without making the whole
list: every slice equals the same slice of the flat list."""

from hypothesis import given
from hypothesis import strategies as st

from results.selectors.page import CategoryOrder, RowKeys

sizes = st.lists(st.integers(min_value=0, max_value=7), max_size=6)


def groups_of(lengths: list[int]) -> list[CategoryOrder]:
    start = 0
    groups = []
    for number, length in enumerate(lengths):
        groups.append(CategoryOrder(number, list(range(start, start + length))))
        start += length
    return groups


@given(sizes, st.integers(-3, 45), st.integers(-3, 45))
def test_every_slice_is_the_flat_lists(lengths, start, stop):
    groups = groups_of(lengths)
    flat = [(group, entry_id) for group in groups for entry_id in group.entry_ids]
    keys = RowKeys(groups)

    assert len(keys) == len(flat)
    assert keys[start:stop] == flat[start:stop]
    assert keys[:] == flat


@given(sizes.filter(sum), st.data())
def test_one_row_by_its_index(lengths, data):
    groups = groups_of(lengths)
    flat = [(group, entry_id) for group in groups for entry_id in group.entry_ids]
    index = data.draw(st.integers(0, len(flat) - 1))

    assert RowKeys(groups)[index] == flat[index]
    assert RowKeys(groups)[index - len(flat)] == flat[index - len(flat)]
    assert list(RowKeys(groups)) == flat
