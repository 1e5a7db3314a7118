"""After the final publication the contest is frozen: every write of the results
refuses with 409 and changes nothing, through the services, the pages and the API.

The table below lists every public write function of results.services; a
completeness check by introspection fails when a new function is neither in it nor
among the documented reads and records, so a new write cannot skip the guard."""

import datetime as dt
import importlib
import inspect
import pkgutil

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry, LedgerHead
from judging.models import StageEntry
from results import services
from results.models import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    ScoreBand,
    StageMinutes,
    StageWeight,
)
from submissions.models import Submission
from tests.factories.results import ObjectionFactory

pytestmark = [pytest.mark.django_db]


def fingerprint(contest):
    """Everything a refused write could have changed."""
    head = LedgerHead.objects.filter(id=1).first()
    contest.refresh_from_db()
    return {
        "ledger": (AuditEntry.objects.count(), head.last_hash if head else None),
        "contest": (contest.frozen_at, contest.is_public),
        "awards": sorted(
            Award.objects.values_list("pk", "name", "submission_id", "rank")
        ),
        "publications": sorted(
            Publication.objects.values_list("pk", "kind", "digest", "objections_close")
        ),
        "objections": sorted(
            Objection.objects.values_list("pk", "outcome", "answer", "submission_id")
        ),
        "weights": sorted(StageWeight.objects.values_list("stage_id", "weight")),
        "bands": sorted(ScoreBand.objects.values_list("threshold", "label")),
        "decisions": sorted(AdvancementDecision.objects.values_list("stage_id")),
        "stage_entries": sorted(
            StageEntry.objects.values_list("stage_id", "submission_id")
        ),
        "states": sorted(Submission.objects.values_list("pk", "state")),
    }


# Each write: how to call it on the frozen contest (`ctx` holds the fixtures).
WRITES = {
    "advance_stage": lambda ctx: services.advance_stage(
        stage=ctx["stage"], by=ctx["organizer"]
    ),
    "set_stage_weights": lambda ctx: services.set_stage_weights(
        contest=ctx["contest"], weights={ctx["stage"].pk: "2"}, by=ctx["organizer"]
    ),
    "set_score_bands": lambda ctx: services.set_score_bands(
        contest=ctx["contest"], bands=[("0", "Semua")], by=ctx["organizer"]
    ),
    "set_results_settings": lambda ctx: services.set_results_settings(
        contest=ctx["contest"],
        weights={ctx["stage"].pk: "2"},
        bands=[("0", "Semua")],
        by=ctx["organizer"],
    ),
    "assign_award": lambda ctx: services.assign_award(
        contest=ctx["contest"],
        name="Khusus",
        submission=ctx["entries"]["E2"],
        by=ctx["organizer"],
    ),
    "remove_award": lambda ctx: services.remove_award(
        award=Award.objects.get(name="Terbaik I"), by=ctx["organizer"]
    ),
    "give_place_awards": lambda ctx: services.give_place_awards(
        contest=ctx["contest"], by=ctx["organizer"], places=3
    ),
    "set_results_documents": lambda ctx: services.set_results_documents(
        contest=ctx["contest"], by=ctx["organizer"], place="Mataram"
    ),
    "publish_provisional": lambda ctx: services.publish_provisional(
        contest=ctx["contest"],
        by=ctx["organizer"],
        objections_close=timezone.now() + dt.timedelta(days=3),
    ),
    "publish_contest": lambda ctx: services.publish_contest(
        contest=ctx["contest"], by=ctx["organizer"]
    ),
    "file_objection": lambda ctx: services.file_objection(
        contest=ctx["contest"],
        submission_id=ctx["entries"]["E1"].pk,
        text="Keberatan.",
        by=ctx["delegate"],
    ),
    "resolve_objection": lambda ctx: services.resolve_objection(
        objection=ctx["objection"],
        outcome="dismissed",
        answer="Sudah sesuai.",
        by=ctx["organizer"],
    ),
    "resolve_objections": lambda ctx: services.resolve_objections(
        contest=ctx["contest"],
        objection_ids=[ctx["objection"].pk],
        outcome="dismissed",
        answer="Sudah sesuai.",
        by=ctx["organizer"],
    ),
}

# Public functions that write nothing the freeze protects, and why.
NOT_GUARDED = {
    "snapshot_digest": "pure: the digest of a snapshot",
    "objections_per_user": "reads a setting",
    "check_may_object": "a check, writes nothing",
    "request_minutes": "queues the minutes: a record, allowed after the freeze",
    "generate_minutes": "the minutes are a record of the frozen figures",
}


def test_every_public_write_of_the_results_is_in_the_table():
    modules = [
        importlib.import_module(f"{services.__name__}.{info.name}")
        for info in pkgutil.iter_modules(services.__path__)
    ]
    public = {
        name
        for module in modules
        for name, obj in inspect.getmembers(module, inspect.isfunction)
        if obj.__module__ == module.__name__ and not name.startswith("_")
    }

    assert public == set(WRITES) | set(NOT_GUARDED)


@pytest.fixture
def frozen(contest, stage, final_stage, scored, entries, organizer, delegate):
    """The contest after its real final publication, with a pending objection row
    (made directly: the services refuse one after the freeze)."""
    services.give_place_awards(contest=contest, by=organizer, places=1)
    publication = services.publish_contest(contest=contest, by=organizer)
    provisional = Publication.objects.create(
        contest=contest,
        kind="provisional",
        snapshot=publication.snapshot,
        digest=publication.digest,
        published_at=publication.published_at - dt.timedelta(days=1),
        objections_close=timezone.now() + dt.timedelta(days=1),
    )
    objection = ObjectionFactory(
        publication=provisional, submission=entries["E1"], filed_by=delegate
    )
    contest.refresh_from_db()
    return {
        "contest": contest,
        "stage": stage,
        "final_stage": final_stage,
        "entries": entries,
        "organizer": organizer,
        "delegate": delegate,
        "objection": objection,
        "publication": publication,
    }


@pytest.mark.parametrize("name", sorted(WRITES))
def test_results_write_refused_after_the_final_publication(frozen, name, table_rows):
    before = fingerprint(frozen["contest"])

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        WRITES[name](frozen)

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert fingerprint(frozen["contest"]) == before


def test_publish_contest_freezes_in_the_same_transaction(frozen):
    contest = frozen["contest"]
    publication = frozen["publication"]

    assert contest.frozen_at == publication.published_at
    assert contest.is_public is True
    assert publication.ledger_head_hash
    published = AuditEntry.objects.get(
        action="results.published", object_id=str(publication.pk)
    )
    assert published.prev_hash == publication.ledger_head_hash


def test_minutes_still_written_after_the_freeze_as_a_record(frozen):
    stage = frozen["stage"]
    publication = frozen["publication"]

    minutes = services.generate_minutes(stage=stage, by=frozen["organizer"])

    assert StageMinutes.objects.filter(pk=minutes.pk).exists()
    publication.refresh_from_db()
    assert services.snapshot_digest(publication.snapshot) == publication.digest


# ---------------------------------------------------------------- pages


def url(name, contest, **kwargs):
    return reverse(f"results:{name}", kwargs={"slug": contest.slug, **kwargs})


PAGE_POSTS = {
    "settings": lambda ctx: (
        url("settings", ctx["contest"]),
        {
            f"weights-weight_{ctx['stage'].pk}": "2",
            f"weights-weight_{ctx['final_stage'].pk}": "1",
            "bands-TOTAL_FORMS": "1",
            "bands-INITIAL_FORMS": "0",
            "bands-0-threshold": "0",
            "bands-0-label": "Semua",
        },
    ),
    "awards": lambda ctx: (
        url("awards", ctx["contest"]),
        {"name": "Khusus", "kind": "special", "submission": ctx["entries"]["E2"].pk},
    ),
    "award-places": lambda ctx: (url("award-places", ctx["contest"]), {"places": 3}),
    "award-remove": lambda ctx: (
        url("award-remove", ctx["contest"], pk=Award.objects.get(name="Terbaik I").pk),
        {},
    ),
    "objection-resolve": lambda ctx: (
        url("objection-resolve", ctx["contest"], pk=ctx["objection"].pk),
        {
            f"objection-{ctx['objection'].pk}-outcome": "dismissed",
            f"objection-{ctx['objection'].pk}-answer": "Sudah sesuai.",
        },
    ),
    "objections-resolve": lambda ctx: (
        url("objections-resolve", ctx["contest"]),
        {
            "bulk-objections": [ctx["objection"].pk],
            "bulk-outcome": "dismissed",
            "bulk-answer": "Sudah sesuai.",
        },
    ),
    "publish-final": lambda ctx: (url("publish", ctx["contest"]), {"kind": "final"}),
    "publish-provisional": lambda ctx: (
        url("publish", ctx["contest"]),
        {"kind": "provisional", "objections_close": "2030-01-01T10:00"},
    ),
    "advance": lambda ctx: (
        url("advance", ctx["contest"], stage_pk=ctx["stage"].pk),
        {"ranked_by": "normalized"},
    ),
    "object": lambda ctx: (
        url("object", ctx["contest"]),
        {"submission": ctx["entries"]["E1"].pk, "text": "Keberatan."},
    ),
}


@pytest.mark.parametrize("name", sorted(PAGE_POSTS))
def test_results_pages_change_nothing_after_the_final_publication(client, frozen, name):
    path, data = PAGE_POSTS[name](frozen)
    user = frozen["delegate"] if name == "object" else frozen["organizer"]
    client.force_login(user)
    before = fingerprint(frozen["contest"])

    response = client.post(path, data)

    assert response.status_code in (200, 302, 404, 409)
    assert fingerprint(frozen["contest"]) == before


# ---------------------------------------------------------------- API


def test_api_writes_answer_409_after_the_final_publication(api, frozen, table_rows):
    contest, stage = frozen["contest"], frozen["stage"]
    api.force_authenticate(frozen["organizer"])
    base = f"/api/v1/contests/{contest.slug}"
    before = fingerprint(contest)
    rows_before = table_rows()

    answers = [
        api.post(f"{base}/stages/{stage.pk}/advance/", {}, format="json"),
        api.post(
            f"{base}/awards/",
            {"name": "Khusus", "submission": frozen["entries"]["E2"].pk},
            format="json",
        ),
        api.post(f"{base}/publish/", {}, format="json"),
        api.post(
            f"{base}/publish/",
            {
                "kind": "provisional",
                "objections_close": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            },
            format="json",
        ),
    ]

    assert [answer.status_code for answer in answers] == [409, 409, 409, 409]
    assert all("detail" in answer.json() for answer in answers)
    assert fingerprint(contest) == before
    assert table_rows() == rows_before


def test_api_publish_answers_the_ledger_head(api, contest, scored, organizer):
    api.force_authenticate(organizer)

    response = api.post(f"/api/v1/contests/{contest.slug}/publish/", {}, format="json")
    results = api.get(f"/api/v1/contests/{contest.slug}/results/")

    publication = Publication.objects.get(kind="final")
    assert response.status_code == 201
    assert response.json()["ledger_head_hash"] == publication.ledger_head_hash
    assert results.json()["ledger_head_hash"] == publication.ledger_head_hash
    assert len(publication.ledger_head_hash) == 64


def test_verify_page_shows_the_ledger_head(client, frozen):
    response = client.get(url("verify", frozen["contest"]))

    assert frozen["publication"].ledger_head_hash in response.content.decode()


def test_publish_confirmation_says_the_contest_is_announced(
    client, contest, scored, organizer
):
    client.force_login(organizer)

    response = client.get(url("manage", contest))

    content = response.content.decode()
    assert "listed publicly" in content
    assert "announces it" in content
