"""Judges are told of their assignments: a run of the solver (one mail per judge
whose entries grew, none for a re-run that changes nothing), a hand assignment,
an extra judge. In the judge's language, the due date in the contest's zone,
links on SITE_URL."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from judging import services as judging_services
from judging.models import StageEntry
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.contest import CategoryFactory, OrganizerFactory
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
)
from tests.notifications.mailbox import HOST, SITE, by_address, hosts, html_of

pytestmark = [pytest.mark.django_db]

MY_ASSIGNMENTS = f"{SITE}/assignments/"


@pytest.fixture
def stage(contest):
    """Scoring closes at 16:00 WITA (the contest's zone) on 5 March 2099."""
    return OpenStageFactory(
        contest=contest,
        name="Penilaian dokumen",
        closes=dt.datetime(2099, 3, 5, 8, 0, tzinfo=dt.UTC),
    )


@pytest.fixture
def category(contest):
    return CategoryFactory(contest=contest, name="Pelayanan Publik")


@pytest.fixture
def panel(contest, category):
    """Dr. Andi reads English, Sari Indonesian."""
    andi = JudgeFactory(
        contest=contest,
        name="Dr. Andi",
        user=UserFactory(email="andi@ugm.ac.id", language="en"),
        panels=[category],
    )
    sari = JudgeFactory(
        contest=contest,
        name="Sari",
        user=UserFactory(email="sari@unram.ac.id", language="id"),
        panels=[category],
    )
    return andi, sari


@pytest.fixture
def entries(contest, category):
    return [
        EligibleSubmissionFactory(contest=contest, category=category, title=title)
        for title in ("Saninu <E-Lapor>", "Layad Rawat", "Lapor Akai Meno")
    ]


def assign_on_the_page(client, stage, k):
    return client.post(
        reverse(
            "judging:assignments",
            kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk},
        ),
        {"judges_per_entry": k},
    )


def test_a_run_on_the_page_tells_each_judge_once_in_their_language(
    client, organizer, stage, panel, entries, django_capture_on_commit_callbacks
):
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = assign_on_the_page(client, stage, 2)

    assert response.status_code == 200
    assert stage.assignments.count() == 6
    messages = by_address(mail.outbox)
    assert sorted(messages) == ["andi@ugm.ac.id", "sari@unram.ac.id"]
    english, indonesian = messages["andi@ugm.ac.id"], messages["sari@unram.ac.id"]
    assert english.subject == "3 entries to score in Penilaian dokumen"
    assert "Hello Dr. Andi," in english.body
    assert (
        f"You have been assigned 3 entries to score in Penilaian dokumen of "
        f"{stage.contest.name}:" in english.body
    )
    assert "- Lapor Akai Meno\n- Layad Rawat\n- Saninu <E-Lapor>\n" in english.body
    assert "Submit your score sheets by 5 March 2099, 16:00 WITA" in english.body
    assert f"Your assignments: {MY_ASSIGNMENTS}" in english.body
    assert hosts(english.body) == {HOST}
    html = html_of(english)
    assert "<li>Saninu &lt;E-Lapor&gt;</li>" in html
    assert f'href="{MY_ASSIGNMENTS}"' in html
    assert hosts(html) == {HOST}
    assert indonesian.subject == "3 entri untuk dinilai dalam Penilaian dokumen"
    assert "5 Maret 2099, 16.00 WITA" in indonesian.body
    assert hosts(indonesian.body) == {HOST}
    rows = Notification.objects.filter(event="judging.assigned")
    assert {(r.email, r.language, r.contest_id) for r in rows} == {
        ("andi@ugm.ac.id", "en", stage.contest_id),
        ("sari@unram.ac.id", "id", stage.contest_id),
    }


def test_a_rerun_that_changes_nothing_tells_nobody(
    organizer, stage, panel, entries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        judging_services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        run = judging_services.assign_judges(
            stage=stage, judges_per_entry=2, by=organizer
        )

    assert len(run.created) == 6
    assert mail.outbox == []


def test_a_rerun_tells_only_the_judges_whose_entries_grew(
    contest,
    organizer,
    stage,
    category,
    panel,
    entries,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        judging_services.assign_judges(stage=stage, judges_per_entry=2, by=organizer)
    mail.outbox.clear()
    newcomer = JudgeFactory(
        contest=contest,
        name="Wayan",
        user=UserFactory(language="en"),
        panels=[category],
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = judging_services.assign_judges(
            stage=stage, judges_per_entry=2, by=organizer
        )

    assert {judge.pk: load for judge, load in run.loads.items()} == {
        panel[0].pk: 2,
        panel[1].pk: 2,
        newcomer.pk: 2,
    }
    (message,) = mail.outbox
    assert message.to == [newcomer.user.email]
    assert message.subject == "2 entries to score in Penilaian dokumen"


def test_a_long_list_names_twenty_entries_and_counts_the_rest(
    contest, organizer, stage, category, django_capture_on_commit_callbacks
):
    judge = JudgeFactory(
        contest=contest, user=UserFactory(language="en"), panels=[category]
    )
    for number in range(23):
        EligibleSubmissionFactory(
            contest=contest, category=category, title=f"Inovasi {number:02d}"
        )

    with django_capture_on_commit_callbacks(execute=True):
        judging_services.assign_judges(stage=stage, judges_per_entry=1, by=organizer)

    (message,) = mail.outbox
    assert message.to == [judge.user.email]
    assert message.subject == "23 entries to score in Penilaian dokumen"
    listed = [line for line in message.body.splitlines() if line.startswith("- ")]
    assert listed[:20] == [f"- Inovasi {n:02d}" for n in range(20)]
    assert listed[20:] == ["- and 3 more"]
    assert "and 3 more" in html_of(message)


def test_a_run_through_the_api_tells_the_judges(
    api, organizer, stage, panel, entries, django_capture_on_commit_callbacks
):
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/assign/",
            {"judges_per_entry": 1},
            format="json",
        )

    assert response.status_code == 201
    loads = {row["judge"]: row["load"] for row in response.json()["loads"]}
    messages = by_address(mail.outbox)
    andi, sari = panel
    told = {andi.user.email: loads.get(andi.pk, 0), sari.user.email: loads[sari.pk]}
    assert sorted(messages) == sorted(a for a, load in told.items() if load)
    assert messages["sari@unram.ac.id"].subject == (
        f"{loads[sari.pk]} entri untuk dinilai dalam Penilaian dokumen"
    )


def test_a_hand_assignment_through_the_api_tells_the_judge_of_that_entry(
    api, organizer, stage, panel, entries, django_capture_on_commit_callbacks
):
    andi, _sari = panel
    for entry in entries:
        StageEntry.objects.create(stage=stage, submission=entry)
    AssignmentFactory(stage=stage, judge=andi, submission=entries[1])
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/assignments/",
            {"judge": andi.pk, "submission": entries[0].pk},
            format="json",
        )

    assert response.status_code == 201
    (message,) = mail.outbox
    assert message.to == ["andi@ugm.ac.id"]
    assert message.subject == "An entry to score in Penilaian dokumen"
    assert "You have been assigned 1 entry to score in Penilaian dokumen" in (
        message.body
    )
    assert "- Saninu <E-Lapor>\n" in message.body
    assert "Layad Rawat" not in message.body
    assert "You now have 2 entries to score in this stage." in message.body
    assert "5 March 2099, 16:00 WITA" in message.body
    assert hosts(message.body) == {HOST}


def test_an_extra_judge_on_the_progress_page_is_told_and_the_organizers_are_not(
    client,
    contest,
    organizer,
    stage,
    panel,
    entries,
    django_capture_on_commit_callbacks,
):
    andi, sari = panel
    entry = entries[0]
    StageEntry.objects.create(stage=stage, submission=entry)
    AssignmentFactory(stage=stage, judge=andi, submission=entry)
    OrganizerFactory(contest=contest, user=UserFactory(language="en"))
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "judging:extra-judge",
                kwargs={
                    "slug": contest.slug,
                    "stage_pk": stage.pk,
                    "submission_pk": entry.pk,
                },
            )
        )

    assert response.status_code == 302
    assert stage.assignments.filter(judge=sari, submission=entry).exists()
    (message,) = mail.outbox
    assert message.to == ["sari@unram.ac.id"]
    assert message.subject == "Satu entri lagi untuk dinilai: Saninu <E-Lapor>"
    assert "Entri: Saninu <E-Lapor>" in message.body
    assert "Tahap: Penilaian dokumen" in message.body
    assert "5 Maret 2099, 16.00 WITA" in message.body
    assert f"{MY_ASSIGNMENTS}" in message.body
    assert hosts(message.body) == {HOST}
    assert "Saninu &lt;E-Lapor&gt;" in html_of(message)
    row = Notification.objects.get()
    assert (row.event, row.language) == ("judging.extra_judge", "id")


def test_an_extra_judge_in_english(
    organizer, stage, panel, entries, django_capture_on_commit_callbacks
):
    andi, sari = panel
    entry = entries[0]
    StageEntry.objects.create(stage=stage, submission=entry)
    AssignmentFactory(stage=stage, judge=sari, submission=entry)

    with django_capture_on_commit_callbacks(execute=True):
        judging_services.add_extra_judge(stage=stage, submission=entry, by=organizer)

    (message,) = mail.outbox
    assert message.to == [andi.user.email]
    assert message.subject == "One more entry to score: Saninu <E-Lapor>"
    assert "asked for one more judge for an entry in Penilaian dokumen" in (
        message.body
    )
    assert "Submit your score sheet by 5 March 2099, 16:00 WITA" in message.body


@pytest.mark.parametrize("size", [2, 4])
def test_a_run_costs_one_insert_per_judge_told_and_no_other_query(
    contest, organizer, stage, category, size, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(size):
        JudgeFactory(contest=contest, panels=[category])
    EligibleSubmissionFactory.create_batch(4, contest=contest, category=category)

    with (
        django_capture_on_commit_callbacks(execute=False),
        CaptureQueriesContext(connection) as captured,
    ):
        judging_services.assign_judges(stage=stage, judges_per_entry=1, by=organizer)

    sql = [query["sql"] for query in captured.captured_queries]
    told = [
        i
        for i, q in enumerate(sql)
        if q.startswith('INSERT INTO "notifications_notification"')
    ]
    assert len(told) == size
    assert told == list(range(told[0], told[0] + size))
