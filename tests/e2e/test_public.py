"""An anonymous visitor reads the contests, in Indonesian and then in English."""

import re

import pytest

from tests.e2e.support import activate, check_page, expect, open_menu, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

DEMO_NAME = "Kontes Kepala Daerah Inovatif 2023"
DEMO_URL = re.compile(r"/contests/kkdi-2023/$")


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_visitor_reads_contest_in_indonesian_then_english(page, demo_contest):
    visit(page, "/", screenshot_name="contest-list")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    expect(page.locator("h1")).to_have_text("Kontes inovasi")

    activate(page, page.get_by_role("link", name=DEMO_NAME))

    expect(page).to_have_url(DEMO_URL)
    check_page(page, screenshot_name="contest-detail")
    expect(page.locator("h1")).to_have_text(DEMO_NAME)
    timeline = page.locator(".timeline")
    expect(timeline).to_contain_text("WITA")
    # Submissions opened on 1 June 2023 at 08:00 in Kota Bima (UTC+8), 07:00 in Jakarta.
    first_opens = timeline.locator("time").first
    expect(first_opens).to_have_attribute("datetime", "2023-06-01T08:00:00+08:00")
    expect(first_opens).to_have_text("1 Jun 2023, 08:00")
    expect(page.locator("#timeline-heading")).to_have_text("Jadwal")
    expect(page.get_by_text("Semua waktu dalam WITA")).to_be_visible()

    open_menu(page)
    check_page(page)
    with page.expect_navigation():
        page.select_option("#lang-select", "en")

    check_page(page)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(DEMO_URL)
    expect(page.locator("#timeline-heading")).to_have_text("Timeline")
    expect(
        page.get_by_text("All times are in WITA, the host region's time zone.")
    ).to_be_visible()
    expect(timeline.locator("time").first).to_have_text("1 Jun 2023, 08:00")

    visit(page, "/")
    expect(page.locator("h1")).to_have_text("Innovation contests")
    expect(page.get_by_role("link", name=DEMO_NAME)).to_be_visible()
