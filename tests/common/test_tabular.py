"""The table reader: CSV and XLSX into rows, and hostile files refused in words."""

import io
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from common.tabular import (
    MAX_CELL,
    MAX_CHARS,
    TableError,
    normalize_header,
    read_table,
    sniff_delimiter,
)


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, their source text (the UI default: id)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def far_row_xlsx(number: int = 1_000_000_000) -> bytes:
    """A tiny workbook, written by hand, whose second row is numbered `number`."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>email</t></is></c></row>'
        f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>a@b.id</t></is></c>'
        "</row></sheetData></worksheet>"
    )
    spreadsheet = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    main = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            f'ContentType="{ct}.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{main}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<workbook xmlns="{spreadsheet}" xmlns:r="{main}">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Type="{main}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_read_table_csv_with_bom_and_commas():
    data = "\ufeffE-mail, Region Code\nsatu@example.id,52.72\n".encode()

    table = read_table(data, filename="a.csv")

    assert table.columns == ["e_mail", "region_code"]
    assert table.rows[0].line == 2
    assert table.rows[0].values == {"e_mail": "satu@example.id", "region_code": "52.72"}


def test_read_table_csv_with_semicolons_and_quotes():
    data = b'email;region\n"dua@example.id";"Kota Bima; NTB"\n'

    table = read_table(data)

    assert table.rows[0].values["region"] == "Kota Bima; NTB"


def test_read_table_skips_blank_lines_and_keeps_line_numbers():
    data = b"email,region\n\n,\na@example.id,52.72\n"

    table = read_table(data)

    assert [row.line for row in table.rows] == [4]


def test_read_table_short_row_gets_empty_cells():
    table = read_table(b"email,region,name\na@example.id\n")

    assert table.rows[0].values == {"email": "a@example.id", "region": "", "name": ""}


def test_read_table_xlsx_numbers_and_dates_become_text():
    import datetime as dt

    data = xlsx(
        [["Email", "Code", "Started"], ["a@example.id", 7, dt.date(2023, 5, 1)]]
    )

    table = read_table(data, filename="t.xlsx")

    assert table.rows[0].values == {
        "email": "a@example.id",
        "code": "7",
        "started": "2023-05-01T00:00:00",
    }


def test_read_table_formula_cell_is_a_row_error():
    data = xlsx([["email", "region"], ["a@example.id", "=HYPERLINK(1)"]])

    table = read_table(data, filename="t.xlsx")

    assert table.rows[0].column == "region"
    assert "formula" in table.rows[0].error


def test_read_table_csv_formula_and_nul_are_row_errors():
    table = read_table(b"email,region\n@SUM(A1),52.72\nb@x.id,52\x0072\n")

    assert [(r.column, bool(r.error)) for r in table.rows] == [
        ("email", True),
        ("region", True),
    ]


def test_read_table_long_cell_is_a_row_error():
    data = ("email,region\na@x.id," + "x" * (MAX_CELL + 1) + "\n").encode()

    table = read_table(data)

    assert table.rows[0].column == "region"


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n ", "empty"),
        (b"\xff\xfe\x00bad", "UTF-8"),
        (b",,\n1,2\n", "name the columns"),
        (b"a,A\n1,2\n", "same name"),
        (b"PK\x03\x04broken zip", "XLSX"),
    ],
)
def test_read_table_unreadable_file_is_a_file_error(data, words):
    with pytest.raises(TableError) as caught:
        read_table(data)

    assert words in str(caught.value)


def test_read_table_too_big_is_a_file_error():
    with pytest.raises(TableError, match="larger"):
        read_table(io.BytesIO(b"a\n" + b"x\n" * 100), max_bytes=50)


def test_read_table_too_many_rows_is_a_file_error():
    with pytest.raises(TableError, match="more than 3 rows"):
        read_table(b"a\n1\n2\n3\n4\n", max_rows=3)


def test_read_table_xlsx_too_many_rows_is_a_file_error():
    data = xlsx([["a"], *[[n] for n in range(5)]])

    with pytest.raises(TableError, match="more than 3 rows"):
        read_table(data, filename="t.xlsx", max_rows=3)


def test_read_table_zip_that_is_not_a_workbook_is_a_file_error():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")

    with pytest.raises(TableError, match="XLSX"):
        read_table(buffer.getvalue(), filename="t.xlsx")


def test_read_table_wrongly_named_csv_is_a_file_error():
    with pytest.raises(TableError, match="XLSX"):
        read_table(b"email\na@x.id\n", filename="t.xlsx")


@pytest.mark.parametrize(
    ("name", "normal"),
    [
        ("E-mail address ", "e_mail_address"),
        ("Kode Daerah", "kode_daerah"),
        ("Région", "region"),
        ("  ", ""),
        (None, ""),
    ],
)
def test_normalize_header(name, normal):
    assert normalize_header(name) == normal


@pytest.mark.parametrize(
    ("line", "delimiter"),
    [("a,b,c", ","), ("a;b;c", ";"), ("a;b,c;d", ";"), ("a", ",")],
)
def test_sniff_delimiter(line, delimiter):
    assert sniff_delimiter(line) == delimiter


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_read_table_any_bytes_give_a_table_or_a_file_error(data):
    try:
        table = read_table(data)
    except TableError as exc:
        message = str(exc.message)
        table = None

    if table is None:
        assert message
        return
    for row in table.rows:
        assert set(row.values) == set(table.columns)
        assert all(isinstance(v, str) for v in row.values.values())


cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30
).map(str.strip)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(cells, min_size=2, max_size=2), min_size=1, max_size=8),
    st.sampled_from([",", ";"]),
)
def test_read_table_csv_round_trip(rows, delimiter):
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["alpha", "beta"])
    writer.writerows(rows)

    table = read_table(buffer.getvalue().encode("utf-8"))

    kept = [r for r in rows if any(r)]
    assert len(table.rows) == len(kept)
    for row, cells_in in zip(table.rows, kept, strict=True):
        if row.error:
            assert row.error
            continue
        assert [row.values["alpha"], row.values["beta"]] == cells_in


def test_read_table_xlsx_blank_rows_do_not_hide_later_rows():
    data = xlsx([["a"], [1], *[[None]] * 10, [2]])

    table = read_table(data, filename="t.xlsx", max_rows=3)

    assert [row.values["a"] for row in table.rows] == ["1", "2"]


def test_read_table_xlsx_far_row_number_is_a_file_error_at_once():
    started = time.monotonic()

    with pytest.raises(TableError, match="past line 10000"):
        read_table(far_row_xlsx(), filename="t.xlsx")

    assert time.monotonic() - started < 5


def test_read_table_xlsx_row_number_within_the_limit_is_read():
    table = read_table(far_row_xlsx(500), filename="t.xlsx")

    assert [(row.line, row.values) for row in table.rows] == [
        (500, {"email": "a@b.id"})
    ]


def test_read_table_too_much_text_is_a_file_error():
    long = "x" * (MAX_CELL - 1)
    rows = [[f"c{i}" for i in range(50)]] + [[long] * 50] * 45

    with pytest.raises(TableError, match="characters of text") as caught:
        read_table(xlsx(rows), filename="t.xlsx")

    assert str(MAX_CHARS) in caught.value.message


def test_read_table_text_limit_counts_every_cell():
    data = b"a,b\n" + b"xxxx,yyyy\n" * 3

    assert len(read_table(data, max_chars=24).rows) == 3
    with pytest.raises(TableError):
        read_table(data, max_chars=23)
