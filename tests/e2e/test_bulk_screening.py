"""An organizer screens 50 entries at once on a phone (360 px): the queue
searched, all matching entries selected across its pages, one reason, the
confirmation, the result; each page checked with axe and for sideways scroll.
Then the next entry after a single decision on the entry's page."""

import re

import pytest

from submissions.enums import SubmissionState
from submissions.models import Submission
from tests.e2e.support import check_page, expect, follow, sign_in, visit
from tests.factories.accounts import PASSWORD
from tests.factories.contest import CategoryFactory, ContestFactory, OrganizerFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

S = SubmissionState
REASON = "Inovasi belum berjalan dua tahun."


@pytest.fixture
def queue(transactional_db):
    """A contest with 50 submitted entries of one agency (a full page of the
    queue) and 2 of another, and its organizer."""
    contest = ContestFactory(slug="bulk-2031", name="Kontes Uji Massal")
    category = CategoryFactory(contest=contest, name="Pelayanan Publik")
    organizer = OrganizerFactory(contest=contest).user
    wanted = [
        SubmissionFactory(
            contest=contest,
            category=category,
            agency="Dinas Kominfo",
            title=f"Inovasi Kominfo {n:02d}",
            state=S.SUBMITTED,
        )
        for n in range(50)
    ]
    others = [
        SubmissionFactory(
            contest=contest,
            category=category,
            agency="Bappeda",
            title=f"Inovasi Bappeda {n}",
            state=S.SUBMITTED,
        )
        for n in range(2)
    ]
    return {
        "contest": contest,
        "organizer": organizer,
        "wanted": wanted,
        "others": others,
    }


def _tap(page, locator) -> None:
    locator.scroll_into_view_if_needed()
    locator.tap()


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_organizer_marks_50_entries_ineligible_at_once(page, queue):
    contest = queue["contest"]
    sign_in(page, queue["organizer"].email, PASSWORD)

    visit(page, f"/manage/{contest.slug}/screening/?q=kominfo&state=submitted")
    expect(page.locator("#bulk-form tbody tr")).to_have_count(50)
    _tap(page, page.get_by_label(re.compile("Select all 50 entries matching")))
    page.get_by_label("Action").select_option("ineligible")
    page.locator("#id_reason").fill(REASON)
    follow(page, page.get_by_role("button", name="Review the action"))

    check_page(page, screenshot_name="bulk-confirm")
    expect(page.locator("main")).to_contain_text(
        "50 entries will be marked ineligible with the reason below"
    )
    expect(page.locator("main")).to_contain_text(REASON)
    assert Submission.objects.filter(state=S.INELIGIBLE).count() == 0
    follow(page, page.get_by_role("button", name="Apply to 50 entries"))

    expect(page).to_have_url(re.compile(r"/screening/\?q=kominfo&state=submitted$"))
    check_page(page)
    expect(page.locator("#toasts")).to_contain_text("Done for 50 entries; 0 skipped.")
    wanted = Submission.objects.filter(pk__in=[e.pk for e in queue["wanted"]])
    assert set(wanted.values_list("state", "screening_reason")) == {
        (S.INELIGIBLE, REASON)
    }
    others = Submission.objects.filter(pk__in=[e.pk for e in queue["others"]])
    assert set(others.values_list("state", flat=True)) == {S.SUBMITTED}


@pytest.mark.parametrize("viewport", ["phone"], indirect=True)
@pytest.mark.parametrize("language", ["en"], indirect=True)
def test_a_decision_goes_on_to_the_next_entry_of_the_filter(page, queue):
    contest = queue["contest"]
    first, second = queue["others"]
    sign_in(page, queue["organizer"].email, PASSWORD)

    visit(page, f"/manage/{contest.slug}/screening/?q=bappeda&sort=title")
    follow(page, page.get_by_role("link", name=first.title))
    check_page(page)
    expect(page.get_by_role("link", name=re.compile("Next entry"))).to_be_visible()
    _tap(page, page.get_by_label("Eligible", exact=True))
    follow(page, page.get_by_role("button", name="Record the decision"))

    expect(page.locator("h1")).to_have_text(second.title)
    check_page(page)
    assert Submission.objects.get(pk=first.pk).state == S.ELIGIBLE
