"""The second demo contest, in the IGA format, runs from reporting to a published
result through the platform's services (results/demo_iga)."""

import hashlib
from collections import Counter

import pytest
from django.core import mail

from contest import ledger
from contest.ledger import canonical_json
from contest.models import AuditEntry
from judging.enums import QualityCheck, Verdict
from judging.models import IndicatorValidation, Slot
from results.demo_iga import data
from results.demo_iga.loader import load_iga_demo
from results.models import AdvancementDecision, Award, Publication

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def iga(regions, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return load_iga_demo()


def test_iga_demo_is_published_with_a_digest_anyone_can_check(iga):
    publication = Publication.objects.get(contest=iga)

    assert publication.is_final
    assert iga.is_frozen
    assert (
        publication.digest
        == hashlib.sha256(canonical_json(publication.snapshot)).hexdigest()
    )
    assert ledger.verify_chain(list(AuditEntry.objects.order_by("seq"))) == []


def test_iga_demo_validates_indicators_and_explains_the_index(iga):
    snapshot = Publication.objects.get(contest=iga).snapshot
    stage = next(s for s in snapshot["stages"] if s.get("kind") == "indicator")

    bands = Counter(e["band"] for e in stage["index_entries"])
    assert bands["Tidak dapat dinilai"] == 1
    assert {"Sangat Inovatif", "Inovatif", "Kurang Inovatif"} <= set(bands)
    missing = next(i for i in data.INNOVATIONS if i.answers[0][1] == data.MISSING)
    not_assessable = next(e for e in stage["index_entries"] if e["score"] is None)
    entry = next(e for e in snapshot["entries"] if e["id"] == not_assessable["entry"])
    assert entry["title"] == missing.title
    validations = IndicatorValidation.objects.filter(stage__contest=iga)
    assert validations.filter(verdict=Verdict.PENDING).count() == 0
    assert validations.filter(qc_state=QualityCheck.OVERTURNED).count() == 1
    assert validations.filter(qc_state=QualityCheck.SAMPLED).count() == 0


def test_iga_demo_invites_the_best_of_each_cluster_and_schedules_them(iga):
    indicator_stage = iga.stages.get(order=2)
    presentation = iga.stages.get(order=3)

    decision = AdvancementDecision.objects.get(stage=indicator_stage)
    advanced = set(presentation.stage_entries.values_list("submission_id", flat=True))
    assert {
        row if isinstance(row, int) else row["id"] for row in decision.advanced
    } == (advanced)
    assert len(advanced) == 10
    booked = Slot.objects.filter(stage=presentation, submission__isnull=False)
    assert set(booked.values_list("submission_id", flat=True)) == advanced
    seen = set()
    for slot in booked.prefetch_related("judges"):
        for judge in slot.judges.all():
            assert (judge.pk, slot.starts_at) not in seen
            seen.add((judge.pk, slot.starts_at))
    assert any(
        attachment[0].endswith(".ics")
        for message in mail.outbox
        for attachment in message.attachments
    )


def test_iga_demo_gives_awards_per_cluster_category(iga):
    firsts = Award.objects.filter(contest=iga, name="Terbaik I")

    assert firsts.count() == len(data.CATEGORIES)


def test_iga_demo_loaded_twice_changes_nothing(iga):
    entries = AuditEntry.objects.count()

    again = load_iga_demo()

    assert again.pk == iga.pk
    assert AuditEntry.objects.count() == entries
