"""Participants are told of the results: the provisional ones with their
objection window, the final ones; an objector is told the organizers' answer.
The participants are the delegates of the regions with entries and the judges;
each mail in its recipient's language, dates in the contest's zone (WITA),
links on SITE_URL."""

import datetime as dt
import zoneinfo
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from results import services
from submissions.enums import SubmissionState
from tests.factories.accounts import UserFactory
from tests.factories.contest import CategoryFactory, DelegateFactory, RegionFactory
from tests.factories.judging import (
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
)
from tests.factories.results import submitted_sheet
from tests.factories.submissions import SubmissionFactory
from tests.notifications.mailbox import HOST, SITE, by_address, hosts, html_of

pytestmark = [pytest.mark.django_db]

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
MONTHS_ID = [
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
]
MONTHS_EN = [dt.date(2000, month, 1).strftime("%B") for month in range(1, 13)]


def in_wita(value: dt.datetime, language: str) -> str:
    local = value.astimezone(WITA)
    months, sep = (MONTHS_ID, ".") if language == "id" else (MONTHS_EN, ":")
    return (
        f"{local.day} {months[local.month - 1]} {local.year}, "
        f"{local.hour:02d}{sep}{local.minute:02d} WITA"
    )


@pytest.fixture
def people(contest):
    """Two delegates of entrant regions (Bima in English, Mimika in
    Indonesian), two judges (one of each language), a delegate whose region
    has only a draft and one whose region entered nothing."""
    bima, mimika = RegionFactory(name="Kota Bima"), RegionFactory(name="Mimika")
    draft_only = RegionFactory(name="Kota Bandung")
    return {
        "bima": DelegateFactory(
            contest=contest,
            region=bima,
            user=UserFactory(email="operator@bimakota.go.id", language="en"),
        ).user,
        "mimika": DelegateFactory(
            contest=contest,
            region=mimika,
            user=UserFactory(email="operator@mimikakab.go.id", language="id"),
        ).user,
        "draft_only": DelegateFactory(contest=contest, region=draft_only).user,
        "no_entry": DelegateFactory(contest=contest).user,
        "judge_en": JudgeFactory(
            contest=contest,
            name="Dr. Andi",
            user=UserFactory(email="andi@ugm.ac.id", language="en"),
        ),
        "judge_id": JudgeFactory(
            contest=contest,
            name="Sari",
            user=UserFactory(email="sari@unram.ac.id", language="id"),
        ),
        "regions": (bima, mimika, draft_only),
    }


@pytest.fixture
def scored(contest, people):
    """Both judges scored both entries (Saninu of Bima, Lapor Akai Meno of
    Mimika); Bandung has only a draft."""
    category = CategoryFactory(contest=contest, name="Pelayanan Publik")
    stage = OpenStageFactory(contest=contest, name="Penilaian dokumen")
    criterion = StepCriterionFactory(stage=stage, weight=Decimal(100))
    bima, mimika, bandung = people["regions"]
    entries = [
        EligibleSubmissionFactory(
            contest=contest, category=category, region=bima, title="Saninu <E-Lapor>"
        ),
        EligibleSubmissionFactory(
            contest=contest, category=category, region=mimika, title="Lapor Akai Meno"
        ),
    ]
    SubmissionFactory(
        contest=contest,
        category=category,
        region=bandung,
        state=SubmissionState.DRAFT,
    )
    for value, entry in zip((8, 6), entries, strict=True):
        for judge in (people["judge_en"], people["judge_id"]):
            submitted_sheet(
                stage=stage, judge=judge, submission=entry, values={criterion: value}
            )
    return entries


TOLD = {
    "operator@bimakota.go.id",
    "operator@mimikakab.go.id",
    "andi@ugm.ac.id",
    "sari@unram.ac.id",
}


def publish_provisional_over_the_api(api, contest, organizer, close, **extra):
    api.force_authenticate(organizer)
    return api.post(
        f"/api/v1/contests/{contest.slug}/publish/",
        {"kind": "provisional", "objections_close": close.isoformat(), **extra},
        format="json",
    )


def closing_time() -> dt.datetime:
    """Ten days on, at 07:30 UTC: 15:30 WITA."""
    day = timezone.now().date() + dt.timedelta(days=10)
    return dt.datetime(day.year, day.month, day.day, 7, 30, tzinfo=dt.UTC)


# ---------------------------------------------------------------- provisional


def test_provisional_results_reach_every_participant_with_the_window(
    api, contest, organizer, scored, django_capture_on_commit_callbacks
):
    close = closing_time()

    with django_capture_on_commit_callbacks(execute=True):
        response = publish_provisional_over_the_api(api, contest, organizer, close)

    assert response.status_code == 201
    messages = by_address(mail.outbox)
    assert set(messages) == TOLD
    opened = dt.datetime.fromisoformat(response.json()["published_at"])
    english = messages["operator@bimakota.go.id"]
    assert english.subject == f"Provisional results of {contest.name}"
    assert (
        f"Objections are accepted from {in_wita(opened, 'en')} until "
        f"{in_wita(close, 'en')}." in english.body
    )
    results = f"{SITE}/contests/{contest.slug}/results/"
    assert f"The provisional results: {results}\n" in english.body
    assert f"File an objection (signed in): {results}objections/new/" in english.body
    assert hosts(english.body) == {HOST}
    assert f'href="{results}objections/new/"' in html_of(english)
    indonesian = messages["operator@mimikakab.go.id"]
    assert indonesian.subject == f"Hasil sementara {contest.name}"
    assert f"sampai dengan {in_wita(close, 'id')}." in indonesian.body
    assert "objections/new/" in indonesian.body
    judge = messages["andi@ugm.ac.id"]
    assert f"until {in_wita(close, 'en')}." in judge.body
    assert "objections/new/" not in judge.body
    assert hosts(judge.body) == {HOST}
    rows = Notification.objects.filter(event="results.provisional")
    assert {(r.email, r.language) for r in rows} >= {
        ("operator@mimikakab.go.id", "id"),
        ("andi@ugm.ac.id", "en"),
    }
    assert {r.contest_id for r in rows} == {contest.pk}


def test_provisional_results_open_to_all_give_the_judges_the_objection_link(
    api, contest, organizer, scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish_provisional_over_the_api(
            api, contest, organizer, closing_time(), objections_open_to_all=True
        )

    judge = by_address(mail.outbox)["sari@unram.ac.id"]
    assert f"{SITE}/contests/{contest.slug}/results/objections/new/" in judge.body


def test_a_refused_provisional_publication_tells_nobody(
    api, contest, organizer, scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = publish_provisional_over_the_api(
            api, contest, organizer, timezone.now() - dt.timedelta(hours=1)
        )

    assert response.status_code == 400
    assert mail.outbox == []
    assert not Notification.objects.exists()


# ---------------------------------------------------------------- final


def test_final_results_on_the_page_reach_every_participant(
    client, contest, organizer, scored, django_capture_on_commit_callbacks
):
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("results:publish", kwargs={"slug": contest.slug}),
            {"kind": "final"},
        )

    assert response.status_code == 302
    contest.refresh_from_db()
    assert contest.frozen_at is not None
    digest = contest.publications.get().digest
    messages = by_address(mail.outbox)
    assert set(messages) == TOLD
    english = messages["andi@ugm.ac.id"]
    assert english.subject == f"Final results of {contest.name}"
    results = f"{SITE}/contests/{contest.slug}/results/"
    assert f"The results: {results}\n" in english.body
    assert f"their SHA-256 digest is {digest}." in english.body
    assert f"Check them: {results}verify/" in english.body
    assert hosts(english.body) == {HOST}
    assert f'href="{results}"' in html_of(english)
    indonesian = messages["operator@mimikakab.go.id"]
    assert indonesian.subject == f"Hasil akhir {contest.name}"
    assert f"Hasil: {results}\n" in indonesian.body
    assert hosts(indonesian.body) == {HOST}


def test_final_results_after_the_window_tell_the_participants_again(
    contest, organizer, scored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        provisional = services.publish_provisional(
            contest=contest, by=organizer, objections_close=closing_time()
        )
    provisional.objections_close = timezone.now() - dt.timedelta(minutes=1)
    provisional.save(update_fields=["objections_close"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_contest(contest=contest, by=organizer)

    assert set(by_address(mail.outbox)) == TOLD
    assert {m.subject for m in mail.outbox} == {
        f"Final results of {contest.name}",
        f"Hasil akhir {contest.name}",
    }


# ---------------------------------------------------------------- objections


@pytest.fixture
def objections(contest, organizer, people, scored, django_capture_on_commit_callbacks):
    """Bima's delegate objected twice (one entry each), Mimika's once."""
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_provisional(
            contest=contest, by=organizer, objections_close=closing_time()
        )
    mail.outbox.clear()
    saninu, akai = scored
    return [
        services.file_objection(
            contest=contest, submission_id=entry.pk, text=text, by=people[who]
        )
        for who, entry, text in (
            ("bima", saninu, "Nilai kebaruan terlalu rendah."),
            ("bima", akai, "Bukti tidak lengkap."),
            ("mimika", akai, "Mohon ditinjau ulang."),
        )
    ]


def test_an_answer_on_the_page_tells_the_objector_the_outcome(
    client, contest, organizer, objections, django_capture_on_commit_callbacks
):
    objection = objections[2]
    client.force_login(organizer)
    prefix = f"objection-{objection.pk}"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "results:objection-resolve",
                kwargs={"slug": contest.slug, "pk": objection.pk},
            ),
            {
                f"{prefix}-outcome": "dismissed",
                f"{prefix}-answer": "Penilaian sudah sesuai rubrik & bukti.",
            },
        )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["operator@mimikakab.go.id"]
    assert message.subject == f"Sanggahan Anda dalam {contest.name} telah dijawab"
    assert "menolak sanggahan Anda" in message.body
    assert "- Lapor Akai Meno\n" in message.body
    assert "Penilaian sudah sesuai rubrik & bukti." in message.body
    mine = f"{SITE}/contests/{contest.slug}/results/objections/mine/"
    assert mine in message.body
    assert hosts(message.body) == {HOST}
    html = html_of(message)
    assert "Penilaian sudah sesuai rubrik &amp; bukti." in html
    assert f'href="{mine}"' in html
    row = Notification.objects.get(event="results.objection_answered")
    assert (row.email, row.language, row.contest_id) == (
        "operator@mimikakab.go.id",
        "id",
        contest.pk,
    )


def test_one_answer_to_several_objections_is_one_mail_per_objector(
    client, contest, organizer, objections, django_capture_on_commit_callbacks
):
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("results:objections-resolve", kwargs={"slug": contest.slug}),
            {
                "bulk-objections": [o.pk for o in objections],
                "bulk-outcome": "upheld",
                "bulk-answer": "The scores are recomputed.",
            },
        )

    assert response.status_code == 302
    messages = by_address(mail.outbox)
    assert set(messages) == {"operator@bimakota.go.id", "operator@mimikakab.go.id"}
    english = messages["operator@bimakota.go.id"]
    assert english.subject == f"Your objection in {contest.name} is answered"
    assert (
        f"The organizers of {contest.name} upheld your objections to the "
        "provisional results of these entries:" in english.body
    )
    assert "- Saninu <E-Lapor>\n- Lapor Akai Meno\n" in english.body
    assert "Their answer:\nThe scores are recomputed." in english.body
    assert hosts(english.body) == {HOST}
    assert "menerima sanggahan Anda" in messages["operator@mimikakab.go.id"].body


def test_an_answer_whose_objector_is_gone_tells_nobody(
    contest, organizer, objections, django_capture_on_commit_callbacks
):
    objection = objections[2]
    objection.filed_by.delete()
    objection.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_objection(
            objection=objection, outcome="upheld", answer="Diterima.", by=organizer
        )

    assert mail.outbox == []


@pytest.mark.parametrize("extra", [0, 2])
def test_a_publication_costs_one_insert_per_participant_and_one_read(
    contest, organizer, people, scored, extra, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bima = people["regions"][0]
    DelegateFactory.create_batch(extra, contest=contest, region=bima)

    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as captured,
    ):
        services.publish_provisional(
            contest=contest, by=organizer, objections_close=closing_time()
        )

    sql = [query["sql"] for query in captured.captured_queries]
    told = [
        i
        for i, q in enumerate(sql)
        if q.startswith('INSERT INTO "notifications_notification"')
    ]
    assert len(told) == 4 + extra
    assert told == list(range(told[0], told[0] + len(told)))
    (read,) = [q for q in sql if q.startswith('SELECT "accounts_user"."id"')]
    assert sql.index(read) == told[0] - 1
