"""A newcomer signs up, then fills in the profile."""

import re

import pytest
from django.contrib.auth import get_user_model

from tests.e2e.support import check_page, expect, follow, open_menu, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

EMAIL = "operator.bima@example.id"
PASSWORD = "Saninu-Command-Center-2021"
PROFILE = {
    "name": "Nur Aisyah",
    "phone": "+62 374 43210",
    "institution": "Dinas Kominfo Kota Bima",
}
SAVED = {"id": "Profil Anda telah disimpan.", "en": "Your profile was saved."}


@pytest.mark.parametrize(
    ("viewport", "language"),
    [("desktop", "id"), ("desktop", "en"), ("phone", "id")],
    indirect=True,
)
def test_newcomer_signs_up_and_fills_in_profile(page, language, viewport):
    visit(page, "/accounts/signup/", screenshot_name=f"signup-{language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)

    follow(page, page.locator("main form button[type=submit]"))

    check_page(page)
    expect(page.locator(".nav-user")).to_contain_text(EMAIL)
    assert get_user_model().objects.filter(email=EMAIL).exists()

    open_menu(page)
    follow(page, page.locator(".nav-user"))
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    check_page(page)
    for field, value in PROFILE.items():
        page.fill(f"#id_{field}", value)

    follow(page, page.locator("#profile-form button[type=submit]"))

    expect(page.locator(".toast-text").first).to_have_text(SAVED[language])
    check_page(page)
    for field, value in PROFILE.items():
        expect(page.locator(f"#id_{field}")).to_have_value(value)
    user = get_user_model().objects.get(email=EMAIL)
    assert (user.name, user.phone, user.institution) == tuple(PROFILE.values())
