"""An organizer sets a contest up from its checklist to open, without the admin:
each gap's link leads to the page that fixes it, the list shrinks as they do, and
the contest is announced once it reads "Ready to open". Every page is checked with
axe, on a desktop and at 360 px."""

import re

import pytest

from contest.demo import DEMO_PASSWORD
from contest.models import Contest
from tests.e2e.support import check_page, expect, follow, sign_in, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

ORGANIZER = "panitia@inovasi.demo"
SLUG = "kontes-siap-buka-2031"
SETUP = f"/manage/{SLUG}/"


def gaps(page):
    return page.locator("[data-checklist] [data-gap]")


def fix_from_checklist(page, key: str) -> None:
    """Follow the checklist's link of the gap `key` (on the set-up page)."""
    visit(page, SETUP)
    follow(page, page.locator(f'[data-checklist] [data-gap="{key}"] a').first)
    check_page(page)


def submit(page) -> None:
    follow(page, page.locator("main form button[type=submit]").first)
    expect(page.locator(".errorlist")).to_have_count(0)


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_an_organizer_sets_a_contest_up_from_the_checklist_to_open(
    page, demo_contest, viewport
):
    sign_in(page, ORGANIZER, DEMO_PASSWORD)
    visit(page, "/manage/new/")
    page.fill("#id_name", "Kontes Siap Buka 2031")
    page.fill("#id_host_region", "Kota Bima")
    page.fill("#id_submission_opens", "2031-03-02T08:00")
    page.fill("#id_submission_closes", "2031-04-30T17:00")
    submit(page)
    expect(gaps(page)).to_have_count(3)
    check_page(page, screenshot_name="setup-checklist")

    fix_from_checklist(page, "no_category")
    page.fill("#id_name", "Tata Kelola Pemerintahan")
    page.fill("#id_slug", "tata-kelola")
    submit(page)

    fix_from_checklist(page, "no_scoring_stage")
    page.fill("#id_name", "Penilaian Proposal")
    page.fill("#id_order", "1")
    page.select_option("#id_kind", "scoring")
    page.fill("#id_opens", "2031-05-05T08:00")
    page.fill("#id_closes", "2031-05-20T17:00")
    page.fill("#id_judges_per_entry", "1")
    submit(page)
    visit(page, SETUP)
    # The new scoring stage has no rubric and its category no judges yet.
    expect(page.locator('[data-checklist] [data-gap="rubric"]')).to_have_count(1)
    expect(page.locator('[data-checklist] [data-gap="panel"]')).to_have_count(1)

    fix_from_checklist(page, "rubric")
    expect(page).to_have_url(re.compile(r"/rubric/"))
    page.fill("#id_name", "Dampak bagi warga")
    page.fill("#id_weight", "100")
    page.fill("#id_min_score", "0")
    page.fill("#id_max_score", "10")
    submit(page)

    fix_from_checklist(page, "panel")
    page.fill("#id_email", "juri.baru@inovasi.demo")
    page.fill("#id_name", "Dr. Juri Baru")
    page.locator("#id_categories input[type=checkbox]").first.check()
    submit(page)

    fix_from_checklist(page, "no_delegates")
    page.fill("#id_email", "operator@bimakota.go.id")
    page.fill("#id_region", "Kota Bima")
    submit(page)

    visit(page, SETUP)
    expect(gaps(page)).to_have_count(0)
    expect(page.locator(".checklist-ok")).to_contain_text("Siap dibuka")

    follow(page, page.locator(f'main a[href="/manage/{SLUG}/edit/"]').first)
    page.locator("#id_is_public").check()
    submit(page)
    assert Contest.objects.get(slug=SLUG).is_public
    visit(page, f"/contests/{SLUG}/")
    expect(page.locator("h1")).to_have_text("Kontes Siap Buka 2031")
