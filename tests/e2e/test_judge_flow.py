"""Issue #13: a judge works through their assignments in the browser.

The judge opens their list (current work first, "2 of 3 done" for the open
stage), opens the first entry still to score, reads the level descriptors beside
each score, moves through the stage's entries with "Next entry" and back, asks for
the entry's printable PDF and downloads it once ready. On a desktop and at 360 px;
every page passes support.check_page (styled, axe, no sideways scroll).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from tests.e2e.support import check_page, expect, follow, sign_in, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

LEVELS = [
    {"score": 2, "description": "Meniru inovasi daerah lain tanpa penyesuaian"},
    {"score": 6, "description": "Penyesuaian berarti untuk kebutuhan daerah"},
    {"score": 10, "description": "Pertama di Indonesia"},
]


def build_workload():
    """A judge with three entries in an open stage (the first submitted), one in a
    stage that opens later; a two-line rubric with level descriptors."""
    from django.utils import timezone

    from tests.factories.accounts import PASSWORD
    from tests.factories.judging import (
        AssignmentFactory,
        EligibleSubmissionFactory,
        JudgeFactory,
        OpenStageFactory,
        StepCriterionFactory,
        SubmittedSheetFactory,
    )
    from tests.factories.submissions import EvidenceFactory

    now = timezone.now()
    judge = JudgeFactory(name="Ratna Sari")
    contest = judge.contest
    stage = OpenStageFactory(contest=contest, name="Penilaian dokumen")
    later = OpenStageFactory(
        contest=contest,
        name="Presentasi",
        opens=now + dt.timedelta(days=10),
        closes=now + dt.timedelta(days=20),
    )
    for order, name in enumerate(("Kebaruan", "Kemanfaatan"), start=1):
        StepCriterionFactory(
            stage=stage, name=name, order=order, weight=Decimal(50), levels=LEVELS
        )
    rows = []
    for title in ("Alat Lapor Warga", "Bima Sehat", "Cerdas Pajak"):
        entry = EligibleSubmissionFactory(contest=contest, title=title)
        EvidenceFactory(submission=entry, title=f"Laporan {title}")
        rows.append(AssignmentFactory(stage=stage, judge=judge, submission=entry))
    SubmittedSheetFactory(assignment=rows[0])
    AssignmentFactory(stage=later, judge=judge)
    return judge.user.email, PASSWORD, rows


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_judge_moves_through_assignments_with_next(page, live_server, viewport):
    email, password, rows = build_workload()
    sign_in(page, email, password)

    visit(page, "/assignments/", screenshot_name="judge-assignments")
    table_rows = page.locator("main tbody tr:not(.table-group)")
    expect(table_rows).to_have_count(4)
    expect(table_rows.first).to_contain_text("Bima Sehat")
    expect(page.locator(".stage-done").first).to_contain_text("1")
    expect(page.locator(".stage-done").first).to_contain_text("3")

    follow(page, table_rows.first.locator("a.btn"))
    expect(page).to_have_url(re.compile(rf"/assignments/{rows[1].pk}/$"))
    check_page(page)
    levels = page.locator(".criterion-levels").first
    expect(levels).to_be_visible()
    expect(levels).to_contain_text("Pertama di Indonesia")
    expect(page.locator(".pager").first).to_contain_text("2")

    follow(page, page.locator('.pager a[rel="next"]').first)
    expect(page).to_have_url(re.compile(rf"/assignments/{rows[2].pk}/$"))
    expect(page.locator("h1")).to_have_text("Cerdas Pajak")
    expect(page.locator('.pager a[rel="next"]')).to_have_count(0)
    check_page(page)

    follow(page, page.locator('.pager a[rel="prev"]').first)
    follow(page, page.locator('.pager a[rel="prev"]').first)
    expect(page).to_have_url(re.compile(rf"/assignments/{rows[0].pk}/$"))
    expect(page.locator("h1")).to_have_text("Alat Lapor Warga")

    follow(page, page.locator(f'form[action="/assignments/{rows[0].pk}/pack/"] button'))
    expect(page).to_have_url(re.compile(r"/packs/\d+/$"))
    download = page.locator('#pack-progress a[href$="/file/"]')
    expect(download).to_be_visible()
    check_page(page)
    response = page.request.get(download.get_attribute("href"))
    assert response.ok
    assert response.body().startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"

    visit(page, "/packs/")
    expect(page.locator("main tbody tr")).to_have_count(1)
    # One choice per stage and category of the judge's own entries.
    expect(page.locator("#pack-scope option")).to_have_count(4)
