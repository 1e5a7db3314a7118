"""The organizers' judging pages at scale: the rubric prepared once per stage, the
flagged entries paginated with the widest spreads first, and the hand assignment
picking the entry and the judge by a typed value checked on POST."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from judging import scoring
from judging.models import Assignment, StageEntry
from judging.selectors import progress
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    ScoreFactory,
    SubmittedSheetFactory,
)

pytestmark = [pytest.mark.django_db]


def stage_url(name, stage, **kwargs):
    return reverse(
        f"judging:{name}",
        kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk, **kwargs},
    )


def _sheets(stage, criteria, entry, values):
    for first, second in values:
        sheet = SubmittedSheetFactory(
            assignment=AssignmentFactory(stage=stage, submission=entry)
        )
        ScoreFactory(sheet=sheet, criterion=criteria[0], value=Decimal(first))
        ScoreFactory(sheet=sheet, criterion=criteria[1], value=Decimal(second))


# ---------------------------------------------------------------- progress


def test_progress_prepares_the_rubric_once_for_all_sheets(
    client, organizer, contest, stage, criteria, monkeypatch
):
    for title in ("A", "B", "C"):
        entry = EligibleSubmissionFactory(contest=contest, title=title)
        _sheets(stage, criteria, entry, [("9", "9"), ("2", "3")])
    prepared = []
    real = scoring.prepare_rubric
    monkeypatch.setattr(
        scoring, "prepare_rubric", lambda c: prepared.append(c) or real(c)
    )
    client.force_login(organizer)

    response = client.get(stage_url("progress", stage))

    assert len(response.context["flagged"]) == 3
    assert len(prepared) == 1


def test_progress_pages_the_flagged_entries_widest_spread_first(
    client, organizer, contest, stage, criteria, monkeypatch
):
    monkeypatch.setattr(progress, "FLAGGED_PER_PAGE", 2)
    spreads = {"Narrow": ("5", "6"), "Widest": ("0", "0"), "Middle": ("2", "3")}
    for title, low in spreads.items():
        entry = EligibleSubmissionFactory(contest=contest, title=title)
        _sheets(stage, criteria, entry, [("10", "10"), low])
    client.force_login(organizer)

    first = client.get(stage_url("progress", stage))
    second = client.get(stage_url("progress", stage) + "?page=2")

    assert [row.submission.title for row in first.context["flagged"]] == [
        "Widest",
        "Middle",
    ]
    assert [row.submission.title for row in second.context["flagged"]] == ["Narrow"]
    assert first.context["flagged_page"].paginator.count == 3
    assert second.context["flagged"][0].judges == 2


def test_progress_flagged_rows_share_one_form_and_one_csrf_token(
    client, organizer, contest, stage, criteria
):
    for title in ("A", "B", "C"):
        entry = EligibleSubmissionFactory(contest=contest, title=title)
        _sheets(stage, criteria, entry, [("9", "9"), ("2", "3")])
    client.force_login(organizer)

    html = client.get(stage_url("progress", stage)).content.decode()
    flagged = html[html.index('id="flagged-heading"') : html.index("short-heading")]

    assert flagged.count("csrfmiddlewaretoken") == 1
    assert flagged.count("formaction=") == 3


# ---------------------------------------------------------------- hand assignment


def _add(client, stage, entry, judge):
    response = client.post(
        stage_url("assignment-add", stage), {"submission": entry, "judge": judge}
    )
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_assignment_form_has_no_select_of_every_entry(
    client, organizer, contest, stage, entry, judge
):
    client.force_login(organizer)

    html = client.get(stage_url("assignments", stage)).content.decode()

    assert "<select" not in html[html.index('id="add-heading"') :]
    assert f'<option value="{judge.user.email}">' in html


def test_assignment_by_title_and_email(client, organizer, stage, entry, judge):
    client.force_login(organizer)

    notes = _add(client, stage, entry.title.upper(), judge.user.email.upper())

    assert Assignment.objects.filter(stage=stage, submission=entry, judge=judge)
    assert notes == [f"{judge} now scores “{entry.title}”."]


def test_assignment_by_number(client, organizer, stage, entry, judge):
    client.force_login(organizer)

    _add(client, stage, f"#{entry.pk}", judge.user.email)

    assert Assignment.objects.filter(stage=stage, submission=entry, judge=judge)


def test_assignment_refuses_an_ambiguous_title_naming_the_entry(
    client, organizer, contest, stage, judge
):
    EligibleSubmissionFactory.create_batch(2, contest=contest, title="Lapor")
    client.force_login(organizer)

    notes = _add(client, stage, "Lapor", judge.user.email)

    assert not Assignment.objects.exists()
    assert notes == [
        "Entry: More than one entry of this stage is called “Lapor”: type its number."
    ]


def test_assignment_refuses_an_unknown_judge_naming_the_judge(
    client, organizer, stage, entry
):
    client.force_login(organizer)

    notes = _add(client, stage, entry.title, "nobody@example.org")

    assert not Assignment.objects.exists()
    assert notes == [
        "Judge: No judge of this contest has the e-mail address “nobody@example.org”."
    ]


def test_assignment_refuses_an_entry_of_another_stage(
    client, organizer, contest, stage, entry, judge
):
    later = OpenStageFactory(contest=contest, order=stage.order + 1)
    advanced = EligibleSubmissionFactory(contest=contest, title="Maju")
    StageEntry.objects.create(stage=later, submission=advanced)
    client.force_login(organizer)

    notes = _add(client, later, str(entry.pk), judge.user.email)

    assert not Assignment.objects.exists()
    assert notes == [
        f"Entry: No entry of this stage has the number or title “{entry.pk}”."
    ]


def test_assignment_refuses_a_judge_of_another_contest(client, organizer, stage, entry):
    stranger = JudgeFactory()
    client.force_login(organizer)

    notes = _add(client, stage, entry.title, stranger.user.email)

    assert not Assignment.objects.exists()
    assert notes[0].startswith("Judge: ")


@pytest.mark.django_db(transaction=True)
def test_progress_keeps_the_flagged_entries_until_the_ledger_moves(
    client, organizer, contest, stage, criteria
):
    """Outside a transaction (as the pages run) the flagged entries are kept under
    the ledger's head: a second request reads no score, and reopening a sheet
    (audited) shows at once."""
    from contest import ledger
    from judging import services

    entry = EligibleSubmissionFactory(contest=contest, title="Lebar")
    _sheets(stage, criteria, entry, [("10", "10"), ("0", "0")])
    ledger.record(action="stage.checked", obj=stage, by=organizer, contest=contest)
    client.force_login(organizer)
    first = client.get(stage_url("progress", stage))
    scores_read = []

    def count_score_reads(execute, sql, params, many, context):
        if '"judging_score"' in sql:
            scores_read.append(sql)
        return execute(sql, params, many, context)

    from django.db import connection

    with connection.execute_wrapper(count_score_reads):
        again = client.get(stage_url("progress", stage))
    sheet = Assignment.objects.filter(submission=entry).first().sheet
    services.reopen_sheet(sheet=sheet, by=organizer)
    after = client.get(stage_url("progress", stage))

    assert [row.submission.title for row in first.context["flagged"]] == ["Lebar"]
    assert [row.submission.title for row in again.context["flagged"]] == ["Lebar"]
    assert scores_read == []
    assert list(after.context["flagged"]) == []
