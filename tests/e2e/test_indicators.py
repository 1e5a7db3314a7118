"""Issue 14: an indicator stage in the browser. The delegate answers two
indicators with a level, a note and a link as evidence; the validator marks one
valid and the other invalid with a note (htmx, in place). On a desktop and at
360 px; every page passes support.check_page (styled, axe, no sideways scroll)."""

from __future__ import annotations

import pytest

from tests.e2e.support import check_page, expect, follow, sign_in, visit

pytestmark = [pytest.mark.django_db(transaction=True)]


def _sign_out(page) -> None:
    page.context.clear_cookies()


@pytest.mark.parametrize("viewport", ["desktop", "phone"], indirect=True)
def test_delegate_answers_and_validator_decides(page, live_server, viewport):
    from judging.models_formats import IndicatorValidation
    from submissions.models import Evidence
    from submissions.models_answers import IndicatorAnswer
    from tests.factories.accounts import PASSWORD
    from tests.judging.validation_world import build_world

    world = build_world()
    first, second = world.indicators
    slug, entry = world.contest.slug, world.entry

    sign_in(page, world.delegate.email, PASSWORD)
    answers = f"/entries/{slug}/{entry.pk}/indicators/{world.stage.pk}/"
    visit(page, answers, screenshot_name="indicator-answers")
    for criterion, level in ((first, 2), (second, 1)):
        page.locator(f'label[for="level-{criterion.pk}-{level}"]').click()
        page.fill(f"#note-{criterion.pk}", f"Catatan {criterion.name}")
    follow(page, page.locator('button[form="indicator-answers"]'))
    check_page(page)
    for criterion in (first, second):
        card = page.locator(f"#indicator-{criterion.pk}")
        card.locator("summary").click()
        card.locator('input[name="title"]').fill(f"Bukti {criterion.name}")
        card.locator('input[name="url"]').fill("https://example.org/bukti")
        follow(page, card.locator("form button[type=submit]"))
        expect(page.locator(f"#indicator-{criterion.pk}")).to_contain_text(
            f"Bukti {criterion.name}"
        )
    assert dict(IndicatorAnswer.objects.values_list("criterion_id", "level")) == {
        first.pk: 2,
        second.pk: 1,
    }
    assert Evidence.objects.filter(submission=entry).count() == 2
    _sign_out(page)

    sign_in(page, world.validator.user.email, PASSWORD)
    visit(page, f"/validation/{slug}/stages/{world.stage.pk}/", screenshot_name="queue")
    follow(page, page.locator("main tbody a").first)
    check_page(page)
    card = page.locator(f"#indicator-{first.pk}")
    expect(card).to_contain_text("Bukti Regulasi")
    card.locator(f'label[for="verdict-{first.pk}-valid"]').click()
    card.locator("button[type=submit]").click()
    expect(page.locator(f"#indicator-{first.pk} .badge-success")).to_be_visible()
    card = page.locator(f"#indicator-{second.pk}")
    card.locator(f'label[for="verdict-{second.pk}-invalid"]').click()
    card.locator("textarea").fill("Tautan tidak memuat anggaran")
    card.locator("button[type=submit]").click()
    expect(page.locator(f"#indicator-{second.pk} .badge-danger")).to_be_visible()
    check_page(page)

    verdicts = dict(IndicatorValidation.objects.values_list("criterion_id", "verdict"))
    assert verdicts == {first.pk: "valid", second.pk: "invalid"}
    note = IndicatorValidation.objects.get(criterion=second).note
    assert note == "Tautan tidak memuat anggaran"
