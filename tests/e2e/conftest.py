"""Browser tests: Playwright (Python) drives Debian's Chromium against a live server.

Every test here is marked `e2e`. Without Chromium (/usr/bin/chromium) they are skipped,
unless E2E is set (CI sets E2E=1), in which case they fail: CI never skips them.
Install the browser with `.ci/install-browser`, the Python side with
`pip install -r requirements-e2e.txt`, and run `E2E=1 .venv/bin/pytest tests/e2e`.
"""

from __future__ import annotations

import importlib.util
import io
import os
from pathlib import Path

import pytest

from tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LANGUAGE_COOKIE_LOCALES,
    VIEWPORTS,
    ConsoleLog,
    assert_no_console_errors,
)

HERE = Path(__file__).resolve().parent


def e2e_required() -> bool:
    """E2E set (to anything but 0): the browser tests must run, never skip."""
    return os.environ.get("E2E", "") not in ("", "0")


def missing_requirement() -> str | None:
    if importlib.util.find_spec("playwright") is None:
        return "Playwright is not installed: pip install -r requirements-e2e.txt"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run .ci/install-browser"
    return None


def pytest_configure(config):
    if not any(line.startswith("e2e:") for line in config.getini("markers")):
        config.addinivalue_line("markers", "e2e: browser tests (tests/e2e)")


def pytest_collection_modifyitems(config, items):
    missing = missing_requirement()
    for item in items:
        if HERE not in Path(item.path).parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and not e2e_required():
            item.add_marker(pytest.mark.skip(reason=missing))


@pytest.fixture(scope="session")
def live_server():
    """pytest-django's live server, on 127.0.0.1 (its default is `localhost`).

    It serves the static files (django.contrib.staticfiles is installed) and, with
    pytest-django's helper, gives each test the transactional database.
    """
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("127.0.0.1")
    yield server
    server.stop()


@pytest.fixture
def browser():
    """Chromium, started for one test and closed after it.

    Playwright's sync API runs an event loop in this thread, so Django's async-unsafe
    check would refuse the test's own database queries while it runs: the documented
    DJANGO_ALLOW_ASYNC_UNSAFE is set for the browser's lifetime only, so that tests
    running after the browser tests keep the check.
    """
    missing = missing_requirement()
    if missing:
        pytest.fail(f"E2E is set but the browser tests cannot run: {missing}")
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def viewport(request):
    """`desktop` (1280 by 800) unless a test parametrizes it (indirect) with `phone`."""
    return VIEWPORTS[getattr(request, "param", "desktop")]


@pytest.fixture
def language(request):
    """The site's language at the start: `id` (the default) or `en` (indirect)."""
    return getattr(request, "param", "id")


@pytest.fixture
def context(browser, live_server, viewport, language):
    """A fresh browser profile at the viewport, with the chosen site language.

    The site's Content-Security-Policy stays enforced (no bypass_csp), so that a
    violation shows up as a console error; axe is injected through the DevTools
    protocol, which the policy does not govern (see support.inject_axe).
    """
    ctx = browser.new_context(
        base_url=live_server.url,
        viewport={"width": viewport.width, "height": viewport.height},
        device_scale_factor=viewport.scale,
        is_mobile=viewport.is_mobile,
        has_touch=viewport.has_touch,
        locale=LANGUAGE_COOKIE_LOCALES[language],
        timezone_id="Asia/Jakarta",
        reduced_motion="reduce",
        color_scheme="light",
    )
    ctx.set_default_timeout(10_000)
    if language != "id":
        from django.conf import settings

        ctx.add_cookies(
            [
                {
                    "name": settings.LANGUAGE_COOKIE_NAME,
                    "value": language,
                    "url": live_server.url,
                }
            ]
        )
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    """A page whose console errors and uncaught exceptions fail the test."""
    pg = context.new_page()
    ConsoleLog.attach(pg)
    yield pg
    assert_no_console_errors(pg)


@pytest.fixture
def demo_contest(transactional_db):
    """The 552 regions and the demo contest (Kontes Kepala Daerah Inovatif 2023).

    Only the contest part of `load_demo` (accounts, categories, stages, rubrics,
    delegates): the flows here need no entries or judges, and it is fast.
    """
    from django.core.management import call_command

    from contest.demo import load_demo_contest

    call_command("load_regions", stdout=io.StringIO())
    return load_demo_contest()
