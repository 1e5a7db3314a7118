"""A database made before the results had their own app (HEAD 25114e1: the regions
and the published demo contest loaded, the results' rows in judging's tables)
migrates to the new layout with nothing lost: the rows are all there, the
publication's digest is unchanged, and the ledger (whose older entries still name
the models "judging.publication" and so on) verifies clean."""

import gzip
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]
FIXTURE = PROJECT / "tests" / "fixtures" / "before_results_app.sqlite3.gz"
MOVED = {
    "publications": "publication",
    "awards": "award",
    "advancement_decisions": "advancementdecision",
    "objections": "objection",
    "stage_minutes": "stageminutes",
    "stage_weights": "stageweight",
    "score_bands": "scoreband",
}
AFTER = """
import json
from contest import ledger
from results.models import (
    AdvancementDecision, Award, Objection, Publication, ScoreBand, StageMinutes,
    StageWeight,
)
print(json.dumps({
    "counts": {
        "publications": Publication.objects.count(),
        "awards": Award.objects.count(),
        "advancement_decisions": AdvancementDecision.objects.count(),
        "objections": Objection.objects.count(),
        "stage_minutes": StageMinutes.objects.count(),
        "stage_weights": StageWeight.objects.count(),
        "score_bands": ScoreBand.objects.count(),
    },
    "digests": sorted(Publication.objects.values_list("digest", flat=True)),
    "tables": sorted(model._meta.db_table for model in (Publication, Award)),
    "checked": sorted(ledger._last_row_hashes()),
}))
"""


@pytest.fixture
def old_database(tmp_path):
    path = tmp_path / "before.sqlite3"
    with gzip.open(FIXTURE, "rb") as packed, path.open("wb") as plain:
        shutil.copyfileobj(packed, plain)
    return path


def read_before(path):
    with sqlite3.connect(path) as connection:
        counts = {}
        for name, table in MOVED.items():
            query = f"SELECT count(*) FROM judging_{table}"  # noqa: S608 (fixed names)
            counts[name] = connection.execute(query).fetchone()[0]
        digests = sorted(
            row[0]
            for row in connection.execute("SELECT digest FROM judging_publication")
        )
    connection.close()
    return counts, digests


def manage(path, tmp_path, *args):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": f"sqlite:///{path}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    return subprocess.run(  # noqa: S603 (our own interpreter and manage.py)
        [sys.executable, str(PROJECT / "manage.py"), *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_published_contest_migrates_across_the_move(old_database, tmp_path):
    counts, digests = read_before(old_database)

    migrated = manage(old_database, tmp_path, "migrate", "--no-input")
    verified = manage(old_database, tmp_path, "verify_ledger")
    after = manage(old_database, tmp_path, "shell", "-c", AFTER)

    assert migrated.returncode == 0, migrated.stderr
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "The ledger is intact" in verified.stdout
    assert "Every publication checks out: 1 digest(s)" in verified.stdout
    assert after.returncode == 0, after.stderr
    state = json.loads(after.stdout.strip().splitlines()[-1])
    assert counts["publications"] == 1
    assert counts["awards"] > 0
    assert counts["advancement_decisions"] > 0
    assert state["counts"] == counts
    assert state["digests"] == digests
    assert state["tables"] == ["results_award", "results_publication"]
    assert {
        "results.advancementdecision",
        "results.award",
        "results.publication",
    } <= set(state["checked"])
