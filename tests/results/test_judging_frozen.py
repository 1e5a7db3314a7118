"""After the final publication, judging can no longer change what was frozen."""

import pytest

from common.errors import DomainError
from judging import services
from judging.models import ScoreSheet

pytestmark = [pytest.mark.django_db]


def test_reopen_sheet_refused_after_publication(
    published, scored, organizer, table_rows
):
    sheet = next(iter(scored.values()))

    rows_before = table_rows()
    with pytest.raises(DomainError) as excinfo:
        services.reopen_sheet(sheet=sheet, by=organizer, reason="koreksi")

    assert excinfo.value.status == 409
    assert table_rows() == rows_before
    sheet.refresh_from_db()
    assert sheet.state == "submitted"


def test_assign_judges_refused_after_publication(
    published, stage, organizer, table_rows
):
    before = stage.assignments.count()

    rows_before = table_rows()
    with pytest.raises(DomainError) as excinfo:
        services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)

    assert excinfo.value.status == 409
    assert table_rows() == rows_before
    assert stage.assignments.count() == before


def test_submitted_sheets_unchanged_after_refused_changes(published, scored, organizer):
    versions = dict(ScoreSheet.objects.values_list("pk", "version"))

    for sheet in scored.values():
        with pytest.raises(DomainError):
            services.reopen_sheet(sheet=sheet, by=organizer, reason="koreksi")

    assert dict(ScoreSheet.objects.values_list("pk", "version")) == versions
