"""Fields added to an audited model after the ledger began (`added_later`): a row
holding their defaults hashes as it did before they existed, so an older database
still verifies; a row whose later field is changed outside the services is caught."""

import pytest

from contest import ledger
from contest.ledger.rows import _hash_state, audited_models
from contest.models import Stage
from contest.services import update_stage
from tests.factories.contest import OrganizerFactory, StageFactory

pytestmark = [pytest.mark.django_db]


def _state_without_later(stage: Stage) -> str:
    spec = audited_models()["contest.stage"]
    older = [c for c in spec.fields if c not in spec.later]
    row = Stage.objects.filter(pk=stage.pk).values(*older).get()
    return _hash_state(row)


def test_a_row_at_its_later_defaults_hashes_as_before_they_existed():
    stage = StageFactory()

    assert ledger.row_hash(stage) == _state_without_later(stage)


def test_a_later_field_set_by_the_service_is_hashed_and_verifies():
    stage = StageFactory()
    organizer = OrganizerFactory(contest=stage.contest).user

    update_stage(stage=stage, by=organizer, data={"qc_sample_percent": 25})

    assert ledger.row_hash(stage) != _state_without_later(stage)
    mine = [p for p in ledger.verify_rows().problems if p.object_id == str(stage.pk)]
    assert mine == []


def test_a_later_field_changed_by_sql_is_reported():
    stage = StageFactory()
    organizer = OrganizerFactory(contest=stage.contest).user
    update_stage(stage=stage, by=organizer, data={"qc_sample_percent": 20})

    Stage.objects.filter(pk=stage.pk).update(ranking_public=True)

    mine = [p for p in ledger.verify_rows().problems if p.object_id == str(stage.pk)]
    assert len(mine) == 1
