"""Every test of this folder reads mails whose links must point at the site's own
address (SITE_URL), never at where the test runs."""

import pytest

from tests.notifications.mailbox import SITE


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.SITE_URL = SITE
    # WhiteNoise warns (an error here) when STATIC_ROOT is missing.
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()
