"""The organizer sets a contest up: contest, category, stage, delegate.

On the desktop with the keyboard alone (Tab, typing, Space, Enter); on a phone by touch,
through the collapsed menu.
"""

import datetime as dt
import re
import zoneinfo

import pytest
from django.core import mail

from contest.demo import DEMO_PASSWORD
from contest.models import Contest
from tests.e2e.support import (
    activate,
    check_page,
    expect,
    follow,
    open_menu,
    press_enter,
    press_tab_expecting,
    replace_value,
    sign_in,
    tab_to,
    type_datetime,
    visit,
)

pytestmark = [pytest.mark.django_db(transaction=True)]

ORGANIZER = "panitia@inovasi.demo"
WIT = zoneinfo.ZoneInfo("Asia/Jayapura")
NEW = {
    "name": "Penghargaan Inovasi Pelayanan Publik 2031",
    "slug": "pipp-2031",
    "description": "Kontes uji untuk tes peramban.",
    "host_region": "94.04",  # Kabupaten Mimika, in WIT (UTC+9)
    "timezone": "Asia/Jayapura",
    "opens": dt.datetime(2031, 3, 2, 8, 0, tzinfo=WIT),
    "closes": dt.datetime(2031, 4, 30, 17, 0, tzinfo=WIT),
    "max_entries": "2",
}
CATEGORY = {"name": "Kesehatan", "slug": "kesehatan", "order": "1"}
STAGE = {
    "name": "Seleksi administrasi",
    "order": "1",
    "kind": "screening",
    "opens": dt.datetime(2031, 5, 2, 8, 0, tzinfo=WIT),
    "closes": dt.datetime(2031, 5, 9, 17, 0, tzinfo=WIT),
}
DELEGATE = {"email": "operator.mimika@example.id", "region": "94.04"}
SETUP_URL = re.compile(r"/manage/pipp-2031/$")


def local(value: dt.datetime) -> str:
    return f"{value:%Y-%m-%dT%H:%M}"


def assert_contest_saved() -> None:
    contest = Contest.objects.get(slug=NEW["slug"])
    assert contest.name == NEW["name"]
    assert contest.host_region_id == NEW["host_region"]
    assert contest.timezone == NEW["timezone"]
    assert contest.submission_opens == NEW["opens"]
    assert contest.submission_closes == NEW["closes"]
    assert contest.eligible_region_types == ["kabupaten"]
    assert contest.max_entries_per_region == 2
    assert contest.is_public is True
    assert list(contest.categories.values_list("slug", flat=True)) == ["kesehatan"]
    stage = contest.stages.get()
    assert (stage.name, stage.kind, stage.opens, stage.closes) == (
        STAGE["name"],
        STAGE["kind"],
        STAGE["opens"],
        STAGE["closes"],
    )
    delegate = contest.delegates.select_related("user").get()
    assert (delegate.user.email, delegate.region_id) == (
        DELEGATE["email"],
        DELEGATE["region"],
    )
    assert [m.to for m in mail.outbox] == [[DELEGATE["email"]]]


def assert_on_setup_page(page, toast: str) -> None:
    expect(page).to_have_url(SETUP_URL)
    expect(page.locator(".toast").first).to_contain_text(toast)
    check_page(page)


def test_organizer_sets_up_contest_with_keyboard_only(page, demo_contest):
    sign_in(page, ORGANIZER, DEMO_PASSWORD, keyboard=True, screenshot_name="login")

    tab_to(page, 'a[href="/manage/"]')
    press_enter(page)
    expect(page.locator("h1")).to_have_text("Kontes yang Anda kelola")
    check_page(page, screenshot_name="manage-dashboard")

    tab_to(page, 'a[href="/manage/new/"]')
    press_enter(page)
    expect(page.locator("h1")).to_have_text("Kontes baru")
    check_page(page)
    tab_to(page, "#id_name")
    page.keyboard.type(NEW["name"])
    press_tab_expecting(page, "#id_slug")
    # Filled from the name as it was typed (static/js/contest-form.js).
    expect(page.locator("#id_slug")).to_have_value(
        "penghargaan-inovasi-pelayanan-publik-2031"
    )
    replace_value(page, NEW["slug"])
    press_tab_expecting(page, "#id_description")
    page.keyboard.type(NEW["description"])
    press_tab_expecting(page, "#id_host_region")
    page.keyboard.type(NEW["host_region"])
    expect(page.locator("#id_host_region")).to_have_value(NEW["host_region"])
    press_tab_expecting(page, "#id_timezone")
    page.keyboard.press("End")
    expect(page.locator("#id_timezone")).to_have_value(NEW["timezone"])
    press_tab_expecting(page, "#id_submission_opens")
    type_datetime(page, NEW["opens"])
    tab_to(page, "#id_submission_closes", limit=8)
    type_datetime(page, NEW["closes"])
    tab_to(page, "#id_eligible_region_types_1", limit=8)
    page.keyboard.press("Space")
    expect(page.locator("#id_eligible_region_types_1")).to_be_checked()
    press_tab_expecting(page, "#id_eligible_region_types_2")
    press_tab_expecting(page, "#id_max_entries_per_region")
    replace_value(page, NEW["max_entries"])
    press_tab_expecting(page, "#id_is_public")
    if not page.is_checked("#id_is_public"):
        page.keyboard.press("Space")
    expect(page.locator("#id_is_public")).to_be_checked()
    tab_to(page, "main form button[type=submit]", limit=3)
    press_enter(page)

    assert_on_setup_page(page, "Kontes telah dibuat")
    expect(page.locator("h1")).to_have_text(NEW["name"])
    window = page.locator(".card dl.meta time").first
    expect(window).to_have_attribute("datetime", "2031-03-02T08:00:00+09:00")
    expect(page.locator(".card dl.meta")).to_contain_text("WIT")

    tab_to(page, 'a[href="/manage/pipp-2031/categories/new/"]')
    press_enter(page)
    check_page(page)
    tab_to(page, "#id_name")
    page.keyboard.type(CATEGORY["name"])
    press_tab_expecting(page, "#id_slug")
    page.keyboard.type(CATEGORY["slug"])
    tab_to(page, "#id_order", limit=3)
    replace_value(page, CATEGORY["order"])
    press_enter(page)

    assert_on_setup_page(page, CATEGORY["name"])
    expect(page.locator("#categories-heading + p + .table-wrap")).to_contain_text(
        CATEGORY["name"]
    )

    tab_to(page, 'a[href="/manage/pipp-2031/stages/new/"]')
    press_enter(page)
    check_page(page)
    tab_to(page, "#id_name")
    page.keyboard.type(STAGE["name"])
    press_tab_expecting(page, "#id_order")
    replace_value(page, STAGE["order"])
    press_tab_expecting(page, "#id_kind")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#id_kind")).to_have_value(STAGE["kind"])
    tab_to(page, "#id_opens", limit=3)
    type_datetime(page, STAGE["opens"])
    tab_to(page, "#id_closes", limit=8)
    type_datetime(page, STAGE["closes"])
    tab_to(page, "main form button[type=submit]", limit=12)
    press_enter(page)

    assert_on_setup_page(page, STAGE["name"])
    expect(page.locator("#stages-heading + p + .table-wrap")).to_contain_text(
        STAGE["name"]
    )

    tab_to(page, 'a[href="/manage/pipp-2031/delegates/"]')
    press_enter(page)
    check_page(page)
    tab_to(page, "#id_email")
    page.keyboard.type(DELEGATE["email"])
    press_tab_expecting(page, "#id_region")
    page.keyboard.type(DELEGATE["region"])
    expect(page.locator("#id_region")).to_have_value(DELEGATE["region"])
    press_tab_expecting(page, "main form button[type=submit]")
    press_enter(page)

    expect(page).to_have_url(re.compile(r"/manage/pipp-2031/delegates/$"))
    expect(page.locator(".toast").first).to_contain_text(DELEGATE["email"])
    check_page(page)
    expect(page.locator("table")).to_contain_text("Kabupaten Mimika")
    assert_contest_saved()
    visit(page, "/manage/kkdi-2023/", screenshot_name="contest-setup")


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
def test_organizer_sets_up_contest_on_phone(page, demo_contest):
    sign_in(page, ORGANIZER, DEMO_PASSWORD, screenshot_name="login")
    toggle = page.locator("[data-nav-toggle]")
    expect(toggle).to_be_visible()
    expect(page.locator("#site-nav")).to_be_hidden()

    open_menu(page)
    check_page(page)
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#site-nav")).to_be_hidden()
    open_menu(page)
    follow(page, page.locator('#site-nav a[href="/manage/"]'))
    expect(page.locator("h1")).to_have_text("Kontes yang Anda kelola")
    check_page(page, screenshot_name="manage-dashboard")

    follow(page, page.locator('main a[href="/manage/new/"]'))
    check_page(page)
    page.fill("#id_name", NEW["name"])
    page.fill("#id_slug", NEW["slug"])
    page.fill("#id_description", NEW["description"])
    page.fill("#id_host_region", "Kabupaten Mimika")  # searched by name
    page.select_option("#id_timezone", NEW["timezone"])
    page.fill("#id_submission_opens", local(NEW["opens"]))
    page.fill("#id_submission_closes", local(NEW["closes"]))
    activate(page, page.locator("label[for=id_eligible_region_types_1]"))
    page.fill("#id_max_entries_per_region", NEW["max_entries"])
    if not page.is_checked("#id_is_public"):
        activate(page, page.locator("label[for=id_is_public]"))
    check_page(page)
    follow(page, page.locator("main form button[type=submit]"))

    assert_on_setup_page(page, "Kontes telah dibuat")
    follow(
        page, page.locator('#categories a[href="/manage/pipp-2031/categories/new/"]')
    )
    check_page(page)
    page.fill("#id_name", CATEGORY["name"])
    page.fill("#id_slug", CATEGORY["slug"])
    page.fill("#id_order", CATEGORY["order"])
    follow(page, page.locator("main form button[type=submit]"))

    assert_on_setup_page(page, CATEGORY["name"])
    follow(page, page.locator('#stages a[href="/manage/pipp-2031/stages/new/"]'))
    check_page(page)
    page.fill("#id_name", STAGE["name"])
    page.fill("#id_order", STAGE["order"])
    page.select_option("#id_kind", STAGE["kind"])
    page.fill("#id_opens", local(STAGE["opens"]))
    page.fill("#id_closes", local(STAGE["closes"]))
    follow(page, page.locator("main form button[type=submit]"))

    assert_on_setup_page(page, STAGE["name"])
    follow(page, page.locator('.tabs-contest a[href="/manage/pipp-2031/delegates/"]'))
    check_page(page)
    page.fill("#id_email", DELEGATE["email"])
    page.fill("#id_region", DELEGATE["region"])
    follow(page, page.locator("main form button[type=submit]"))

    expect(page.locator(".toast").first).to_contain_text(DELEGATE["email"])
    check_page(page)
    assert_contest_saved()
    visit(page, "/manage/kkdi-2023/", screenshot_name="contest-setup")
