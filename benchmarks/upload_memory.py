"""How much memory a 100 MB evidence upload costs the server.

Runs Django in-process on a throw-away SQLite database and media folder, signs a
delegate in, and POSTs a 100 MB multipart body (a PDF header followed by padding) to
the evidence endpoint through the test client's WSGI handler. The body is generated
while the server reads it, so the client holds nothing: what grows is the server's.
Django streams uploads above FILE_UPLOAD_MAX_MEMORY_SIZE (2 MB) to a temporary file and
the service moves that file into storage, reading only its first bytes.

Prints the peak RSS growth (the resident size sampled every millisecond during the
upload, minus the size before it; resource.getrusage's high-water mark as a check)
and, on a second upload, the peak of Python allocations (tracemalloc). The target is
under 30 MB.

Run from the project root: ``.venv/bin/python benchmarks/upload_memory.py``.
"""

import os
import resource
import shutil
import sys
import tempfile
import threading
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MB = 1024 * 1024
UPLOAD_SIZE = 100 * MB
TARGET_MB = 30
PDF_HEAD = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"

workdir = tempfile.mkdtemp(prefix="upload-bench-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ["MEDIA_ROOT"] = f"{workdir}/media"
os.environ["CELERY_BROKER_URL"] = ""
os.environ["EVIDENCE_MAX_FILE_SIZE"] = str(2 * UPLOAD_SIZE)
os.environ["EVIDENCE_MAX_ENTRY_SIZE"] = str(10 * UPLOAD_SIZE)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from tests.submissions.streaming import MultipartStream, streamed_post  # noqa: E402


def report(size: int) -> MultipartStream:
    """A title, then a PDF: PDF_HEAD followed by `size` zero bytes."""
    return MultipartStream(
        fields={"title": "Laporan besar"},
        file_field="file",
        filename="laporan.pdf",
        content_type="application/pdf",
        head=PDF_HEAD,
        size=size,
    )


def arrange():
    """A contest open for entries, a delegate of Kota Bima and a draft."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from contest.models import Category, Contest, Delegate, Region
    from submissions.models import Submission

    province = Region.objects.create(
        code="52", name="Nusa Tenggara Barat", type="provinsi"
    )
    city = Region.objects.create(
        code="52.72", name="Kota Bima", type="kota", province=province
    )
    now = timezone.now()
    contest = Contest.objects.create(
        name="Kontes Uji Memori",
        slug="uji-memori",
        host_region=city,
        submission_opens=now - dt.timedelta(days=1),
        submission_closes=now + dt.timedelta(days=1),
    )
    category = Category.objects.create(
        contest=contest, name="Pelayanan Publik", slug="pp"
    )
    user = get_user_model().objects.create_user(email="bima@bench.id", password=None)
    Delegate.objects.create(contest=contest, user=user, region=city)
    submission = Submission.objects.create(
        contest=contest, category=category, region=city, title="Saninu", created_by=user
    )
    return (
        user,
        f"/api/v1/contests/{contest.slug}/submissions/{submission.pk}/evidence/",
    )


def expect(condition: bool, detail) -> None:
    if not condition:
        raise SystemExit(f"upload failed: {detail!r}")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


class RssSampler(threading.Thread):
    """Samples the resident size while the upload runs; `peak` is the largest seen."""

    def __init__(self):
        super().__init__(daemon=True)
        self.peak = current_rss_mb()
        self._done = threading.Event()

    def run(self):
        while not self._done.is_set():
            self.peak = max(self.peak, current_rss_mb())
            time.sleep(0.001)

    def stop(self):
        self._done.set()
        self.join()
        self.peak = max(self.peak, current_rss_mb())


def main() -> int:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    user, path = arrange()
    client = Client()
    client.force_login(user)

    warm = streamed_post(client, path, report(256 * 1024))
    expect(warm.status_code == 201, warm.content)

    from django.core.files.storage import default_storage

    from submissions.models import Evidence

    baseline = current_rss_mb()
    high_water_before = peak_rss_mb()
    sampler = RssSampler()
    sampler.start()
    started = time.perf_counter()
    response = streamed_post(client, path, report(UPLOAD_SIZE))
    elapsed = time.perf_counter() - started
    sampler.stop()
    growth = sampler.peak - baseline
    high_water_growth = peak_rss_mb() - high_water_before
    expect(response.status_code == 201, response.content)
    evidence = Evidence.objects.get(pk=response.json()["id"])
    stored = default_storage.size(evidence.file.name)
    expect(stored == report(UPLOAD_SIZE).file_size, f"stored {stored} bytes")

    tracemalloc.start()
    again = streamed_post(client, path, report(UPLOAD_SIZE))
    _current, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    expect(again.status_code == 201, again.content)

    print(f"upload: {stored / MB:.1f} MB stored in {elapsed:.2f} s")
    print(
        f"peak RSS growth during the upload: {growth:.1f} MB (target < {TARGET_MB} MB)"
    )
    print(f"growth of the process's RSS high-water mark: {high_water_growth:.1f} MB")
    print(f"tracemalloc peak of Python allocations: {traced_peak / MB:.2f} MB")
    ok = growth < TARGET_MB and traced_peak < TARGET_MB * MB
    print("OK" if ok else "TOO MUCH MEMORY")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        code = main()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.exit(code)
