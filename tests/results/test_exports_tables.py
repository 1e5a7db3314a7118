"""The organizers' working exports: entries, sheets, assignment, progress."""

import csv
import io
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from results.exports_tables import (
    assignment_table,
    csv_text,
    entries_table,
    progress_table,
    sheets_table,
    to_csv,
    to_xlsx,
)
from submissions.enums import SubmissionState
from tests.factories.contest import CriterionFactory
from tests.factories.judging import (
    AssignmentFactory,
    JudgeFactory,
    OpenStageFactory,
    ScoreFactory,
    SubmittedSheetFactory,
)
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def stage(contest):
    return OpenStageFactory(contest=contest)


@pytest.fixture
def criteria(stage):
    return [
        CriterionFactory(stage=stage, name="Kebaruan", weight=Decimal("60")),
        CriterionFactory(stage=stage, name="Kemanfaatan", weight=Decimal("40")),
    ]


def scored(stage, criteria, values):
    assignment = AssignmentFactory(stage=stage)
    sheet = SubmittedSheetFactory(assignment=assignment)
    for criterion, value in zip(criteria, values, strict=True):
        ScoreFactory(sheet=sheet, criterion=criterion, value=value)
    return assignment


def parse_csv(data: bytes, delimiter: str) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=delimiter))


def test_entries_table_lists_state_and_reason(contest):
    SubmissionFactory(
        contest=contest,
        state=SubmissionState.INELIGIBLE,
        screening_reason="Data dukung tidak lengkap.",
    )
    SubmissionFactory(contest=contest, state=SubmissionState.ELIGIBLE)

    with translation.override("en"):
        table = entries_table(contest)

    states = sorted(row[6] for row in table.rows)
    assert states == ["Eligible", "Ineligible"]
    assert "Data dukung tidak lengkap." in [row[11] for row in table.rows]


def test_sheets_table_one_column_per_criterion_and_score(stage, criteria):
    scored(stage, criteria, [Decimal("8"), Decimal("0")])
    AssignmentFactory(stage=stage)  # not started: not a sheet

    table = sheets_table(stage)

    assert table.header[-3:] == ["Kebaruan", "Kemanfaatan", table.header[-1]]
    assert len(table.rows) == 1
    assert table.rows[0][-3:-1] == [Decimal("8"), Decimal("0")]
    assert table.rows[0][-1] is not None


def test_assignment_table_includes_unstarted(stage, criteria):
    scored(stage, criteria, [Decimal("5"), Decimal("5")])
    AssignmentFactory(stage=stage)

    with translation.override("en"):
        table = assignment_table(stage)

    assert sorted(row[9] for row in table.rows) == ["Not started", "Submitted"]


def test_progress_table_counts_per_judge(stage, criteria):
    judge = JudgeFactory(contest=stage.contest, name="Ani")
    AssignmentFactory(stage=stage, judge=judge)
    scored_assignment = scored(stage, criteria, [Decimal("5"), Decimal("5")])
    JudgeFactory(contest=stage.contest, name="Zaki")

    table = progress_table(stage)

    by_name = {row[0]: row[2:] for row in table.rows}
    assert by_name["Ani"] == [1, 1, 0, 0, 1]
    assert by_name[str(scored_assignment.judge)] == [1, 0, 0, 1, 0]
    assert by_name["Zaki"] == [0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("language", "value", "text"),
    [
        ("id", Decimal("12.5"), "12,50"),
        ("en", Decimal("12.5"), "12.50"),
        ("id", Decimal("0"), "0,00"),
        ("en", 0, "0"),
        ("id", None, ""),
    ],
)
def test_csv_text_per_language(language, value, text):
    with translation.override(language):
        assert csv_text(value) == text


def test_csv_indonesian_semicolons_and_decimal_comma(stage, criteria):
    scored(stage, criteria, [Decimal("7.5"), Decimal("0")])

    with translation.override("id"):
        rows = parse_csv(to_csv(sheets_table(stage)), ";")

    assert rows[1][-3:-1] == ["7,50", "0,00"]


def test_csv_english_commas_and_decimal_point(stage, criteria):
    scored(stage, criteria, [Decimal("7.5"), Decimal("0")])

    with translation.override("en"):
        rows = parse_csv(to_csv(sheets_table(stage)), ",")

    assert rows[1][-3:-1] == ["7.50", "0.00"]


def test_csv_defuses_formulas(contest):
    SubmissionFactory(contest=contest, title="=HYPERLINK(1)")

    with translation.override("id"):
        rows = parse_csv(to_csv(entries_table(contest)), ";")

    assert rows[1][4] == "'=HYPERLINK(1)"


def test_xlsx_numbers_are_numeric_cells(stage, criteria):
    scored(stage, criteria, [Decimal("7.5"), Decimal("0")])

    workbook = load_workbook(io.BytesIO(to_xlsx(sheets_table(stage))))

    row = list(workbook.active[2])
    assert [c.value for c in row[-3:-1]] == [7.5, 0]
    assert row[-3].number_format == "0.00"
    assert isinstance(row[0].value, int)


# ---------- pages and API ----------


def stage_url(stage, kind, fmt):
    return reverse(
        "results:stage-export-table",
        kwargs={
            "slug": stage.contest.slug,
            "stage_pk": stage.pk,
            "kind": kind,
            "fmt": fmt,
        },
    )


def test_exports_page_lists_every_download(client, organizer, stage):
    client.force_login(organizer)

    response = client.get(
        reverse("results:exports", kwargs={"slug": stage.contest.slug})
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert stage_url(stage, "sheets", "xlsx") in body
    assert stage_url(stage, "progress", "csv") in body


def test_download_in_english_by_cookie(client, organizer, stage, criteria):
    scored(stage, criteria, [Decimal("7.5"), Decimal("1")])
    client.force_login(organizer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(stage_url(stage, "sheets", "csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert parse_csv(response.content, ",")[1][-3:-1] == ["7.50", "1.00"]


def test_download_unknown_kind_or_format_is_404(client, organizer, stage):
    client.force_login(organizer)

    assert client.get(stage_url(stage, "entries", "csv")).status_code == 404
    assert client.get(stage_url(stage, "sheets", "pdf")).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"),
    [("organizer", 200), ("superuser", 200), ("other_organizer", 403)],
)
def test_download_permission(client, request, stage, role, status):
    client.force_login(request.getfixturevalue(role))
    url = reverse(
        "results:export-table",
        kwargs={"slug": stage.contest.slug, "kind": "entries", "fmt": "xlsx"},
    )

    assert client.get(url).status_code == status


def test_download_judge_refused(client, stage):
    client.force_login(JudgeFactory(contest=stage.contest).user)

    assert client.get(stage_url(stage, "progress", "csv")).status_code == 403


@pytest.mark.parametrize("size", [1, 3])
def test_sheets_download_query_count_constant(
    client, organizer, stage, criteria, size, django_assert_num_queries
):
    for _ in range(size):
        scored(stage, criteria, [Decimal("5"), Decimal("6")])
    client.force_login(organizer)
    url = stage_url(stage, "sheets", "xlsx")
    client.get(url)

    with django_assert_num_queries(8):
        client.get(url)


@pytest.mark.parametrize("size", [1, 3])
def test_entries_download_query_count_constant(
    client, organizer, contest, size, django_assert_num_queries
):
    for _ in range(size):
        SubmissionFactory(contest=contest, state=SubmissionState.SUBMITTED)
    client.force_login(organizer)
    url = reverse(
        "results:export-table",
        kwargs={"slug": contest.slug, "kind": "entries", "fmt": "csv"},
    )
    client.get(url)

    # One reads the contest's entry form (its questions).
    with django_assert_num_queries(6):
        client.get(url)


def api_url(contest, kind):
    return reverse(
        "contest-export", kwargs={"contest_slug": contest.slug, "kind": kind}
    )


def test_api_export_csv_and_xlsx(api, organizer, stage, criteria):
    scored(stage, criteria, [Decimal("7.5"), Decimal("0")])
    api.force_authenticate(organizer)

    as_csv = api.get(
        api_url(stage.contest, "sheets"), {"stage": stage.pk}, HTTP_ACCEPT_LANGUAGE="id"
    )
    as_xlsx = api.get(
        api_url(stage.contest, "assignment"), {"stage": stage.pk, "format": "xlsx"}
    )

    assert as_csv.status_code == 200
    assert parse_csv(as_csv.content, ";")[1][-3:-1] == ["7,50", "0,00"]
    assert as_xlsx.status_code == 200
    assert load_workbook(io.BytesIO(as_xlsx.content)).active.max_row == 2


def test_api_export_errors(api, organizer, stage):
    api.force_authenticate(organizer)
    contest = stage.contest

    no_stage = api.get(api_url(contest, "sheets"))
    bad_format = api.get(api_url(contest, "entries"), {"format": "pdf"})
    other_stage = api.get(api_url(contest, "sheets"), {"stage": 999999})
    unknown = api.get(api_url(contest, "nothing"))

    assert no_stage.status_code == 400
    assert "stage" in no_stage.json()
    assert bad_format.status_code == 400
    assert "format" in bad_format.json()
    assert other_stage.status_code == 404
    assert unknown.status_code == 404


def test_api_export_permission(api, stage, other_organizer):
    url = api_url(stage.contest, "entries")
    assert api.get(url).status_code == 401
    api.force_authenticate(other_organizer)

    assert api.get(url).status_code == 403


@pytest.mark.parametrize("stages", [1, 3])
def test_exports_page_query_count_constant(
    client, organizer, contest, stages, django_assert_num_queries
):
    for _ in range(stages):
        OpenStageFactory(contest=contest)
    client.force_login(organizer)
    url = reverse("results:exports", kwargs={"slug": contest.slug})
    client.get(url)

    with django_assert_num_queries(6):
        client.get(url)


def test_xlsx_times_are_date_cells_in_the_contests_zone(contest):
    import datetime as dt

    from django.utils import timezone

    submitted = timezone.now().replace(microsecond=0)
    SubmissionFactory(
        contest=contest, state=SubmissionState.SUBMITTED, submitted_at=submitted
    )

    workbook = load_workbook(io.BytesIO(to_xlsx(entries_table(contest))))

    cell = workbook.active.cell(row=2, column=8)
    assert isinstance(cell.value, dt.datetime)
    local = timezone.localtime(submitted, contest.tzinfo).replace(tzinfo=None)
    assert cell.value == local


# ---------- control characters, and the API's errors always JSON ----------


def test_xlsx_export_of_a_title_with_a_control_character(
    api, client, organizer, contest
):
    SubmissionFactory(contest=contest, title="Judul\x1bX", agency="=\x07cmd")
    api.force_authenticate(organizer)
    client.force_login(organizer)
    page_url = reverse(
        "results:export-table",
        kwargs={"slug": contest.slug, "kind": "entries", "fmt": "xlsx"},
    )

    for response in (
        api.get(api_url(contest, "entries"), {"format": "xlsx"}),
        client.get(page_url),
    ):
        assert response.status_code == 200
        values = [
            c.value for c in load_workbook(io.BytesIO(response.content)).active[2]
        ]
        assert "JudulX" in values
        assert "'=cmd" in values


def test_publication_xlsx_strips_control_characters():
    from results.exports import xlsx_bytes

    snapshot = {
        "contest": {"name": "Kontes\x1b 2027"},
        "kind": "final",
        "stages": [],
        "categories": [{"slug": "k", "name": "Kesehatan"}],
        "entries": [
            {
                "id": 1,
                "category": "k",
                "region": {"code": "52.72", "name": "Kota Bima", "type": "kota"},
                "title": "Judul\x1bX",
                "stages": [],
                "final_score": "7.50",
                "final_rank": 1,
                "tie_unresolved": False,
                "band": "",
            }
        ],
    }

    workbook = load_workbook(io.BytesIO(xlsx_bytes(snapshot, "abc")))

    assert "JudulX" in [c.value for c in workbook.worksheets[0][2]]
    assert workbook.worksheets[1]["B1"].value == "Kontes 2027"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_api_export_errors_are_json_whatever_the_format(api, organizer, stage, fmt):
    api.force_authenticate(organizer)

    response = api.get(api_url(stage.contest, "sheets"), {"format": fmt})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert ("format" if fmt == "pdf" else "stage") in response.json()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_api_export_refusal_is_json(api, stage, other_organizer, fmt):
    api.force_authenticate(other_organizer)

    response = api.get(api_url(stage.contest, "entries"), {"format": fmt})

    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
