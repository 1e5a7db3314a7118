"""Helpers for the end-to-end flow of issue #6 (tests/e2e/test_flow.py).

The data set-up (a contest whose submission window is open now, its category, a
screening and a scoring stage with a rubric, a delegate, an organizer, two judges),
the "clock" moves between the parts of the flow (through the ORM), evidence files,
and browser helpers that support.py does not have: signing out, accepting the
site's confirmation dialogs, recording the upload <progress> element's values,
throttling the upload and waiting for the scoring page's autosave.

Playwright and the project's code are imported inside the functions, like in
support.py, so that the module can be collected where Playwright is missing.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tests.e2e.support import (
    SCREENSHOTS,
    assert_no_console_errors,
    check_page,
    expect,
    follow,
    is_phone,
    open_menu,
    screenshot,
    viewport_of,
)

PASSWORD = "Inovasi-Alur-Uji-2031"
ORGANIZER_EMAIL = "panitia.alur@example.id"
DELEGATE_EMAIL = "operator.bima@example.id"
JUDGE_EMAILS = ("juri.ratna@example.id", "juri.yusuf@example.id")
# Kota Bima (NTB, province 52) enters; the judges live in Kota Bandung (Jawa Barat)
# and Kabupaten Mimika (Papua Tengah): no conflict of interest with the entry.
ENTRY_REGION = "52.72"
JUDGE_HOME_REGIONS = ("32.73", "94.04")
JUDGE_NAMES = ("Ratna Sari", "Yusuf Andi")

CONTEST = {
    "name": "Kontes Kepala Daerah Inovatif 2031",
    "slug": "kkdi-2031",
    "description": "Kontes uji alur lengkap: entri, seleksi, penjurian, pengumuman.",
    "timezone": "Asia/Makassar",
    "eligible_region_types": ["kabupaten", "kota"],
    "max_entries_per_region": 2,
    "is_public": True,
}
CATEGORY = {"name": "Pelayanan Publik", "slug": "pelayanan-publik", "order": 1}
CRITERIA = [
    {
        "name": "Kebaruan",
        "description": "Seberapa baru gagasan inovasi bagi daerah.",
        "weight": Decimal("40"),
        "levels": [
            {"score": 2, "description": "Meniru tanpa penyesuaian"},
            {"score": 8, "description": "Gagasan baru yang teruji"},
        ],
        "expected_evidence": "Dokumen profil inovasi",
        "order": 1,
    },
    {
        "name": "Kemanfaatan",
        "description": "Dampak nyata bagi warga.",
        "weight": Decimal("35"),
        "order": 2,
    },
    {
        "name": "Kemudahan replikasi",
        "description": "Dapat ditiru daerah lain.",
        "weight": Decimal("25"),
        "order": 3,
    },
]


@dataclass
class Flow:
    """What the set-up made; the tests look things up by these ids."""

    contest: Any
    category: Any
    screening: Any
    scoring: Any
    criteria: list[Any]
    organizer: Any
    delegate: Any
    judges: list[Any] = field(default_factory=list)


def _users():
    from django.contrib.auth import get_user_model

    return get_user_model().objects


def build_flow() -> Flow:
    """Regions, users with known passwords, and a contest open for entries now.

    The stages' windows lie after the submission window, as in a real contest;
    move_to_screening() and move_to_scoring() bring them to the present.
    """
    from django.core.management import call_command
    from django.utils import timezone

    from contest import services as contest_services
    from contest.models import Region
    from judging import services as judging_services

    call_command("load_regions", stdout=io.StringIO())
    now = timezone.now().replace(microsecond=0)
    users = _users()
    organizer = users.create_user(
        email=ORGANIZER_EMAIL, password=PASSWORD, name="Panitia Kota Bima"
    )
    delegate_user = users.create_user(
        email=DELEGATE_EMAIL, password=PASSWORD, name="Nur Aisyah"
    )
    contest = contest_services.create_contest(
        by=organizer,
        host_region=Region.objects.get(pk=ENTRY_REGION),
        submission_opens=now - dt.timedelta(days=1),
        submission_closes=now + dt.timedelta(days=3),
        **CONTEST,
    )
    category = contest_services.create_category(
        contest=contest, by=organizer, **CATEGORY
    )
    screening = contest_services.create_stage(
        contest=contest,
        by=organizer,
        name="Seleksi administrasi",
        order=1,
        kind="screening",
        opens=now + dt.timedelta(days=3),
        closes=now + dt.timedelta(days=6),
        judges_per_entry=1,
    )
    scoring = contest_services.create_stage(
        contest=contest,
        by=organizer,
        name="Penilaian proposal",
        order=2,
        kind="scoring",
        opens=now + dt.timedelta(days=6),
        closes=now + dt.timedelta(days=13),
        judges_per_entry=2,
    )
    criteria = [
        contest_services.create_criterion(stage=scoring, by=organizer, **data)
        for data in CRITERIA
    ]
    delegate = contest_services.invite_delegate(
        contest=contest,
        email=DELEGATE_EMAIL,
        region=Region.objects.get(pk=ENTRY_REGION),
        by=organizer,
    )
    assert delegate.user_id == delegate_user.pk
    judges = []
    for email, name, home in zip(
        JUDGE_EMAILS, JUDGE_NAMES, JUDGE_HOME_REGIONS, strict=True
    ):
        users.create_user(email=email, password=PASSWORD, name=name)
        judges.append(
            judging_services.invite_judge(
                contest=contest,
                email=email,
                by=organizer,
                name=name,
                home_region=Region.objects.get(pk=home),
                categories=[category],
                panels=[category],
            )
        )
    return Flow(
        contest=contest,
        category=category,
        screening=screening,
        scoring=scoring,
        criteria=criteria,
        organizer=organizer,
        delegate=delegate_user,
        judges=judges,
    )


def move_to_screening(flow: Flow) -> None:
    """The submission window has closed; the screening stage is open.

    Through the ORM (update()): this stands for time passing, not for an organizer
    changing the contest, so nothing is audited and nothing else moves.
    """
    from django.utils import timezone

    from contest.models import Contest, Stage

    now = timezone.now().replace(microsecond=0)
    Contest.objects.filter(pk=flow.contest.pk).update(
        submission_closes=now - dt.timedelta(minutes=1)
    )
    Stage.objects.filter(pk=flow.screening.pk).update(
        opens=now - dt.timedelta(minutes=1), closes=now + dt.timedelta(days=2)
    )
    Stage.objects.filter(pk=flow.scoring.pk).update(
        opens=now + dt.timedelta(days=2), closes=now + dt.timedelta(days=9)
    )


def move_to_scoring(flow: Flow) -> None:
    """Screening is over; the scoring stage is open for a week (ORM, see above)."""
    from django.utils import timezone

    from contest.models import Stage

    now = timezone.now().replace(microsecond=0)
    Stage.objects.filter(pk=flow.screening.pk).update(
        opens=now - dt.timedelta(days=2), closes=now - dt.timedelta(minutes=1)
    )
    Stage.objects.filter(pk=flow.scoring.pk).update(
        opens=now - dt.timedelta(minutes=1), closes=now + dt.timedelta(days=7)
    )


# ---------- evidence files ----------


def pdf_bytes(size: int) -> bytes:
    """A small valid PDF padded with comment lines to about `size` bytes, so that its
    upload takes long enough (throttled) for the progress bar to move."""
    head = (
        b"%PDF-1.4\n"
        b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        b"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n"
    )
    tail = b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    line = b"% profil inovasi Saninu, Command Center Kota Bima " + b"." * 40 + b"\n"
    padding = line * max(0, (size - len(head) - len(tail)) // len(line))
    return head + padding + tail


def png_bytes() -> bytes:
    """A photo-like PNG (the public results show an entry's first image)."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 400), (23, 92, 140))
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 260, 600, 380), fill=(240, 196, 25))
    draw.ellipse((420, 40, 560, 180), fill=(250, 250, 250))
    for x in range(60, 400, 60):
        draw.rectangle((x, 150, x + 40, 260), fill=(200, 60, 50))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def evidence_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "profil-inovasi-saninu.pdf"
    pdf.write_bytes(pdf_bytes(768 * 1024))
    photo = folder / "command-center-kota-bima.png"
    photo.write_bytes(png_bytes())
    return [pdf, photo]


# ---------- browser ----------


def check(page, *, screenshot_name: str | None = None) -> None:
    """support.check_page, and no console error so far (fails at the page in
    question rather than at the end of the test)."""
    check_page(page, screenshot_name=screenshot_name)
    assert_no_console_errors(page)


def screenshot_first_screen(page, name: str) -> Path | None:
    """Like support.screenshot, but only the first screen where the page keeps a
    column sticky in its own scroll box (the scoring page from 1024 px): a full-page
    capture stretches the viewport and draws that column out of place. From the
    top, as a reload leaves the page where it was scrolled to."""
    if page.viewport_size["width"] < 1024 or os.environ.get("SCREENSHOTS") != "1":
        return screenshot(page, name)
    page.evaluate(
        """() => {
            window.scrollTo(0, 0);
            for (const el of document.querySelectorAll("main *")) {
                if (el.scrollTop) el.scrollTop = 0;
            }
        }"""
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}-{viewport_of(page).name}.png"
    page.screenshot(path=path, animations="disabled", caret="hide")
    return path


def accept_dialogs(page) -> list[str]:
    """Accept every confirm() the site asks (form[data-confirm]); the messages."""
    asked: list[str] = []

    def on_dialog(dialog):
        from playwright.sync_api import Error

        asked.append(dialog.message)
        try:
            dialog.accept()
        except Error as error:
            # Closed before it could be accepted: the step waiting for the page the
            # form opens then fails, with this in its `asked` message.
            asked.append(f"(not accepted: {error.message})")

    page.on("dialog", on_dialog)
    return asked


def sign_out(page) -> None:
    open_menu(page)
    follow(page, page.locator(".logout-form button[type=submit]"))
    expect(page.locator(".nav-user")).to_have_count(0)


def fill(page, selector: str, text: str) -> None:
    """Type into a field (tap on a phone, click elsewhere), replacing its value."""
    locator = page.locator(selector)
    if is_phone(page):
        locator.tap()
    else:
        locator.click()
    locator.fill("")
    locator.press_sequentially(text)


# The <progress> of an upload form, watched by a MutationObserver: setting its
# `value` property sets the `value` attribute (it reflects). The values go to
# sessionStorage, which outlives app.js replacing the document after the upload.
WATCH_PROGRESS = """(selector) => {
    const form = document.querySelector(selector);
    const progress = form.querySelector("[data-progress-target]");
    const status = form.querySelector("[data-progress-status]");
    const box = form.querySelector("[data-progress-box]");
    const key = "e2e-upload-progress";
    const log = { values: [], statuses: [], shown: false };
    sessionStorage.setItem(key, JSON.stringify(log));
    const save = () => sessionStorage.setItem(key, JSON.stringify(log));
    new MutationObserver(() => {
        log.values.push(Number(progress.value));
        if (box && !box.hidden && !progress.hidden) log.shown = true;
        save();
    }).observe(progress, { attributes: true, attributeFilter: ["value", "hidden"] });
    new MutationObserver(() => {
        log.statuses.push(status.textContent.trim());
        save();
    }).observe(status, { childList: true, characterData: true, subtree: true });
}"""


def watch_upload_progress(page, form_selector: str) -> None:
    page.evaluate(WATCH_PROGRESS, form_selector)


def recorded_upload_progress(page) -> dict[str, Any]:
    raw = page.evaluate("() => sessionStorage.getItem('e2e-upload-progress')")
    assert raw, "the upload progress was not recorded"
    return json.loads(raw)


class UploadThrottle:
    """Slow the browser's uploads down (DevTools Network.emulateNetworkConditions),
    so that the XMLHttpRequest reports progress more than once."""

    def __init__(self, page, bytes_per_second: int):
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": bytes_per_second,
            },
        )

    def stop(self) -> None:
        self.session.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            },
        )
        self.session.detach()


def wait_for_autosave(page, saved_text: str) -> None:
    """Let the scoring form's htmx autosave (keyup delay 800 ms, or change) finish:
    no request in flight and the status says the draft is saved."""
    page.wait_for_timeout(1000)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    expect(page.locator("#save-status")).to_contain_text(saved_text)
