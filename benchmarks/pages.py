"""`make bench`: the pages, the throughput, the results computation, the solver
and the upload at national scale, in one table (docs/performance.md explains it).

The parent process makes one throw-away database per size (PostgreSQL when
DATABASE_URL names one: `<name>_bench_s` and `<name>_bench_l` beside it, dropped at
the end; else SQLite files in a temporary folder) and runs this file again in a
child per size, with DEBUG off (benchmarks/bench_settings.py). The child inserts the
contest (benchmarks/national_rows.py), signs each role in with the test client and
counts the queries of one request and the time of BENCH_REPEATS (15) more; at L it
also serves the site with gunicorn (2 sync workers on 127.0.0.1) and times the
results computation against one SQL aggregate and the solver. The parent runs
benchmarks/upload_memory.py, prints the table and writes bench/results.json.

Run from the project root: ``make bench`` or ``.venv/bin/python benchmarks/pages.py``;
BENCH_SIZES=S runs the small size only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPEATS = int(os.environ.get("BENCH_REPEATS", "15"))
THROUGHPUT_SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
THROUGHPUT_CLIENTS = 8
PORT = int(os.environ.get("BENCH_PORT", "8765"))
PAGE_MS, PUBLIC_MS = 100.0, 50.0
RESULTS_RATIO, SOLVER_SECONDS, UPLOAD_MB = 2.0, 20.0, 30.0
THROUGHPUT_TARGETS = {"public results": 0.25, "organizer stage results": 0.05}
OUTPUT = ROOT / "bench" / "results.json"


# ------------------------------------------------------------------ the child


def page_urls(national) -> list[tuple[str, str, str, bool]]:
    """(page, role, URL, public) of every page in the table."""
    from django.urls import reverse

    slug = national.contest.slug
    stage = {"slug": slug, "stage_pk": national.stage.pk}
    api = f"/api/v1/contests/{slug}"
    return [
        ("public contest", "anonymous", reverse("contest:detail", args=[slug]), True),
        ("public results", "anonymous", reverse("results:public", args=[slug]), True),
        ("gallery", "anonymous", reverse("results:gallery", args=[slug]), True),
        ("API published results", "anonymous", f"{api}/results/", True),
        ("delegate's entries", "delegate", reverse("submissions:my-entries"), False),
        ("judge's assignments", "judge", reverse("judging:my-assignments"), False),
        (
            "judge's scoring page",
            "judge",
            reverse("judging:sheet", args=[national.judge_assignment]),
            False,
        ),
        (
            "screening queue",
            "organizer",
            reverse("submissions:screening", args=[slug]),
            False,
        ),
        ("stage results", "organizer", reverse("results:stage", kwargs=stage), False),
        ("progress", "organizer", reverse("judging:progress", kwargs=stage), False),
        (
            "assignment page",
            "organizer",
            reverse("judging:assignments", kwargs=stage),
            False,
        ),
        ("API submissions", "organizer", f"{api}/submissions/", False),
        (
            "API stage results",
            "organizer",
            f"{api}/stages/{national.stage.pk}/results/",
            False,
        ),
    ]


def signed_in_clients(national) -> dict:
    """A test client per role, signed in without a password."""
    from django.test import Client

    users = {
        "delegate": national.delegate,
        "judge": national.judge_user,
        "organizer": national.organizer,
    }
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return clients


def measure_pages(national, *, timed: bool) -> list[dict]:
    """Queries of one request per page (after a warm-up one) and, when `timed`,
    the median and 95th percentile of REPEATS more."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    clients = signed_in_clients(national)
    rows = []
    for page, role, url, public in page_urls(national):
        client = clients[role]
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        row = {
            "page": page,
            "role": role,
            "url": url,
            "public": public,
            "status": response.status_code,
            "bytes": len(response.content),
            "queries": len(queries),
        }
        if timed:
            times = []
            for _ in range(REPEATS):
                started = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            row["median_ms"] = statistics.median(times)
            row["p95_ms"] = statistics.quantiles(times, n=20, method="inclusive")[18]
        rows.append(row)
        print(f"  {page}: {row}", file=sys.stderr, flush=True)
    return rows


AGGREGATE_SQL = """
SELECT per_sheet.submission_id, AVG(per_sheet.total)
FROM (
    SELECT a.submission_id, sh.id, SUM(sc.value * cr.weight / cr.max_score) AS total
    FROM judging_score sc
    JOIN judging_scoresheet sh ON sh.id = sc.sheet_id
    JOIN judging_assignment a ON a.id = sh.assignment_id
    JOIN contest_criterion cr ON cr.id = sc.criterion_id
    WHERE a.stage_id = %s AND sh.state = %s
    GROUP BY a.submission_id, sh.id
) per_sheet
GROUP BY per_sheet.submission_id
"""


def measure_results(national) -> dict:
    """`results.selectors.stage_results` against one SQL aggregate over the same
    submitted scores (a weighted mean per entry): best of 3 each, and the first
    call of the computation."""
    from django.core.cache import cache
    from django.db import connection

    from common.kept import forget_all
    from judging.enums import SheetState
    from results.selectors import stage_results

    def timed(run) -> list[float]:
        times = []
        for _ in range(3):
            started = time.perf_counter()
            run()
            times.append(time.perf_counter() - started)
        return times

    def aggregate() -> None:
        with connection.cursor() as cursor:
            cursor.execute(AGGREGATE_SQL, [national.stage.pk, SheetState.SUBMITTED])
            cursor.fetchall()

    def computed_afresh() -> None:
        # Nothing kept: the pages before kept this computation, which is not
        # what is timed here.
        cache.clear()
        forget_all()
        stage_results(national.stage)

    computed = timed(computed_afresh)
    kept = timed(lambda: stage_results(national.stage))
    floor = min(timed(aggregate))
    return {
        "computation_s": min(computed),
        "kept_s": min(kept),
        "sql_aggregate_s": floor,
        "ratio": min(computed) / floor,
    }


def measure_solver(entries: int, judges: int, k: int = 3, seed: int = 2026) -> dict:
    """judging.assignment.solve_assignment on `entries` x `judges` x k with 2 % of
    the pairs conflicted: time, load spread, conflicted pairs chosen, entries short."""
    import random

    from judging.assignment import Entry, Judge, solve_assignment

    rng = random.Random(seed)
    entry_rows = [Entry(id=n, category=n % 5) for n in range(1, entries + 1)]
    judge_rows = [Judge(id=n) for n in range(1, judges + 1)]
    conflicts = {
        (judge.id, entry.id)
        for entry in entry_rows
        for judge in judge_rows
        if rng.random() < 0.02
    }
    started = time.perf_counter()
    result = solve_assignment(
        entries=entry_rows, judges=judge_rows, k=k, conflicts=conflicts
    )
    elapsed = time.perf_counter() - started
    loads = list(result.loads.values())
    return {
        "size": f"{entries} x {judges} x {k}",
        "seconds": elapsed,
        "pairs": len(result.pairs),
        "spread": max(loads) - min(loads),
        "conflicts": len(set(result.pairs) & conflicts),
        "short": len(result.shortfalls),
    }


def child(size_name: str, out: Path) -> None:
    """Build the contest at one size and measure it; writes the figures to `out`."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.bench_settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from benchmarks.national_rows import SHEETS_PER_ENTRY, SIZES, build
    from benchmarks.throughput import measure_throughput

    size = SIZES[size_name]
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    national = build(size)
    figures = {
        "size": size_name,
        "entries": size.entries,
        "judges": size.judges,
        "database": connection.vendor,
        "generation_s": time.perf_counter() - started,
    }
    print(f"{size_name}: built in {figures['generation_s']:.1f} s", file=sys.stderr)
    large = size_name == "L"
    # Other work on the machine shows in every time: the load is kept beside them.
    figures["load_before"] = os.getloadavg()[0]
    figures["pages"] = measure_pages(national, timed=large)
    figures["load_after_pages"] = os.getloadavg()[0]
    if large:
        figures["throughput"] = measure_throughput(national)
        figures["results"] = measure_results(national)
        figures["solver"] = measure_solver(size.entries, size.judges, SHEETS_PER_ENTRY)
    out.write_text(json.dumps(figures, indent=2))


# ----------------------------------------------------------------- the parent


def databases(sizes: list[str], workdir: Path) -> dict[str, str]:
    """The throw-away database URL of each size."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return {
            size: f"sqlite:///{workdir}/bench_{size.lower()}.sqlite3" for size in sizes
        }
    name = urlsplit(url).path.lstrip("/") or "inovasi"
    return {
        size: urlsplit(url)._replace(path=f"/{name}_bench_{size.lower()}").geturl()
        for size in sizes
    }


def recreate_postgres(url: str, *, drop_only: bool = False) -> None:
    from psycopg import sql

    from benchmarks.results_bench import admin_connection

    name = urlsplit(url).path.lstrip("/")
    with admin_connection(url) as connection:
        connection.autocommit = True
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        if not drop_only:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )


def run_child(size: str, url: str, workdir: Path) -> dict:
    postgres = url.startswith("postgres")
    if postgres:
        recreate_postgres(url)
    out = workdir / f"{size}.json"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_SETTINGS_MODULE": "benchmarks.bench_settings",
    }
    try:
        subprocess.run(  # noqa: S603 (this file again)
            [sys.executable, __file__, "--child", size, str(out)],
            cwd=ROOT,
            env=env,
            check=True,
        )
    finally:
        if postgres:
            recreate_postgres(url, drop_only=True)
    return json.loads(out.read_text())


def run_upload() -> dict:
    """benchmarks/upload_memory.py in its own process; its peak RSS growth."""
    done = subprocess.run(  # noqa: S603 (the project's own script)
        [sys.executable, str(ROOT / "benchmarks" / "upload_memory.py")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    found = re.search(r"peak RSS growth during the upload: ([\d.]+) MB", done.stdout)
    traced = re.search(
        r"tracemalloc peak of Python allocations: ([\d.]+) MB", done.stdout
    )
    return {
        "growth_mb": float(found.group(1)) if found else None,
        "traced_peak_mb": float(traced.group(1)) if traced else None,
        "exit": done.returncode,
    }


def _yes(met: bool) -> str:
    return "yes" if met else "NO"


def table_rows(by_size: dict, upload: dict) -> list[dict]:
    """One row per figure: what, queries at S and L, median and p95 at L, the
    figure, the target and whether it is met."""
    large = by_size.get("L", {})
    return [
        *_page_rows(by_size.get("S", {}).get("pages", []), large.get("pages", [])),
        *_throughput_rows(large.get("throughput", [])),
        *_computation_rows(large),
        _upload_row(upload),
    ]


def _page_rows(small_pages: list[dict], large_pages: list[dict]) -> list[dict]:
    small = {row["page"]: row for row in small_pages}
    rows = []
    for row in large_pages or small_pages:
        s_row = small.get(row["page"], {})
        limit = PUBLIC_MS if row["public"] else PAGE_MS
        equal = s_row.get("queries") == row["queries"]
        fast = row.get("median_ms") is not None and row["median_ms"] < limit
        rows.append(
            {
                "what": f"{row['page']} ({row['role']})",
                "queries_s": s_row.get("queries"),
                "queries_l": row["queries"] if "median_ms" in row else None,
                "median_ms": row.get("median_ms"),
                "p95_ms": row.get("p95_ms"),
                "figure": f"HTTP {row['status']}, {row['bytes'] / 1024:,.0f} KB",
                "target": f"queries S = L, median < {limit:.0f} ms",
                "met": _yes(equal and fast and row["status"] == 200)
                if "median_ms" in row
                else "",
            }
        )
    return rows


def _computation_rows(large: dict) -> list[dict]:
    rows = []
    if "results" in large:
        result = large["results"]
        rows.append(
            {
                "what": "results computation vs one SQL aggregate",
                "figure": f"{result['computation_s']:.3f} s (read kept "
                f"{result['kept_s'] * 1000:.1f} ms) vs "
                f"{result['sql_aggregate_s']:.3f} s = {result['ratio']:.1f}x",
                "target": f"<= {RESULTS_RATIO:.0f}x",
                "met": _yes(result["ratio"] <= RESULTS_RATIO),
            }
        )
    if "solver" in large:
        solver = large["solver"]
        rows.append(
            {
                "what": f"solver {solver['size']}",
                "figure": f"{solver['seconds']:.1f} s, spread {solver['spread']}, "
                f"{solver['conflicts']} conflicts, {solver['short']} short",
                "target": f"< {SOLVER_SECONDS:.0f} s, spread <= 1, no conflict",
                "met": _yes(
                    solver["seconds"] < SOLVER_SECONDS
                    and solver["spread"] <= 1
                    and solver["conflicts"] == 0
                ),
            }
        )
    return rows


def _upload_row(upload: dict) -> dict:
    growth = upload.get("growth_mb")
    return {
        "what": "100 MB upload, memory growth",
        "figure": f"{growth:.1f} MB" if growth is not None else "failed",
        "target": f"< {UPLOAD_MB:.0f} MB",
        "met": _yes(growth is not None and growth < UPLOAD_MB),
    }


def _throughput_rows(throughput: list[dict]) -> list[dict]:
    floor = next((t for t in throughput if t["page"] == "minimal view"), None)
    rows = []
    for row in throughput:
        share = row["per_second"] / floor["per_second"] if floor else 0
        target = THROUGHPUT_TARGETS.get(row["page"])
        rows.append(
            {
                "what": f"gunicorn: {row['page']}",
                "figure": f"{row['per_second']:,.1f} req/s"
                + ("" if row is floor else f" = {share:.1%} of the minimal view")
                + (f", {row['failed']} failed" if row["failed"] else ""),
                "target": f">= {target:.0%} of the minimal view" if target else "",
                "met": _yes(share >= target and not row["failed"]) if target else "",
            }
        )
    return rows


COLUMNS = [
    ("what", "what"),
    ("queries_s", "queries S"),
    ("queries_l", "queries L"),
    ("median_ms", "median ms L"),
    ("p95_ms", "p95 ms L"),
    ("figure", "figure"),
    ("target", "target"),
    ("met", "target met"),
]


def markdown(rows: list[dict]) -> str:
    def cell(value) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:,.1f}"
        return str(value)

    lines = [
        "| " + " | ".join(title for _key, title in COLUMNS) + " |",
        "|" + "|".join("---" for _ in COLUMNS) + "|",
    ]
    lines += [
        "| " + " | ".join(cell(row.get(key)) for key, _title in COLUMNS) + " |"
        for row in rows
    ]
    return "\n".join(lines)


def parent() -> int:
    sizes = [s for s in os.environ.get("BENCH_SIZES", "S,L").split(",") if s]
    workdir = Path(tempfile.mkdtemp(prefix="inovasi-bench-"))
    try:
        urls = databases(sizes, workdir)
        by_size = {size: run_child(size, urls[size], workdir) for size in sizes}
        upload = run_upload()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    rows = table_rows(by_size, upload)
    table = markdown(rows)
    print(table)
    for size, figures in by_size.items():
        print(
            f"{size}: {figures['entries']:,} entries, {figures['judges']} judges on "
            f"{figures['database']}, built in {figures['generation_s']:.0f} s; load "
            f"average {figures['load_before']:.1f} before the pages, "
            f"{figures['load_after_pages']:.1f} after"
        )
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(
        json.dumps(
            {"sizes": by_size, "upload": upload, "table": rows, "markdown": table},
            indent=2,
        )
    )
    print(f"\nwritten to {OUTPUT.relative_to(ROOT)}")
    missed = sum(row["met"] == "NO" for row in rows)
    if "L" not in by_size:
        print("L was not run: the times are judged at L")
    else:
        print(f"{missed} target(s) missed" if missed else "every target met")
    return 1 if missed and os.environ.get("BENCH_STRICT") else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        sys.exit(parent())
