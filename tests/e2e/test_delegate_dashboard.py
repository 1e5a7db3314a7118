"""A delegate follows one entry on its dashboard on a phone (360 px): sent back for
revision, resubmitted and screened eligible, the provisional scores and judges'
comments during the objection window, an objection filed from the dashboard and
its answer, then the final results with the award and the feedback report. Each
page is checked with axe and for sideways scroll. The organizers' and judges'
steps are arranged through the services (their pages have their own tests)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.support import check_page, expect, follow, sign_in, visit
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True)]

ANSWER = "The evidence was read in full; the score stands."


@pytest.fixture
def world(transactional_db):
    """A contest with a scoring stage of two criteria, three judges, the delegate's
    entry and two others, the delegate's entry submitted with one document."""
    from judging.models import StageEntry
    from submissions import services as entry_services
    from tests.factories.contest import (
        CategoryFactory,
        ContestFactory,
        DelegateFactory,
        OrganizerFactory,
        RegionFactory,
    )
    from tests.factories.judging import (
        EligibleSubmissionFactory,
        JudgeFactory,
        OpenStageFactory,
        StepCriterionFactory,
    )
    from tests.factories.submissions import EvidenceFactory, SubmissionFactory

    contest = ContestFactory(slug="dasbor-2031", name="Kontes Dasbor 2031")
    category = CategoryFactory(contest=contest, name="Pelayanan Publik", order=1)
    organizer = OrganizerFactory(contest=contest).user
    delegate_role = DelegateFactory(contest=contest)
    entry = SubmissionFactory(
        contest=contest,
        category=category,
        region=delegate_role.region,
        title="Saninu E-Lapor",
    )
    EvidenceFactory(submission=entry, title="Laporan tahunan")
    entry_services.submit_submission(submission=entry, by=delegate_role.user)
    stage = OpenStageFactory(contest=contest, name="Penilaian dokumen", order=2)
    criteria = [
        StepCriterionFactory(stage=stage, name="Kebaruan", weight=Decimal(30), order=1),
        StepCriterionFactory(
            stage=stage, name="Kemanfaatan", weight=Decimal(70), order=2
        ),
    ]
    others = [
        EligibleSubmissionFactory(
            contest=contest,
            category=category,
            region=RegionFactory(name=name),
            title=title,
        )
        for name, title in (
            ("Kabupaten Mimika", "Lapor Akai Meno"),
            ("Kota Bandung", "Layad Rawat"),
        )
    ]
    judges = [JudgeFactory(contest=contest, name=f"Juri {k}") for k in "ABC"]
    return {
        "contest": contest,
        "organizer": organizer,
        "delegate": delegate_role.user,
        "entry": entry,
        "stage": stage,
        "criteria": criteria,
        "others": others,
        "judges": judges,
        "StageEntry": StageEntry,
    }


def _dashboard(world) -> str:
    entry = world["entry"]
    return f"/entries/{entry.contest.slug}/{entry.pk}/dashboard/"


def _revise(world) -> None:
    from submissions import services

    services.request_revision(
        submission=world["entry"],
        deadline=timezone.now() + dt.timedelta(days=2),
        note="Attach the decree of the innovation.",
        by=world["organizer"],
    )


def _resubmit_and_screen(world) -> None:
    from submissions import services

    entry = world["entry"]
    entry.refresh_from_db()
    services.submit_submission(submission=entry, by=world["delegate"])
    services.screen_submission(
        submission=entry, eligible=True, reason="Complete.", by=world["organizer"]
    )


def _score_and_publish_provisional(world) -> None:
    from results import services
    from tests.factories.results import submitted_sheet

    entries = [world["entry"], *world["others"]]
    values = {0: (8, 9), 1: (6, 7), 2: (4, 5)}
    for n, submission in enumerate(entries):
        world["StageEntry"].objects.get_or_create(
            stage=world["stage"], submission=submission
        )
        for k, judge in enumerate(world["judges"]):
            v1, v2 = values[n]
            submitted_sheet(
                stage=world["stage"],
                judge=judge,
                submission=submission,
                values={world["criteria"][0]: v1, world["criteria"][1]: v2},
                comments={world["criteria"][0]: f"Remark {k} on {submission.title}."},
            )
    services.give_place_awards(
        contest=world["contest"], by=world["organizer"], places=1
    )
    services.publish_provisional(
        contest=world["contest"],
        by=world["organizer"],
        objections_close=timezone.now() + dt.timedelta(days=3),
    )


def _answer(world) -> None:
    from results import services
    from results.enums import ObjectionOutcome
    from results.models import Objection

    objection = Objection.objects.get(submission=world["entry"])
    services.resolve_objection(
        objection=objection,
        outcome=ObjectionOutcome.DISMISSED,
        answer=ANSWER,
        by=world["organizer"],
    )


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_delegate_reads_the_dashboard_from_revision_to_award(page, world):
    section = page.locator
    sign_in(page, world["delegate"].email, PASSWORD)

    # Sent back for revision: the note, the deadline with its countdown.
    _revise(world)
    visit(page, _dashboard(world))
    expect(section("[data-dashboard=state]")).to_contain_text("Sent back for revision")
    expect(section("[data-dashboard=deadline]")).to_contain_text("Revised entry due")
    expect(section("[data-dashboard=deadline]")).to_contain_text("left")
    expect(section("[data-dashboard=screening]")).to_contain_text(
        "Attach the decree of the innovation."
    )

    # Resubmitted and screened: it passed, it says so, and no stage is reached yet.
    _resubmit_and_screen(world)
    visit(page, _dashboard(world))
    expect(section("[data-dashboard=state]")).to_contain_text(
        "Passed the administrative screening"
    )
    expect(section("[data-dashboard=results]")).to_contain_text("not published yet")

    # Provisional results: the entry's published scores per stage (the judges'
    # comments come with the final results), then an objection filed from the
    # dashboard's link.
    _score_and_publish_provisional(world)
    visit(page, _dashboard(world))
    expect(section("[data-dashboard=stage-scores]")).to_be_visible()
    expect(section("[data-dashboard=feedback]")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("Remark 0 on Saninu E-Lapor.")
    expect(section("[data-dashboard=rank]")).to_have_text("1")
    expect(section("[data-dashboard=deadline]")).to_contain_text("Objections close")
    follow(page, section("[data-dashboard=objections] a.btn"))
    check_page(page)
    expect(page.locator("#id_submission")).to_have_value(str(world["entry"].pk))
    page.fill("#id_text", "Our second document was not scored.")
    follow(page, page.locator("main form button[type=submit]"))
    visit(page, _dashboard(world))
    expect(section("[data-dashboard=objections]")).to_contain_text(
        "Our second document was not scored."
    )

    # The organizers answer; the answer is on the dashboard.
    _answer(world)
    visit(page, _dashboard(world))
    expect(section("[data-dashboard=answer]")).to_contain_text(ANSWER)

    # The final results: the award, the rank, the feedback named by the region.
    from results import services
    from results.models import Publication

    Publication.objects.filter(contest=world["contest"]).update(
        objections_close=timezone.now() - dt.timedelta(minutes=1)
    )
    services.publish_contest(contest=world["contest"], by=world["organizer"])
    visit(page, _dashboard(world), screenshot_name="delegate-dashboard")
    expect(section("[data-dashboard=award]")).to_contain_text("Terbaik")
    feedback = section("[data-dashboard=feedback]")
    expect(feedback).to_contain_text("Remark 0 on Saninu E-Lapor.")
    expect(feedback).not_to_contain_text("Layad Rawat")
    expect(feedback).not_to_contain_text("Juri A")
    region = world["entry"].region.name
    link = page.get_by_role("link", name=f"Feedback report for {region}")
    expect(link).to_be_visible()
    follow(page, link)
    check_page(page)
    expect(page).to_have_url(re.compile(r"/feedback/"))
    expect(page.locator("h1")).to_contain_text(region)


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_oversized_file_is_refused_in_the_browser_and_evidence_is_edited(
    page, settings, transactional_db
):
    from submissions.models import Evidence
    from tests.factories.contest import CategoryFactory, ContestFactory, DelegateFactory
    from tests.factories.submissions import EvidenceFactory, SubmissionFactory

    settings.EVIDENCE_MAX_FILE_SIZE = 2048
    contest = ContestFactory(slug="unggah-2031")
    role = DelegateFactory(contest=contest)
    entry = SubmissionFactory(
        contest=contest,
        category=CategoryFactory(contest=contest),
        region=role.region,
    )
    kept = EvidenceFactory(submission=entry, title="Old title")
    sign_in(page, role.user.email, PASSWORD)
    visit(page, f"/entries/{contest.slug}/{entry.pk}/evidence/")

    page.set_input_files(
        "#evidence-upload input[type=file]",
        files=[
            {"name": "besar.pdf", "mimeType": "application/pdf", "buffer": b"%" * 5000}
        ],
    )
    message = page.locator("[data-size-message]")
    expect(message).to_be_visible()
    expect(message).to_contain_text("besar.pdf")
    expect(message).to_contain_text("2.0")
    page.locator("#evidence-upload button[type=submit]").click()
    check_page(page)
    expect(page).to_have_url(re.compile(r"/evidence/$"))
    assert Evidence.objects.filter(submission=entry).count() == 1

    follow(page, page.get_by_role("link", name=re.compile(r"^Edit\b.*Old title")))
    check_page(page)
    page.fill("#id_title", "Annual report 2023")
    follow(page, page.locator("#evidence-edit button[type=submit]"))
    check_page(page)
    kept.refresh_from_db()
    assert kept.title == "Annual report 2023"
    expect(page.locator("main")).to_contain_text("Annual report 2023")
