"""An organizer on a phone (360 px) sets who signs the minutes and the
certificates, uploads a scanned signature, then re-publishes the provisional
results with a shorter objection window: the page says the window would be
shortened and asks first. Each page is checked with axe and for sideways
scroll."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.e2e.flow_support import png_bytes
from tests.e2e.support import check_page, expect, follow, sign_in, visit
from tests.factories.accounts import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(transactional_db):
    """A contest with three scored entries and provisional results open for
    objections for a week."""
    from judging.models import StageEntry
    from results import services
    from tests.factories.contest import (
        CategoryFactory,
        ContestFactory,
        OrganizerFactory,
        RegionFactory,
    )
    from tests.factories.judging import (
        EligibleSubmissionFactory,
        JudgeFactory,
        OpenStageFactory,
        StepCriterionFactory,
    )
    from tests.factories.results import submitted_sheet

    contest = ContestFactory(slug="resmi-2031", name="Kontes Resmi 2031")
    category = CategoryFactory(contest=contest, name="Pelayanan Publik", order=1)
    organizer = OrganizerFactory(contest=contest).user
    stage = OpenStageFactory(contest=contest, name="Penilaian dokumen", order=2)
    criterion = StepCriterionFactory(stage=stage, name="Kebaruan", weight=Decimal(100))
    judges = [JudgeFactory(contest=contest, name=f"Juri {k}") for k in "AB"]
    for n, (region, title) in enumerate(
        [("Kota Bima", "Saninu"), ("Kota Bandung", "Layad Rawat")]
    ):
        entry = EligibleSubmissionFactory(
            contest=contest,
            category=category,
            region=RegionFactory(name=region),
            title=title,
        )
        StageEntry.objects.get_or_create(stage=stage, submission=entry)
        for judge in judges:
            submitted_sheet(
                stage=stage, judge=judge, submission=entry, values={criterion: 8 - n}
            )
    provisional = services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=7),
    )
    return {"contest": contest, "organizer": organizer, "provisional": provisional}


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_organizer_sets_signatories_and_confirms_a_shorter_window(
    page, world, tmp_path
):
    from results.models import Publication, ResultsDocuments

    contest = world["contest"]
    sign_in(page, world["organizer"].email, PASSWORD)

    visit(page, f"/manage/{contest.slug}/results/documents/")
    page.fill("#id_documents-place", "Mataram")
    page.fill("#id_signatories-0-name", "Dr. Hendra Wijaya")
    page.fill("#id_signatories-0-position", "Ketua Tim Juri")
    page.fill("#id_signatories-0-nip", "19780512 200312 1 004")
    page.fill("#id_documents-certificate_signatory_name", "Drs. H. Muhammad Rum")
    signature = tmp_path / "ttd.png"
    signature.write_bytes(png_bytes())
    page.set_input_files("#id_documents-certificate_signature", str(signature))
    follow(page, page.locator("main form button[type=submit]"))
    check_page(page, screenshot_name="documents-settings")
    expect(page.locator(".messages, [role=status], .alert").first).to_be_visible()

    saved = ResultsDocuments.objects.get(contest=contest)
    assert saved.place == "Mataram"
    assert saved.minutes_signatories[0]["nip"] == "197805122003121004"
    assert saved.certificate_signature.name.endswith(".png")

    visit(page, f"/manage/{contest.slug}/results/")
    earlier = timezone.localtime(timezone.now(), contest.tzinfo) + dt.timedelta(days=2)
    page.fill("#id_objections_close", earlier.strftime("%Y-%m-%dT%H:%M"))
    follow(page, page.locator("input[name=kind][value=provisional] ~ div button"))
    check_page(page)
    expect(page.locator("main h1, main h2").first).to_be_visible()
    expect(page.locator("[role=alert]")).to_contain_text("earlier")
    assert Publication.objects.filter(contest=contest).count() == 1

    follow(page, page.get_by_role("button", name="Shorten the window and publish"))
    check_page(page)

    newest = Publication.objects.filter(contest=contest).order_by("-pk").first()
    assert Publication.objects.filter(contest=contest).count() == 2
    assert newest.objections_close < world["provisional"].objections_close
