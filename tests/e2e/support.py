"""Helpers for the browser tests: page checks, axe, console errors, keyboard input.

Playwright is imported inside the functions, so that this module (and the test
modules importing it) can be collected, and skipped, where Playwright is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = HERE / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "docs" / "screenshots"
# The site ignores Accept-Language (config/middleware.py); the locale only sets the
# browser's own (navigator.language, Intl).
LANGUAGE_COOKIE_LOCALES = {"id": "id-ID", "en": "en-US"}
AXE_FAILING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class Viewport:
    name: str
    width: int
    height: int
    scale: float = 1
    is_mobile: bool = False
    has_touch: bool = False


VIEWPORTS = {
    "desktop": Viewport("desktop", 1280, 800),
    "phone": Viewport("phone", 360, 740, scale=2, is_mobile=True, has_touch=True),
}


def viewport_of(page) -> Viewport:
    width = page.viewport_size["width"]
    return next(v for v in VIEWPORTS.values() if v.width == width)


def expect(*args, **kwargs):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(*args, **kwargs)


# ---------- console errors ----------

_LOGS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


@dataclass
class ConsoleLog:
    """Console errors and uncaught exceptions of one page, across its navigations."""

    errors: list[str] = field(default_factory=list)

    @classmethod
    def attach(cls, page) -> ConsoleLog:
        log = cls()

        def on_console(message):
            if message.type == "error":
                where = message.location.get("url") or page.url
                log.errors.append(f"console error on {where}: {message.text}")

        def on_page_error(error):
            log.errors.append(f"uncaught exception on {page.url}: {error}")

        page.on("console", on_console)
        page.on("pageerror", on_page_error)
        _LOGS[page] = log
        return log


def console_errors(page) -> list[str]:
    return list(_LOGS[page].errors)


def assert_no_console_errors(page) -> None:
    errors = console_errors(page)
    assert not errors, "JavaScript errors in the browser console:\n" + "\n".join(errors)


# ---------- accessibility (axe-core) ----------


def inject_axe(page) -> None:
    """Load axe-core into the current document.

    Through page.evaluate (the DevTools protocol), which the site's CSP (script-src
    'self') does not govern, unlike add_script_tag's inline <script>: the policy stays
    enforced for the site's own code, and its violations stay visible as console errors.
    """
    if page.evaluate("typeof window.axe") == "object":
        return
    page.evaluate("() => {\n" + AXE_JS.read_text(encoding="utf-8") + "\n}")


def run_axe(page, context: str | None = None) -> list[dict[str, Any]]:
    """The serious and critical axe violations of the page (or of `context`)."""
    inject_axe(page)
    violations = page.evaluate(
        """async (context) => {
            const results = await axe.run(context || document, {
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "),
                    html: n.html,
                    summary: n.failureSummary,
                })),
            }));
        }""",
        context,
    )
    return [v for v in violations if v["impact"] in AXE_FAILING_IMPACTS]


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:200]}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = run_axe(page)
    assert not violations, (
        f"axe: serious or critical violations on {page.url}:\n"
        + format_violations(violations)
    )


# ---------- layout and style ----------


def assert_styled(page) -> None:
    """The stylesheet applied (the header has its colour) and app.js ran."""
    state = page.evaluate(
        """() => {
            const header = document.querySelector(".site-header");
            return {
                header: header ? getComputedStyle(header).backgroundColor : null,
                js: document.documentElement.classList.contains("js"),
                sheets: Array.from(document.styleSheets).map((s) => s.href),
            };
        }"""
    )
    assert state["header"] not in (None, "rgba(0, 0, 0, 0)", "transparent"), (
        f"the stylesheet did not apply on {page.url}: {json.dumps(state)}"
    )
    assert state["js"], f"static/js/app.js did not run on {page.url}"


def assert_no_horizontal_scroll(page) -> None:
    """Nothing is wider than the screen.

    Compared with the device width, not window.innerWidth: a mobile browser widens its
    layout viewport (and zooms out) to fit content that overflows.
    """
    width = page.viewport_size["width"]
    state = page.evaluate(
        """(width) => {
            // Does an ancestor in its containing-block chain clip it (or fix it)?
            const contained = (el) => {
                let position = getComputedStyle(el).position;
                if (position === "fixed") return true;
                let up = el.parentElement;
                for (; up && up !== document.body; up = up.parentElement) {
                    const style = getComputedStyle(up);
                    const isStatic = style.position === "static";
                    if (position === "absolute" && isStatic) continue;
                    if (style.position === "fixed" || style.overflowX !== "visible") {
                        return true;
                    }
                    position = style.position;
                }
                return false;
            };
            const wide = [];
            for (const el of document.querySelectorAll("body *")) {
                const box = el.getBoundingClientRect();
                if (box.right <= width + 1 || contained(el)) continue;
                let path = [];
                for (let e = el; e && e !== document.body; e = e.parentElement) {
                    const cls = typeof e.className === "string" && e.className.trim()
                        ? "." + e.className.trim().split(/\\s+/).join(".")
                        : "";
                    path.unshift(e.tagName.toLowerCase() + cls);
                    if (path.length === 3) break;
                }
                const position = getComputedStyle(el).position;
                wide.push({
                    right: Math.round(box.right + window.scrollX),
                    what: `${path.join(" > ")} (position: ${position})`,
                });
            }
            wide.sort((a, b) => b.right - a.right);
            return {
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: window.innerWidth,
                wide: wide.slice(0, 4).map((w) => `${w.what} right=${w.right}`),
            };
        }""",
        width,
    )
    assert state["scrollWidth"] <= width, (
        f"horizontal scroll on {page.url} at {width}px: the document is "
        f"{state['scrollWidth']}px wide (window.innerWidth {state['innerWidth']}); "
        f"elements past the edge: {state['wide']}"
    )


def screenshot(page, name: str) -> Path | None:
    """Save docs/screenshots/<name>-<viewport>.png (full page), only when asked
    (`make screenshots` sets SCREENSHOTS=1): a test run leaves the tracked
    pictures alone."""
    if os.environ.get("SCREENSHOTS") != "1":
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport_of(page).name}.png"
    page.screenshot(path=path, full_page=True, animations="disabled", caret="hide")
    return path


def check_page(page, *, screenshot_name: str | None = None) -> None:
    """What every visited page must pass: styled, accessible, no sideways scroll."""
    page.wait_for_load_state("load")
    assert_styled(page)
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    if screenshot_name:
        screenshot(page, screenshot_name)


def visit(page, path: str, *, screenshot_name: str | None = None):
    response = page.goto(path)
    assert response is not None
    assert response.ok, f"GET {path} answered {response.status}"
    check_page(page, screenshot_name=screenshot_name)
    return response


# ---------- navigation and input ----------


def is_phone(page) -> bool:
    return viewport_of(page).is_mobile


def open_menu(page) -> None:
    """On a small screen, open the collapsed main menu with its toggle."""
    toggle = page.locator("[data-nav-toggle]")
    if not toggle.is_visible():
        return
    if toggle.get_attribute("aria-expanded") != "true":
        if is_phone(page):
            toggle.tap()
        else:
            toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#site-nav")).to_be_visible()


def activate(page, locator) -> None:
    """Tap on a phone, click elsewhere."""
    if is_phone(page):
        locator.tap()
    else:
        locator.click()


def press_enter(page) -> None:
    """Press Enter on the focused link or form, and wait for the page it opens."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def follow(page, locator) -> None:
    """Tap or click a link or submit button, and wait for the page it opens."""
    with page.expect_navigation():
        activate(page, locator)


def focused(page) -> str:
    """A short description of the focused element, for messages."""
    return page.evaluate(
        """() => {
            const el = document.activeElement;
            if (!el) return "nothing";
            const id = el.id ? "#" + el.id : "";
            const text = (el.textContent || el.value || "").trim().slice(0, 40);
            return `${el.tagName.toLowerCase()}${id} "${text}"`;
        }"""
    )


def tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the first element matching `selector` has the focus.

    Fails when it is not reachable with the keyboard, or when its focus is not visible
    (no outline or box shadow while :focus-visible).
    """
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """(selector) => {
                const el = document.querySelector(selector);
                if (!el || el !== document.activeElement) return null;
                const style = getComputedStyle(el);
                return {
                    focusVisible: el.matches(":focus-visible"),
                    outline: style.outlineStyle,
                    shadow: style.boxShadow,
                };
            }""",
            selector,
        )
        if state is not None:
            message = f"{selector} has the keyboard focus but no focus ring: {state}"
            assert state["focusVisible"], message
            assert state["outline"] != "none" or state["shadow"] != "none", message
            return
    raise AssertionError(
        f"{selector} was not reached with {limit} Tab presses on {page.url}; "
        f"the focus is on {focused(page)}"
    )


def press_tab_expecting(page, selector: str) -> None:
    """One Tab press must move the focus to `selector` (the form's tab order)."""
    page.keyboard.press("Tab")
    is_focused = page.evaluate(
        "(s) => document.activeElement === document.querySelector(s)", selector
    )
    assert is_focused, f"after Tab the focus is on {focused(page)}, not {selector}"


def type_datetime(page, value: dt.datetime) -> None:
    """Type a date and time into the focused <input type="datetime-local">.

    Headless Chromium lays the field out as mm/dd/yyyy, hh:mm AM/PM whatever the
    page's locale; the year takes up to six digits, so ArrowRight moves on to the hour.
    """
    hour = value.hour % 12 or 12
    page.keyboard.type(f"{value:%m%d%Y}")
    page.keyboard.press("ArrowRight")
    page.keyboard.type(f"{hour:02d}{value:%M}" + ("A" if value.hour < 12 else "P"))
    typed = page.evaluate("document.activeElement.value")
    assert typed == f"{value:%Y-%m-%dT%H:%M}", (
        f"typing {value} into {focused(page)} gave {typed!r}: "
        "the browser lays datetime-local out differently"
    )


def replace_value(page, text: str) -> None:
    """Select the focused field's content and type over it."""
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)


def sign_in(
    page,
    email: str,
    password: str,
    *,
    keyboard: bool = False,
    screenshot_name: str | None = None,
) -> None:
    """Sign in through the real login form (checked like every page)."""
    visit(page, "/accounts/login/", screenshot_name=screenshot_name)
    if keyboard:
        tab_to(page, "#id_login")
        page.keyboard.type(email)
        tab_to(page, "#id_password")
        page.keyboard.type(password)
        press_enter(page)
    else:
        page.fill("#id_login", email)
        page.fill("#id_password", password)
        follow(page, page.locator("main form button[type=submit]"))
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator(".nav-user")).to_contain_text(email)
