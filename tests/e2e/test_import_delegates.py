"""The organizer imports 30 delegates from a CSV table: the preview lists every
row and reports the 2 bad ones by their column, nothing is written until the
confirmation, then 28 delegates are invited. On the desktop and on a 360 px
phone; each page passes axe and has no sideways scroll."""

import pytest

from contest.demo import DEMO_PASSWORD
from contest.models import Contest, Region
from tests.e2e.flow_support import accept_dialogs
from tests.e2e.support import check_page, expect, follow, sign_in, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

ORGANIZER = "panitia@inovasi.demo"
BAD_EMAIL_LINE = 7
BAD_REGION_LINE = 19


def delegates_csv(path) -> tuple[object, list[str]]:
    """30 rows (`;` as a spreadsheet saved in Indonesian writes them): 28 good,
    one address that is none, one region that does not exist."""
    regions = list(Region.objects.exclude(type="provinsi").order_by("code")[:28])
    lines = ["Surel;Kode daerah"]
    good = []
    for index, region in enumerate(regions):
        email = f"operator{index:02d}@daerah.example.id"
        # Every other row names its region by name rather than by code.
        lines.append(f"{email};{region.code if index % 2 else region.name}")
        good.append(email)
    lines.insert(BAD_EMAIL_LINE - 1, "bukan-alamat-surel;52.72")
    lines.insert(BAD_REGION_LINE - 1, "salah@daerah.example.id;Kota Atlantis")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(lines) == 31
    return path, good


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_import_30_delegates_reports_2_bad_rows(page, demo_contest, tmp_path):
    contest = Contest.objects.get(pk=demo_contest.pk)
    before = contest.delegates.count()
    csv_path, good = delegates_csv(tmp_path / "delegates.csv")
    sign_in(page, ORGANIZER, DEMO_PASSWORD)
    visit(page, f"/manage/{contest.slug}/delegates/")

    follow(page, page.locator(f'a[href="/manage/{contest.slug}/delegates/import/"]'))
    check_page(page)
    page.set_input_files("#id_file", str(csv_path))
    follow(page, page.locator("main form.form button[type=submit]"))

    preview = page.locator("[data-import-preview]")
    expect(preview).to_be_visible()
    expect(preview.locator('tr[data-import-row="create"]')).to_have_count(28)
    errors = preview.locator('tr[data-import-row="error"]')
    expect(errors).to_have_count(2)
    expect(errors.nth(0).locator("th")).to_have_text(str(BAD_EMAIL_LINE))
    expect(errors.nth(0)).to_contain_text("surel")
    expect(errors.nth(1).locator("th")).to_have_text(str(BAD_REGION_LINE))
    expect(errors.nth(1)).to_contain_text("Kota Atlantis")
    check_page(page, screenshot_name="import-preview")
    assert contest.delegates.count() == before

    asked = accept_dialogs(page)
    follow(page, preview.locator("button[name=confirm]"))

    report = page.locator("[data-import-report]")
    expect(report).to_be_visible()
    expect(report.locator('tr[data-import-row="create"]')).to_have_count(28)
    expect(report.locator('tr[data-import-row="error"]')).to_have_count(2)
    check_page(page)
    assert len(asked) == 1
    emails = set(contest.delegates.values_list("user__email", flat=True))
    assert set(good) <= emails
    assert contest.delegates.count() == before + 28
