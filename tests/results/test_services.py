import datetime as dt
import hashlib
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from judging.models import Score
from results import services
from results.enums import AwardKind, ObjectionOutcome
from results.models import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    ScoreBand,
    StageMinutes,
    StageWeight,
)
from tests.factories.contest import RegionFactory
from tests.factories.judging import EligibleSubmissionFactory, JudgeFactory
from tests.factories.results import submitted_sheet

pytestmark = [pytest.mark.django_db]

D = Decimal


def independent_digest(snapshot) -> str:
    return hashlib.sha256(
        json.dumps(
            snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
    ).hexdigest()


def floats_in(value, path="$"):
    """Every path in a JSON document that holds a float."""
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in floats_in(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in floats_in(v, f"{path}[{i}]")]
    return []


def states(*submissions):
    return [type(s).objects.get(pk=s.pk).state for s in submissions]


@pytest.fixture
def tied(contest, stage, final_stage, criteria, category):
    """E1 with two sheets of 80, E2 and E3 with one each: E1 first, E2 and E3 tied
    at rank 2 (every step of the chain equal)."""
    a, b, c = (JudgeFactory(contest=contest) for _ in range(3))
    e1, e2, e3 = (
        EligibleSubmissionFactory(contest=contest, category=category, title=title)
        for title in ("Satu", "Dua", "Tiga")
    )
    values = {criteria[0]: 8, criteria[1]: 8}
    submitted_sheet(stage=stage, judge=a, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=b, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=a, submission=e2, values=values)
    submitted_sheet(stage=stage, judge=c, submission=e3, values=values)
    return e1, e2, e3


# ---------------------------------------------------------------- advancement


def test_advance_stage_moves_the_best_of_each_category(
    stage, final_stage, scored, entries, organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = services.advance_stage(stage=stage, by=organizer)

    e1, e2, e3 = entries["E1"], entries["E2"], entries["E3"]
    assert states(e1, e2, e3) == ["advanced", "advanced", "not_advanced"]
    assert (decision.advanced, decision.not_advanced) == ([e1.pk, e2.pk], [e3.pk])
    assert decision.places == 2
    assert decision.tie_decisions == []
    assert [e1.pk, 1, "84.67", "84.67"] in decision.basis
    entry = AuditEntry.objects.get(action="results.advanced")
    assert entry.data["advanced"] == [e1.pk, e2.pk]
    minutes = StageMinutes.objects.get(stage=stage)
    with minutes.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF")


def test_advance_stage_at_a_tie_refuses_with_the_tied_entries(
    stage, tied, organizer, table_rows
):
    e1, e2, e3 = tied

    rows_before = table_rows()
    with pytest.raises(services.UndecidedTieError) as caught:
        services.advance_stage(stage=stage, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert [
        (tie["rank"], tie["places"], [e["id"] for e in tie["entries"]])
        for tie in caught.value.ties
    ] == [(2, 1, [e2.pk, e3.pk])]
    assert caught.value.ties[0]["entries"][0]["normalized_score"] == "80.00"
    assert states(e1, e2, e3) == ["eligible"] * 3
    assert not AdvancementDecision.objects.exists()


def test_advance_stage_at_a_tie_with_the_organizers_decision(stage, tied, organizer):
    e1, e2, e3 = tied

    decision = services.advance_stage(stage=stage, by=organizer, tie_break=[e3.pk])

    assert states(e1, e2, e3) == ["advanced", "not_advanced", "advanced"]
    assert decision.tie_decisions == [
        {
            "category": e1.category_id,
            "region_type": "",
            "rank": 2,
            "places": 1,
            "tied": [e2.pk, e3.pk],
            "chosen": [e3.pk],
        }
    ]


@pytest.mark.parametrize("choice", ["both", "none_of_them"])
def test_advance_stage_refuses_a_wrong_tie_decision(stage, tied, organizer, choice):
    e1, e2, e3 = tied
    tie_break = {"both": [e2.pk, e3.pk], "none_of_them": [e1.pk]}[choice]

    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer, tie_break=tie_break)

    assert caught.value.status == 400
    assert states(e1, e2, e3) == ["eligible"] * 3


def test_advance_stage_refuses_a_decision_without_a_tie(
    stage, final_stage, scored, entries, organizer
):
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer, tie_break=[entries["E1"].pk])

    assert caught.value.field == "tie_break"


def test_advance_stage_with_quotas_per_region_type(
    contest, stage, final_stage, criteria, category, organizer
):
    judge = JudgeFactory(contest=contest)
    made = []
    for index, region_type in enumerate(["kota", "kota", "kabupaten", "kabupaten"]):
        submission = EligibleSubmissionFactory(
            contest=contest,
            category=category,
            region=RegionFactory(type=region_type),
        )
        submitted_sheet(
            stage=stage,
            judge=judge,
            submission=submission,
            values={criteria[0]: 9 - index, criteria[1]: 9 - index},
        )
        made.append(submission)

    decision = services.advance_stage(
        stage=stage, by=organizer, quotas={"kota": 1, "kabupaten": "1"}
    )

    assert decision.quotas == {"kota": 1, "kabupaten": 1}
    assert decision.places == 2
    assert states(*made) == ["advanced", "not_advanced", "advanced", "not_advanced"]


@pytest.mark.parametrize(
    ("quotas", "field"),
    [({"desa": 1}, "quotas"), ({"kota": -1}, "quotas"), ({"kota": 0}, "quotas")],
)
def test_advance_stage_refuses_bad_quotas(
    stage, final_stage, scored, organizer, quotas, field
):
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer, quotas=quotas)

    assert caught.value.field == field


def test_advance_stage_refuses_twice(stage, final_stage, scored, organizer, table_rows):
    services.advance_stage(stage=stage, by=organizer)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert AdvancementDecision.objects.count() == 1


def test_advance_stage_refuses_the_last_stage(stage, scored, organizer, table_rows):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


def test_advance_stage_refuses_without_places(
    stage, final_stage, scored, organizer, table_rows
):
    stage.advance_per_category = None
    stage.save()

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


def test_advance_stage_refuses_before_any_sheet(
    stage, final_stage, criteria, entries, organizer, table_rows
):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before


@pytest.mark.parametrize("who", ["delegate", "judge", "other_organizer"])
def test_advance_stage_only_by_an_organizer(
    request, stage, final_stage, scored, entries, who
):
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=request.getfixturevalue(who))

    assert caught.value.status == 403
    assert states(entries["E1"]) == ["eligible"]


def test_advance_stage_refused_after_publication(
    stage, final_stage, published, entries, organizer, table_rows
):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.advance_stage(stage=stage, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert states(*entries.values()) == ["eligible"] * 3


# ---------------------------------------------------------------- weights and bands


def test_set_stage_weights_stores_and_audits(contest, stage, final_stage, organizer):
    weights = services.set_stage_weights(
        contest=contest, weights={stage.pk: "1", final_stage.pk: D("2.5")}, by=organizer
    )

    assert weights == {stage.pk: D("1"), final_stage.pk: D("2.5")}
    assert StageWeight.objects.get(stage=final_stage).weight == D("2.50")
    assert AuditEntry.objects.filter(action="results.weights_set").exists()


@pytest.mark.parametrize("value", ["-1", "abc", "10000", "1.234"])
def test_set_stage_weights_refuses_bad_values(contest, stage, organizer, value):
    with pytest.raises(DomainError) as caught:
        services.set_stage_weights(
            contest=contest, weights={stage.pk: value}, by=organizer
        )

    assert caught.value.field == "weights"


def test_set_stage_weights_refuses_all_zero(contest, stage, final_stage, organizer):
    with pytest.raises(DomainError):
        services.set_stage_weights(
            contest=contest, weights={stage.pk: 0, final_stage.pk: 0}, by=organizer
        )

    assert not StageWeight.objects.exists()


def test_set_score_bands_replaces_the_bands(contest, organizer):
    services.set_score_bands(
        contest=contest, bands=[(D("50"), "Tinggi"), (D("0"), "Rendah")], by=organizer
    )

    assert list(
        ScoreBand.objects.filter(contest=contest).values_list("threshold", "label")
    ) == [(D("50.00"), "Tinggi"), (D("0.00"), "Rendah")]


@pytest.mark.parametrize(
    "bands",
    [
        [],
        [(D("10"), "")],
        [(D("10"), "A"), (D("10"), "B")],
        [(D("10"), "A"), (D("20"), "a")],
        [(D("101"), "A")],
    ],
)
def test_set_score_bands_refuses_bad_bands(contest, organizer, bands):
    with pytest.raises(DomainError) as caught:
        services.set_score_bands(contest=contest, bands=bands, by=organizer)

    assert caught.value.field == "bands"


def test_set_score_bands_refused_after_publication(
    contest, published, organizer, table_rows
):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.set_score_bands(contest=contest, bands=[(0, "Semua")], by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert not ScoreBand.objects.exists()


# ---------------------------------------------------------------- awards


def test_assign_award_to_an_entry(contest, scored, entries, organizer):
    award = services.assign_award(
        contest=contest,
        name="Terbaik I",
        submission=entries["E1"],
        rank=1,
        by=organizer,
    )

    assert (award.kind, award.category, award.rank) == (
        AwardKind.PLACE,
        entries["E1"].category,
        1,
    )
    assert AuditEntry.objects.filter(action="results.award_given").count() == 1


def test_assign_award_to_a_region(contest, scored, entries, organizer):
    award = services.assign_award(
        contest=contest,
        name="Kepala Daerah Inovatif",
        region=entries["E2"].region,
        by=organizer,
    )

    assert (award.kind, award.submission, award.region) == (
        AwardKind.REGIONAL,
        None,
        entries["E2"].region,
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"submission": None}, "submission"),
        ({"region": "region"}, "submission"),
        ({"kind": AwardKind.REGIONAL}, "region"),
        ({"rank": 0}, "rank"),
    ],
)
def test_assign_award_refuses_bad_input(
    contest, scored, entries, organizer, kwargs, field
):
    values = {"name": "Terbaik I", "submission": entries["E1"]}
    values.update(kwargs)
    if values.get("region") == "region":
        values["region"] = entries["E1"].region

    with pytest.raises(DomainError) as caught:
        services.assign_award(contest=contest, by=organizer, **values)

    assert caught.value.field == field
    assert not Award.objects.exists()


def test_assign_award_refuses_an_entry_of_another_contest(contest, organizer):
    other = EligibleSubmissionFactory()

    with pytest.raises(DomainError) as caught:
        services.assign_award(contest=contest, name="X", submission=other, by=organizer)

    assert caught.value.field == "submission"


def test_assign_award_refuses_a_name_given_twice_in_a_category(
    contest, scored, entries, organizer, table_rows
):
    services.assign_award(
        contest=contest, name="Terbaik I", submission=entries["E1"], by=organizer
    )

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.assign_award(
            contest=contest, name="Terbaik I", submission=entries["E2"], by=organizer
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert Award.objects.count() == 1


def test_give_place_awards_by_the_final_ranking(contest, scored, entries, organizer):
    report = services.give_place_awards(contest=contest, by=organizer, places=3)

    assert [(a.name, a.submission, a.rank) for a in report.created] == [
        ("Terbaik I", entries["E1"], 1),
        ("Terbaik II", entries["E2"], 2),
        ("Terbaik III", entries["E3"], 3),
    ]
    again = services.give_place_awards(contest=contest, by=organizer, places=3)
    assert again.created == []


def test_give_place_awards_leaves_a_tied_category(contest, stage, tied, organizer):
    report = services.give_place_awards(contest=contest, by=organizer, places=2)

    assert report.created == []
    assert [c.pk for c in report.tied_categories] == [tied[0].category_id]


def test_award_after_publication_is_refused_and_the_snapshot_stays(
    contest, published, entries, organizer, table_rows
):
    before = (published.snapshot, published.digest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.assign_award(
            contest=contest, name="Khusus", submission=entries["E3"], by=organizer
        )
    award = Award.objects.get()
    with pytest.raises(DomainError) as removing:
        services.remove_award(award=award, by=organizer)

    assert (caught.value.status, removing.value.status) == (409, 409)
    assert table_rows() == rows_before
    assert Award.objects.count() == 1
    published.refresh_from_db()
    assert (published.snapshot, published.digest) == before


# ---------------------------------------------------------------- publication


def test_publish_contest_freezes_a_snapshot_with_its_digest(
    contest, stage, scored, entries, organizer
):
    services.give_place_awards(contest=contest, by=organizer, places=1)

    publication = services.publish_contest(contest=contest, by=organizer)

    snapshot = publication.snapshot
    assert publication.digest == independent_digest(snapshot)
    assert floats_in(snapshot) == []
    assert snapshot["kind"] == "final"
    assert snapshot["contest"]["slug"] == contest.slug
    by_id = {entry["id"]: entry for entry in snapshot["entries"]}
    e1 = by_id[entries["E1"].pk]
    assert e1["region"] == {
        "code": entries["E1"].region_id,
        "name": entries["E1"].region.name,
        "type": entries["E1"].region.type,
    }
    assert e1["stages"] == [
        {
            "stage": stage.pk,
            "raw_score": "84.67",
            "median": "87.00",
            "normalized_score": "84.67",
            "spread": "13.00",
            "sheets": 3,
            "rank": 1,
            "tie_unresolved": False,
        }
    ]
    assert (e1["final_score"], e1["final_rank"], e1["band"], e1["awards"]) == (
        "84.67",
        1,
        "Sangat Inovatif",
        ["Terbaik I"],
    )
    assert by_id[entries["E3"].pk]["band"] == "Inovatif"
    assert snapshot["stages"][0]["alpha"] == "0.796"
    assert [c["alpha"] for c in snapshot["stages"][0]["criteria"]] == ["0.733", "0.811"]
    assert snapshot["awards"][0]["entry"] == entries["E1"].pk
    ledger_entry = AuditEntry.objects.get(action="results.published")
    assert ledger_entry.data == {
        "kind": "final",
        "digest": publication.digest,
        "ledger_head": publication.ledger_head_hash,
        "objections_open_to_all": False,
    }
    assert ledger_entry.prev_hash == publication.ledger_head_hash


def test_publish_contest_twice_is_refused_and_the_snapshot_stays(
    contest, published, organizer, table_rows
):
    before = (published.snapshot, published.digest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.publish_contest(contest=contest, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert Publication.objects.count() == 1
    published.refresh_from_db()
    assert (published.snapshot, published.digest) == before


def test_snapshot_stays_when_a_score_changes_after_publication(
    contest, published, scored, criteria
):
    before = (published.snapshot, published.digest)
    Score.objects.filter(sheet=scored["E3", "A"], criterion=criteria[1]).update(
        value=D("10")
    )

    published.refresh_from_db()

    assert (published.snapshot, published.digest) == before
    assert independent_digest(published.snapshot) == published.digest


def test_publish_contest_refuses_with_nothing_scored(
    contest, stage, criteria, organizer, table_rows
):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.publish_contest(contest=contest, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert not Publication.objects.exists()


def test_publish_contest_only_by_an_organizer(contest, scored, delegate):
    with pytest.raises(DomainError) as caught:
        services.publish_contest(contest=contest, by=delegate)

    assert caught.value.status == 403


def test_publish_provisional_opens_the_objection_window(contest, scored, organizer):
    closes = timezone.now() + dt.timedelta(days=3)

    publication = services.publish_provisional(
        contest=contest, by=organizer, objections_close=closes
    )

    assert publication.kind == "provisional"
    assert publication.snapshot["kind"] == "provisional"
    assert publication.digest == independent_digest(publication.snapshot)
    assert publication.objections_close == closes.replace(microsecond=0)


def test_publish_provisional_refuses_a_past_window(contest, scored, organizer):
    with pytest.raises(DomainError) as caught:
        services.publish_provisional(
            contest=contest,
            by=organizer,
            objections_close=timezone.now() - dt.timedelta(minutes=1),
        )

    assert caught.value.field == "objections_close"


@pytest.fixture
def provisional(contest, scored, organizer):
    return services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=3),
    )


def test_publish_final_refused_while_objections_are_open(
    contest, provisional, organizer, table_rows
):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.publish_contest(contest=contest, by=organizer)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert not Publication.objects.filter(kind="final").exists()


def test_publish_final_refused_while_an_objection_awaits_an_answer(
    contest, provisional, entries, delegate, organizer, table_rows
):
    objection = services.file_objection(
        contest=contest, submission_id=entries["E2"].pk, text="Keberatan.", by=delegate
    )
    Publication.objects.filter(pk=provisional.pk).update(
        objections_close=timezone.now() - dt.timedelta(minutes=1)
    )

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.publish_contest(contest=contest, by=organizer)
    assert table_rows() == rows_before
    services.resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.DISMISSED,
        answer="Nilai sesuai data dukung.",
        by=organizer,
    )
    final = services.publish_contest(contest=contest, by=organizer)

    assert caught.value.status == 409
    assert final.snapshot["objections"] == {
        "filed": 1,
        "upheld": 0,
        "dismissed": 1,
        "pending": 0,
        "items": [
            {
                "id": objection.pk,
                "entry": entries["E2"].pk,
                "entry_title": entries["E2"].title,
                "gist": "Keberatan.",
                "outcome": "dismissed",
                "answer": "Nilai sesuai data dukung.",
            }
        ],
    }


# ---------------------------------------------------------------- objections


def test_file_objection_records_it(contest, provisional, entries, delegate):
    objection = services.file_objection(
        contest=contest,
        submission_id=entries["E1"].pk,
        text="  Terlalu tinggi. ",
        by=delegate,
    )

    assert (objection.publication, objection.text, objection.outcome) == (
        provisional,
        "Terlalu tinggi.",
        ObjectionOutcome.PENDING,
    )
    assert AuditEntry.objects.filter(action="results.objection_filed").count() == 1


def test_file_objection_refused_without_a_window(
    contest, scored, entries, delegate, table_rows
):
    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        services.file_objection(
            contest=contest, submission_id=entries["E1"].pk, text="X", by=delegate
        )

    assert caught.value.status == 409
    assert table_rows() == rows_before


@pytest.mark.parametrize(("submission", "text"), [("other", "X"), ("E1", " ")])
def test_file_objection_refuses_bad_input(
    contest, provisional, entries, delegate, submission, text
):
    submission_id = (
        EligibleSubmissionFactory(contest=contest).pk
        if submission == "other"
        else entries[submission].pk
    )

    with pytest.raises(DomainError) as caught:
        services.file_objection(
            contest=contest, submission_id=submission_id, text=text, by=delegate
        )

    assert caught.value.status == 400
    assert not Objection.objects.exists()


def test_file_objection_needs_a_signed_in_user(contest, provisional, entries):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(DomainError) as caught:
        services.file_objection(
            contest=contest,
            submission_id=entries["E1"].pk,
            text="X",
            by=AnonymousUser(),
        )

    assert caught.value.status == 403


def test_resolve_objection_needs_an_answer_and_only_once(
    contest, provisional, entries, delegate, organizer, table_rows
):
    objection = services.file_objection(
        contest=contest, submission_id=entries["E1"].pk, text="X", by=delegate
    )

    with pytest.raises(DomainError) as missing:
        services.resolve_objection(
            objection=objection,
            outcome=ObjectionOutcome.UPHELD,
            answer=" ",
            by=organizer,
        )
    services.resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.UPHELD,
        answer="Benar.",
        by=organizer,
    )
    rows_before = table_rows()
    with pytest.raises(DomainError) as twice:
        services.resolve_objection(
            objection=objection,
            outcome=ObjectionOutcome.DISMISSED,
            answer="Tidak.",
            by=organizer,
        )

    assert (missing.value.field, twice.value.status) == ("answer", 409)
    assert table_rows() == rows_before
    objection.refresh_from_db()
    assert (objection.outcome, objection.answer) == (ObjectionOutcome.UPHELD, "Benar.")


def test_resolve_objection_only_by_an_organizer(
    contest, provisional, entries, delegate
):
    objection = services.file_objection(
        contest=contest, submission_id=entries["E1"].pk, text="X", by=delegate
    )

    with pytest.raises(DomainError) as caught:
        services.resolve_objection(
            objection=objection,
            outcome=ObjectionOutcome.UPHELD,
            answer="Ya",
            by=delegate,
        )

    assert caught.value.status == 403


# ---------------------------------------------------------------- minutes and checks


def test_generate_minutes_stores_the_pdf_with_the_ledger_head(
    stage, final_stage, scored, organizer
):
    from contest.models import LedgerHead

    services.advance_stage(stage=stage, by=organizer)
    head = LedgerHead.objects.get().last_hash

    minutes = services.generate_minutes(stage=stage, by=organizer)

    with minutes.file.open("rb") as handle:
        content = handle.read()
    assert content.startswith(b"%PDF")
    assert minutes.sha256 == hashlib.sha256(content).hexdigest()
    assert minutes.ledger_head_hash == head
    entry = AuditEntry.objects.get(action="results.minutes_generated")
    assert entry.data == {
        "stage": stage.pk,
        "sha256": minutes.sha256,
        "ledger_head": head,
    }


def test_publish_contest_freezes_and_announces_the_contest(contest, published):
    contest.refresh_from_db()

    assert contest.frozen_at == published.published_at
    assert contest.is_public is True
    entry = AuditEntry.objects.filter(action="contest.frozen").get()
    assert entry.data["publication"] == published.pk


def test_verify_publications_passes_on_intact_publications(published, capsys):
    call_command("verify_publications")

    assert "Every publication checks out: 1 digest(s)" in capsys.readouterr().out


def test_verify_publications_finds_a_changed_snapshot(published):
    snapshot = dict(published.snapshot, kind="changed")
    Publication.objects.filter(pk=published.pk).update(snapshot=snapshot)

    with pytest.raises(CommandError):
        call_command("verify_publications")


def test_verify_publications_finds_a_digest_missing_from_the_ledger(published):
    AuditEntry.objects.filter(action="results.published").update(
        data={"kind": "final", "digest": "0" * 64}
    )

    with pytest.raises(CommandError):
        call_command("verify_publications")
