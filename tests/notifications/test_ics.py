import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from notifications.ics import build_calendar, escape, fold, utc

WITA = ZoneInfo("Asia/Makassar")
DATA = {
    "uid": "slot-7@inovasi.example.go.id",
    "start": "2027-09-14T10:00:00+08:00",
    "end": "2027-09-14T10:45:00+08:00",
    "summary": "Presentasi: Saninu, E-Lapor; Kota Bima",
    "location": "Aula\nLantai 2",
    "url": "https://meet.example.go.id/x",
    "sequence": 2,
    "method": "REQUEST",
    "stamp": dt.datetime(2027, 9, 1, 8, 0, tzinfo=dt.UTC),
}


def _unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_escape_backslash_semicolon_comma_newline():
    assert escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_fold_keeps_lines_within_75_octets_without_splitting_characters():
    line = "DESCRIPTION:" + "é" * 100 + "x" * 30

    folded = fold(line)

    parts = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert folded.replace("\r\n ", "") == line


def test_fold_leaves_short_lines_alone():
    assert fold("SUMMARY:short") == "SUMMARY:short"


def test_utc_converts_from_the_contest_zone():
    assert utc(dt.datetime(2027, 9, 14, 10, 0, tzinfo=WITA)) == "20270914T020000Z"
    assert utc("2027-09-14T09:00:00+09:00") == "20270914T000000Z"


def test_utc_refuses_a_naive_time():
    with pytest.raises(ValueError, match="offset"):
        utc(dt.datetime(2027, 9, 14, 10, 0))


def test_build_calendar_has_the_event_in_utc():
    text = build_calendar(DATA)

    lines = _unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-2] == "END:VCALENDAR"
    assert text.endswith("\r\n")
    assert "METHOD:REQUEST" in lines
    assert "UID:slot-7@inovasi.example.go.id" in lines
    assert "DTSTAMP:20270901T080000Z" in lines
    assert "DTSTART:20270914T020000Z" in lines
    assert "DTEND:20270914T024500Z" in lines
    assert "SEQUENCE:2" in lines
    assert "SUMMARY:Presentasi: Saninu\\, E-Lapor\\; Kota Bima" in lines
    assert "LOCATION:Aula\\nLantai 2" in lines
    assert "URL:https://meet.example.go.id/x" in lines
    assert "STATUS:CONFIRMED" in lines


def test_build_calendar_cancel():
    lines = _unfold(build_calendar({**DATA, "method": "cancel"}))

    assert "METHOD:CANCEL" in lines
    assert "STATUS:CANCELLED" in lines


def test_build_calendar_folds_long_descriptions():
    text = build_calendar({**DATA, "description": "Kota Bima " * 40})

    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))


def test_build_calendar_refuses_unknown_method():
    with pytest.raises(ValueError, match="METHOD"):
        build_calendar({**DATA, "method": "DELETE"})
