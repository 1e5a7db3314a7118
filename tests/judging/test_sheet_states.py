"""The sheet states' transition table and its one owner, `set_sheet_state`."""

import pytest

from common.errors import DomainError
from contest.models import AuditEntry
from judging import services
from judging.enums import ALLOWED_SHEET_TRANSITIONS, SheetState
from judging.models import ScoreSheet
from tests.factories.judging import ScoreSheetFactory, SubmittedSheetFactory

pytestmark = [pytest.mark.django_db]


def stored(sheet):
    row = ScoreSheet.objects.get(pk=sheet.pk)
    return row.state, row.version, row.submitted_at, AuditEntry.objects.count()


def test_sheet_transitions_table_is_submit_and_reopen():
    assert {
        SheetState.DRAFT: frozenset({SheetState.SUBMITTED}),
        SheetState.SUBMITTED: frozenset({SheetState.DRAFT}),
    } == ALLOWED_SHEET_TRANSITIONS
    assert set(ALLOWED_SHEET_TRANSITIONS) == set(SheetState.values)


def test_set_sheet_state_submits_a_draft(assignment):
    sheet = ScoreSheetFactory(assignment=assignment, version=3)

    services.set_sheet_state(
        sheet=sheet, new_state=SheetState.SUBMITTED, by=assignment.judge.user
    )

    sheet.refresh_from_db()
    assert sheet.state == SheetState.SUBMITTED
    assert sheet.submitted_at is not None
    assert sheet.version == 3
    entry = AuditEntry.objects.get(action="sheet.submitted")
    assert entry.data == {"assignment": assignment.pk, "version": 3}


def test_set_sheet_state_reopens_a_submitted_sheet(assignment, organizer):
    sheet = SubmittedSheetFactory(assignment=assignment, version=3)

    services.set_sheet_state(
        sheet=sheet, new_state=SheetState.DRAFT, by=organizer, reason=" Periksa. "
    )

    assert sheet.state == SheetState.DRAFT
    assert sheet.submitted_at is None
    assert sheet.version == 4
    entry = AuditEntry.objects.get(action="sheet.reopened")
    assert entry.data == {
        "assignment": assignment.pk,
        "version": 4,
        "reason": "Periksa.",
    }


@pytest.mark.parametrize(
    ("factory", "new_state", "message"),
    [
        (
            ScoreSheetFactory,
            SheetState.DRAFT,
            "Only a submitted sheet can be reopened.",
        ),
        (
            SubmittedSheetFactory,
            SheetState.SUBMITTED,
            "This sheet is submitted and can no longer be changed.",
        ),
        (ScoreSheetFactory, "withdrawn", "This sheet cannot change to that state."),
    ],
)
def test_set_sheet_state_refuses_a_transition_outside_the_table(
    assignment, organizer, factory, new_state, message, table_rows
):
    sheet = factory(assignment=assignment)
    before = stored(sheet)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.set_sheet_state(sheet=sheet, new_state=new_state, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert str(caught.value.message) == message
    assert stored(sheet) == before
