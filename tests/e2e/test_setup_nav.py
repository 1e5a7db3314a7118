"""The contest's organizer tabs and set-up checklist in the browser: after sign-in
the organizer lands on their contests; the tabs sit in one row on a desktop and
wrap within the page at 360 px; the checklist links where each gap is fixed."""

import re

import pytest

from contest.demo import DEMO_PASSWORD
from tests.e2e.support import check_page, expect, follow, sign_in, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

ORGANIZER = "panitia@inovasi.demo"
SETUP = "/manage/kkdi-2023/"


def tab_rows(page) -> int:
    """How many rows the contest's tabs take (distinct tops of their links)."""
    return page.evaluate(
        """() => new Set(Array.from(
            document.querySelectorAll('.tabs-contest a'),
            (a) => Math.round(a.getBoundingClientRect().top))).size"""
    )


@pytest.mark.parametrize(
    ("viewport", "rows"), [("desktop", 1), ("phone", 2)], indirect=["viewport"]
)
def test_contest_tabs_in_a_row_on_desktop_wrapping_on_phone(
    page, demo_contest, viewport, rows
):
    sign_in(page, ORGANIZER, DEMO_PASSWORD)
    expect(page.locator("h1")).to_have_text("Kontes yang Anda kelola")

    visit(page, SETUP)

    tabs = page.locator(".tabs-contest a")
    expect(tabs).to_have_count(8)
    expect(page.locator('.tabs-contest a[aria-current="page"]')).to_have_text(
        "Pengaturan"
    )
    assert (tab_rows(page) == 1) == (rows == 1)
    follow(page, page.locator('.tabs-contest a[href="/manage/kkdi-2023/judging/"]'))
    check_page(page)
    expect(page.locator('.tabs-contest a[aria-current="page"]')).to_have_attribute(
        "href", "/manage/kkdi-2023/judging/"
    )


def test_checklist_links_to_where_the_gap_is_fixed(page, demo_contest):
    sign_in(page, ORGANIZER, DEMO_PASSWORD)
    visit(page, "/manage/new/")
    page.fill("#id_name", "Kontes Uji Daftar Periksa 2031")
    expect(page.locator("#id_slug")).to_have_value("kontes-uji-daftar-periksa-2031")
    page.fill("#id_host_region", "Kota Bima")
    page.fill("#id_submission_opens", "2031-03-02T08:00")
    page.fill("#id_submission_closes", "2031-04-30T17:00")
    follow(page, page.locator("main form button[type=submit]"))

    checklist = page.locator("[data-checklist]")
    expect(checklist.locator("[data-gap]")).to_have_count(3)
    check_page(page)
    follow(page, checklist.locator('[data-gap="no_delegates"] a'))
    expect(page).to_have_url(
        re.compile(r"/manage/kontes-uji-daftar-periksa-2031/delegates/$")
    )
