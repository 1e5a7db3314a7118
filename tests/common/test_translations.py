"""Every message of the interface has its Indonesian translation: the catalog is
extracted again from the sources (`makemessages`, in a copy of the project, so
the tracked catalog is not touched) and no message of it may be untranslated or
fuzzy (a fuzzy translation is not used: the English would show)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from tests.processes import ROOT

LEFT_OUT = (".venv", ".git", "media", "staticfiles", "bench", "docs", "__pycache__")
ENTRY = re.compile(r"\n\n(?=#|msgid)")


def _untranslated(catalog: str) -> list[str]:
    """The msgids of `catalog` (a .po file's text) whose translation is missing
    or fuzzy; the header is not a message."""
    missing = []
    for entry in ENTRY.split(catalog):
        msgid = re.search(r'^msgid "(.*)"$', entry, flags=re.MULTILINE)
        if msgid is None or entry.lstrip().startswith("#~"):
            continue
        text = msgid.group(1)
        if (
            not text
            and "msgid_plural" not in entry
            and 'msgid ""\nmsgstr ""\n"' in entry
        ):
            continue  # the header
        strings = re.findall(r'^msgstr(?:\[\d\])? "(.*)"$', entry, flags=re.MULTILINE)
        continued = re.findall(r'^msgstr(?:\[\d\])? ""\n"', entry, flags=re.MULTILINE)
        empty = any(s == "" for s in strings) and not continued
        if empty or "#, fuzzy" in entry or ", fuzzy" in entry:
            missing.append(text or entry.splitlines()[0])
    return missing


def test_every_message_of_the_sources_has_an_indonesian_translation(tmp_path):
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*LEFT_OUT, "*.sqlite3*"))

    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "id",
            "--no-wrap",
            "--ignore=staticfiles",
            "--ignore=bench",
            "--ignore=tests",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
        timeout=300,
    )

    catalog = (copy / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text()
    assert _untranslated(catalog) == []


def test_the_check_finds_a_missing_and_a_fuzzy_translation():
    catalog = (
        'msgid ""\nmsgstr ""\n"Language: id\\n"\n\n'
        '#: a.py:1\nmsgid "Saved"\nmsgstr "Disimpan"\n\n'
        '#: a.py:2\nmsgid "Deleted"\nmsgstr ""\n\n'
        '#: a.py:3\n#, fuzzy\nmsgid "Failed"\nmsgstr "diajukan"\n\n'
        '#: a.py:4\nmsgid "%(n)s entry"\nmsgid_plural "%(n)s entries"\n'
        'msgstr[0] "%(n)s entri"\n\n'
        '#: a.py:5\nmsgid "Long"\nmsgstr ""\n"Panjang"\n'
    )

    assert _untranslated(catalog) == ["Deleted", "Failed"]


def test_the_tracked_catalog_is_whole_too():
    catalog = Path(ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po").read_text()

    assert _untranslated(catalog) == []


def test_the_tracked_catalog_compiles_without_a_warning():
    """msgfmt's checks: the plural forms the header declares (one in
    Indonesian), placeholders kept in each translation."""
    catalog = ROOT / "locale" / "id" / "LC_MESSAGES" / "django.po"

    done = subprocess.run(  # noqa: S603 (gettext's own checker on our catalog)
        ["msgfmt", "--check", "-o", "/dev/null", str(catalog)],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
