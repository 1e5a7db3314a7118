"""One set of tabs per contest (templates/contest/manage/_tabs.html), the same on
every organizer page: each HTML page of the permission table that only the
contest's organizers may open renders it, with the same tabs, its own section
marked as the current one."""

import re

import pytest
from django.urls import reverse

from tests.factories.contest import ContestFactory, OrganizerFactory
from tests.permissions.checks import url_of
from tests.permissions.scenario import build_scenario
from tests.permissions.table import ORGANIZERS, PAGES

pytestmark = [pytest.mark.django_db]

TABS = "contest/manage/_tabs.html"
NAV = re.compile(r'<nav class="tabs tabs-contest".*?</nav>', re.S)
# Each page's section, marked aria-current="page" among the tabs.
SECTIONS = {
    "contest:": "Set-up",
    "contest:delegates": "Delegates",
    "contest:delegate-import": "Delegates",
    "contest:join-requests": "Delegates",
    "contest:notifications": "Notifications",
    "submissions:": "Screening",
    "judging:messages": "Messages",
    "judging:message": "Messages",
    "judging:template": "Messages",
    "judging:": "Judging",
    "results:": "Results",
}


def section_of(name: str) -> str:
    prefix = max((p for p in SECTIONS if name.startswith(p)), key=len, default=None)
    return SECTIONS.get(prefix, name)


def organizer_pages(scenario) -> list[tuple[str, str]]:
    """(name, URL) of every page the table lets the contest's organizers alone
    open at the scenario's state."""
    pages = []
    for row in PAGES.values():
        if "get" not in row.methods or row.objects.get("slug") != "contest":
            continue
        if row.expect("get", scenario.state).allow != ORGANIZERS:
            continue
        url, missing = url_of(row, scenario)
        if not missing:
            pages.append((row.name, url))
    return pages


def test_every_organizer_page_renders_the_same_contest_tabs(client):
    scenario = build_scenario("judging")
    client.force_login(scenario.users["organizer"])
    client.cookies["django_language"] = "en"

    navs, without, current = {}, [], {}
    for name, url in organizer_pages(scenario):
        response = client.get(url)
        if response.status_code != 200 or "html" not in response["Content-Type"]:
            continue
        if TABS not in [t.name for t in response.templates]:
            without.append(name)
            continue
        nav = NAV.search(response.content.decode()).group(0)
        current[name] = re.findall(r'aria-current="page">([^<]+)<', nav)
        navs[name] = nav.replace(' aria-current="page"', "")

    assert without == []
    assert len(navs) > 25
    assert len(set(navs.values())) == 1
    assert {
        name: tabs for name, tabs in current.items() if tabs != [section_of(name)]
    } == {}


def test_contest_tabs_link_every_section_in_order(client):
    contest = ContestFactory(slug="kkdi-2031")
    client.force_login(OrganizerFactory(contest=contest).user)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("contest:delegates", kwargs={"slug": contest.slug}))

    nav = NAV.search(response.content.decode()).group(0)
    links = re.findall(r'<a href="([^"]+)"( aria-current="page")?>([^<]+)</a>', nav)
    assert [(href, bool(mark), text) for href, mark, text in links] == [
        ("/manage/kkdi-2031/", False, "Set-up"),
        ("/manage/kkdi-2031/delegates/", True, "Delegates"),
        ("/manage/kkdi-2031/screening/", False, "Screening"),
        ("/manage/kkdi-2031/judging/", False, "Judging"),
        ("/manage/kkdi-2031/results/", False, "Results"),
        ("/manage/kkdi-2031/judging/messages/", False, "Messages"),
        ("/manage/kkdi-2031/notifications/", False, "Notifications"),
        ("/contests/kkdi-2031/", False, "Public page"),
    ]
    assert 'aria-label="Organizing ' in nav


def test_contest_tabs_are_not_on_pages_of_other_roles(client):
    contest = ContestFactory()
    client.force_login(OrganizerFactory(contest=contest).user)

    response = client.get(reverse("contest:detail", kwargs={"slug": contest.slug}))

    assert TABS not in [t.name for t in response.templates]


def test_the_set_up_pages_share_their_own_tabs(client):
    contest = ContestFactory(slug="kkdi-2032")
    client.force_login(OrganizerFactory(contest=contest).user)
    client.cookies["django_language"] = "en"

    pages = {
        name: client.get(reverse(name, kwargs={"slug": contest.slug})).content.decode()
        for name in ("contest:setup", "contest:questions", "contest:clusters")
    }

    for name, html in pages.items():
        sub = re.search(r'<nav class="tabs tabs-sub".*?</nav>', html, re.S).group(0)
        current = re.findall(r'href="([^"]+)" aria-current="page"', sub)
        assert current == [reverse(name, kwargs={"slug": contest.slug})]
