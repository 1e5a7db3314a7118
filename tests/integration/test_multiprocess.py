"""The site on many processes loses nothing (issue 12, "Done means").

Over HTTP, as the users would: a delegate submits an entry with an image; the
test sees the thumbnail the worker made in the S3 bucket, the receipt e-mail
(written by the file backend), a deadline reminder sent once when the clock is
moved, and the evidence downloadable only by those allowed. The same scenario
runs "eager" (SQLite, no broker: `make run`'s way) and "distributed"
(PostgreSQL, Redis, gunicorn with 2 workers, a Celery worker and beat).

Then, distributed only: a worker killed in the middle of processing an image,
and started again, ends with the image processed once; the broker stopped while
a delegate is invited and an image uploaded, then started again, ends with the
mail sent once and the image processed, and nobody saw an error.

Run by `.ci/run` with INTEGRATION=1 (tests/integration/conftest.py)."""

from __future__ import annotations

import datetime as dt
import io
import re
import socket
import time

import pytest

from tests.contract.client import Api, expect, id_of
from tests.integration.stack import Stack, running
from tests.processes import port_open, wait_until

pytestmark = [pytest.mark.integration]

ZONE = "Asia/Makassar"
# The reminders go out 3 days and 1 day before a window closes; the contest's
# window closes 5 days from now, so a clock moved 3 days on is 2 days before.
CLOSES_IN = dt.timedelta(days=5)
MOVED_CLOCK = "+3d"
# Longest a request may take while a service it does not need is down.
PATIENCE = 10.0


@pytest.fixture(scope="module")
def eager(tmp_path_factory):
    with running("eager", tmp_path_factory.mktemp("eager")) as stack:
        yield stack


@pytest.fixture(scope="module")
def distributed(tmp_path_factory):
    with running("distributed", tmp_path_factory.mktemp("distributed")) as stack:
        yield stack


def jpeg(size=(800, 600), *, noise=False) -> bytes:
    """A photo: a gradient (small, quick to process) or noise (slow to process)."""
    import numpy as np
    from PIL import Image

    width, height = size
    if noise:
        pixels = np.random.default_rng(7).integers(
            0, 255, (height, width, 3), dtype=np.uint8
        )
    else:
        row = np.linspace(0, 255, width, dtype=np.uint8)
        pixels = np.dstack([np.tile(row, (height, 1))] * 3)
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=40)
    return out.getvalue()


class Contest:
    """A contest open for entries, made over the API by its organizer, with the
    world's two delegates linked to their regions."""

    def __init__(self, stack: Stack, slug: str) -> None:
        world = stack.world
        self.stack, self.slug = stack, slug
        self.name = f"Kontes Inovasi {slug}"
        self.organizer = stack.signed_in(world["organizer"])
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        expect(
            self.organizer.post(
                "/api/v1/contests/",
                {
                    "name": self.name,
                    "slug": slug,
                    "host_region": world["region"],
                    "timezone": ZONE,
                    "submission_opens": (now - dt.timedelta(hours=1)).isoformat(),
                    "submission_closes": (now + CLOSES_IN).isoformat(),
                    "max_entries_per_region": 5,
                },
            ),
            201,
        )
        category = expect(
            self.organizer.post(
                self.path("categories/"), {"name": "Pelayanan publik", "slug": "umum"}
            ),
            201,
        )
        self.category = id_of(category.body)
        for email, region in [
            (world["delegate"], world["region"]),
            (world["other"], world["other_region"]),
        ]:
            expect(
                self.organizer.post(
                    self.path("delegates/"), {"email": email, "region": region}
                ),
                201,
            )
        self.delegate = stack.signed_in(world["delegate"])
        self.other = stack.signed_in(world["other"])

    def path(self, rest: str = "") -> str:
        return f"/api/v1/contests/{self.slug}/{rest}"

    def draft(self, title: str) -> int:
        answer = self.delegate.post(
            self.path("submissions/"),
            {
                "category": self.category,
                "title": title,
                "summary": "Layanan perizinan daring satu pintu.",
                "problem": "Antrean panjang di kantor pelayanan.",
                "solution": "Permohonan, pembayaran dan izin di satu aplikasi.",
                "impact": "Waktu layanan turun dari 14 hari menjadi 3 hari.",
                "started_on": "2024-01-15",
                "agency": "DPMPTSP",
            },
        )
        return id_of(expect(answer, 201).body)

    def upload(self, entry: int, content: bytes, name: str = "foto.jpg"):
        """POST the image as evidence; answers (the evidence, seconds it took)."""
        started = time.monotonic()
        answer = self.delegate.post(
            self.path(f"submissions/{entry}/evidence/"),
            {"title": "Foto loket pelayanan"},
            files={"file": (name, content, "image/jpeg")},
        )
        return expect(answer, 201).body, time.monotonic() - started

    def entry(self, entry: int, api: Api | None = None) -> dict:
        answer = (api or self.delegate).get(self.path(f"submissions/{entry}/"))
        return expect(answer, 200).body


def download(api: Api, url: str):
    return api.get(url, headers={"Accept": "*/*"})


def downloaded_bytes(stack: Stack, api: Api, url: str) -> bytes:
    """The file's bytes as the API streams them (urllib, raw)."""
    from urllib.request import Request, urlopen

    request = Request(  # noqa: S310
        stack.base_url + url, headers={"Authorization": f"Token {api.token}"}
    )
    with urlopen(request, timeout=60) as response:  # noqa: S310
        return response.read()


def file_url(contest: Contest, entry: int) -> str | None:
    """The entry's (first) evidence's `download_url`: null until it is ready to
    be served (an image: processed)."""
    return contest.entry(entry)["evidence"][0]["download_url"]


def wait_processed(contest: Contest, entry: int, seconds: float = 90) -> str:
    """Wait until the entry's image is processed; answers its download URL."""
    url = wait_until(
        lambda: file_url(contest, entry),
        seconds=seconds,
        what="the image was processed (its download_url given)",
    )
    expect(download(contest.delegate, url), 200)
    return url


def one_image_and_its_thumbnail(stack: Stack, entry: int) -> tuple[str, str]:
    """The entry's objects in the bucket: the clean image and its thumbnail, the
    upload as it came in deleted, nothing twice."""
    keys = stack.entry_keys(entry)
    thumbnails = [k for k in keys if "/thumbs/" in k]
    images = [k for k in keys if "/thumbs/" not in k]
    assert len(thumbnails) == 1, keys
    assert len(images) == 1, keys
    return images[0], thumbnails[0]


# ------------------------------------------------------------ the whole path


@pytest.mark.parametrize("mode", ["eager", "distributed"])
def test_an_entry_with_an_image_is_processed_mailed_reminded_and_guarded(request, mode):
    stack: Stack = request.getfixturevalue(mode)
    contest = Contest(stack, f"alur-{mode}")
    world = stack.world
    entry = contest.draft("Mal Pelayanan Publik Digital")
    evidence, _ = contest.upload(entry, jpeg())
    expect(contest.delegate.post(contest.path(f"submissions/{entry}/submit/")), 200)
    contest.draft("Posyandu Keliling")  # stays a draft: its delegate is reminded

    # The worker (or, eager, the web process) made the thumbnail, in the bucket.
    url = wait_processed(contest, entry)
    assert url.endswith(f"/evidence/{evidence['id']}/file/"), url
    image_key, thumbnail_key = one_image_and_its_thumbnail(stack, entry)
    assert stack.object_bytes(thumbnail_key)[:3] == b"\xff\xd8\xff"

    # The receipt, in the delegate's language (Indonesian), with links to the site.
    [receipt] = wait_until(
        lambda: stack.mails("submission.received", world["delegate"]),
        seconds=60,
        what="the receipt was mailed",
    )
    assert contest.name in receipt.text
    number = contest.entry(entry).get("receipt_number")
    if number:
        assert number in receipt.text
    links = re.findall(r"https?://[^\s\"<>]+", receipt.text)
    assert links
    assert all(link.startswith(stack.base_url) for link in links), links

    # Downloadable by the entry's delegate and the organizer, as stored; by
    # nobody else: another region's delegate does not know of the entry.
    stored = stack.object_bytes(image_key)
    assert downloaded_bytes(stack, contest.delegate, url) == stored
    assert downloaded_bytes(stack, contest.organizer, url) == stored
    assert download(contest.other, url).status == 404
    assert download(stack.api(), url).status in (401, 403, 404)
    thumbnail_url = url.replace("/file/", "/thumbnail/")
    assert downloaded_bytes(stack, contest.delegate, thumbnail_url) == (
        stack.object_bytes(thumbnail_key)
    )

    # The clock moved 3 days on: 2 days before the window closes, the delegate
    # with a draft is reminded once, however often the schedule runs.
    def reminders():
        return [
            mail
            for mail in stack.mails("submission.deadline", world["delegate"])
            if contest.name in mail.text
        ]

    assert reminders() == []
    if stack.distributed:
        stack.processes["worker"].stop()
        stack.start("worker", clock=MOVED_CLOCK)
        wait_until(reminders, seconds=60, what="the reminder was sent")
        worker_log = stack.processes["worker"].output
        passes = worker_log().count("judging.deadline_reminders")
        wait_until(
            lambda: worker_log().count("judging.deadline_reminders") >= passes + 6,
            seconds=60,
            what="three more passes of the reminders ran",
        )
        stack.processes["worker"].stop()
        stack.start("worker")
    else:
        stack.run_scheduled(clock=MOVED_CLOCK)
        stack.run_scheduled(clock=MOVED_CLOCK)
    [reminder] = reminders()
    assert reminder.to == [world["delegate"]]
    assert all(
        link.startswith(stack.base_url)
        for link in re.findall(r"https?://[^\s\"<>]+", reminder.text)
    )


# ------------------------------------------------------------ a worker killed


def test_a_worker_killed_in_the_middle_of_a_task_finishes_it_once(distributed):
    stack = distributed
    contest = Contest(stack, "pekerja-mati")
    entry = contest.draft("Pengaduan Warga Terpadu")
    worker = stack.processes["worker"]

    # A photo big enough that processing takes about a second; the worker is
    # killed once it has begun (the service logs it), before it is done.
    evidence, _ = contest.upload(entry, jpeg((6000, 5000), noise=True))
    started = f"processing image evidence {evidence['id']}"
    wait_until(
        lambda: started in worker.output(),
        seconds=60,
        every=0.02,
        what="the worker began processing the image",
    )
    time.sleep(0.2)
    worker.kill()

    assert file_url(contest, entry) is None, "killed after it had finished"
    assert [k for k in stack.entry_keys(entry) if "/thumbs/" in k] == []

    stack.start("worker")
    url = wait_processed(contest, entry, seconds=120)
    # Long enough for the killed worker's message to come back (the visibility
    # timeout) or the sweep to queue the image again: whichever runs second
    # finds it processed (or loses the race and deletes its own copies).
    time.sleep(int(stack.env["CELERY_VISIBILITY_TIMEOUT"]) + 5)
    image_key, _ = one_image_and_its_thumbnail(stack, entry)
    assert downloaded_bytes(stack, contest.delegate, url) == stack.object_bytes(
        image_key
    )
    assert evidence["id"] == contest.entry(entry)["evidence"][0]["id"]


# ------------------------------------------------------------ the broker stopped


def test_a_broker_outage_loses_no_mail_and_no_image_and_shows_no_error(distributed):
    stack = distributed
    contest = Contest(stack, "broker-mati")
    entry = contest.draft("Sistem Antrean Puskesmas")
    newcomer = "operator.baru@dompu.example.id"
    broker = stack.broker
    port = int(stack.env["CELERY_BROKER_URL"].rsplit(":", 1)[1].split("/")[0])

    broker.stop()
    wait_until(lambda: not port_open(port), seconds=10, what="the broker stopped")
    started = time.monotonic()
    invited = contest.organizer.post(
        contest.path("delegates/"),
        {"email": newcomer, "region": stack.world["other_region"]},
    )
    invite_took = time.monotonic() - started
    _evidence, upload_took = contest.upload(entry, jpeg())
    health = stack.api().get("/healthz")

    # Nobody saw an error, and nobody waited long.
    assert invited.status == 201, str(invited)
    assert invite_took < PATIENCE
    assert upload_took < PATIENCE
    assert health.status == 503, str(health)
    assert "broker" in str(health.body)

    broker.start()
    wait_until(lambda: _answers(port), seconds=20, what="the broker started")
    wait_processed(contest, entry, seconds=120)
    wait_until(
        lambda: stack.mails("invitation", newcomer),
        seconds=120,
        what="the invitation was mailed",
    )
    # Several more passes of the outbox sweep: still one invitation.
    time.sleep(5)
    [invitation] = stack.mails("invitation", newcomer)
    assert contest.name in invitation.text
    one_image_and_its_thumbnail(stack, entry)
    assert stack.api().get("/healthz").status == 200


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
