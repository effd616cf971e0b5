"""Reading an XLSX returns workbook: as the person sees it in Excel, and refusing zip bombs unread."""

import datetime

import pytest

from bcf_dashboard.returns.parsing import (
    UnreadableFile,
    read_table,
)
from tests.returns.test_parsing import ROW
from tests.support.world import HEADER, xlsx_bytes


def test_xlsx_first_sheet_is_read_and_other_sheets_warned_about():
    content = xlsx_bytes([["E09000006", "2017-04", "NEA", "plan", 1260, None]], extra_sheets=["Notes", "Old"])
    table = read_table(content, "returns.xlsx")
    assert table.errors == []
    assert table.rows == [(2, ["E09000006", "2017-04", "NEA", "plan", "1260", ""])]
    assert table.warnings == ["only the first sheet, 'Returns', was read; 'Notes', 'Old' ignored"]


def test_xlsx_numbers_stay_exact_and_dates_read_as_months():
    rows = [
        ["E09000006", datetime.datetime(2017, 4, 1), "NEA", "plan", 0.1, None],
        ["E09000006", "2017-05", "NEA", "plan", 1e-05, None],
        ["E09000006", "2017-06", "spend:A1", "plan", 12345678.91, None],
        ["E09000006", "2017-07", "NEA", "plan", 1e16, None],
    ]
    table = read_table(xlsx_bytes(rows))
    assert [cells[1] for _, cells in table.rows] == ["2017-04", "2017-05", "2017-06", "2017-07"]
    assert [cells[4] for _, cells in table.rows] == ["0.1", "0.00001", "12345678.91", "10000000000000000"]


def test_xlsx_empty_rows_keep_numbering():
    rows = [["E09000006", "2017-04", "NEA", "plan", 1, None], [], [], ["E09000006", "2017-05", "NEA", "plan", 2, None]]
    assert [number for number, _ in read_table(xlsx_bytes(rows)).rows] == [2, 5]


def _zip(members, compression):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def openpyxl_must_not_run(monkeypatch):
    import openpyxl

    def refuse(*args, **kwargs):
        raise AssertionError("openpyxl opened a workbook that should have been refused")

    monkeypatch.setattr(openpyxl, "load_workbook", refuse)


def test_a_zip_bomb_workbook_is_refused_before_it_is_inflated(openpyxl_must_not_run):
    import zipfile

    bomb = _zip(
        [("[Content_Types].xml", b"<Types/>"), ("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))],
        zipfile.ZIP_DEFLATED,
    )
    assert len(bomb) < 100_000
    with pytest.raises(UnreadableFile, match="zip bomb"):
        read_table(bomb, "bomb.xlsx")


def test_a_workbook_declaring_more_than_the_limit_is_refused(openpyxl_must_not_run):
    import struct
    import zipfile

    from bcf_dashboard.returns.xlsx import XLSX_MAX_UNCOMPRESSED

    content = bytearray(_zip([("xl/worksheets/sheet1.xml", b"<x/>" * 10)], zipfile.ZIP_STORED))
    at = content.index(b"PK\x01\x02")  # the central directory entry: its sizes are what zipfile trusts
    huge = XLSX_MAX_UNCOMPRESSED + 1
    content[at + 20 : at + 28] = struct.pack("<II", huge, huge)
    with pytest.raises(UnreadableFile, match="would expand to 200 MB"):
        read_table(bytes(content), "big.xlsx")


def test_a_workbook_of_thousands_of_parts_is_refused(openpyxl_must_not_run):
    import zipfile

    many = _zip([(f"xl/part{n}.xml", b"<x/>") for n in range(1001)], zipfile.ZIP_DEFLATED)
    with pytest.raises(UnreadableFile, match="1,001 parts"):
        read_table(many, "many.xlsx")


def test_an_honest_workbook_passes_the_archive_checks():
    from bcf_dashboard.returns.xlsx import check_xlsx_archive

    check_xlsx_archive(xlsx_bytes([ROW] * 2000))


def _workbook_bytes(workbook):
    import io

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _returns_workbook(rows, formats=None):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=2):
        sheet.append(row)
        if formats and formats.get(number):
            sheet.cell(number, 5).number_format = formats[number]
    return workbook


def test_xlsx_first_visible_sheet_is_read_and_hidden_ones_skipped():
    workbook = _returns_workbook([["E09000006", "2017-04", "NEA", "plan", 1260, None]])
    old = workbook.create_sheet("Old returns", 0)
    old.append(HEADER)
    old.append(["E09000006", "2017-04", "NEA", "plan", 999, None])
    old.sheet_state = "hidden"
    secret = workbook.create_sheet("Lookups", 1)
    secret.sheet_state = "veryHidden"
    workbook.active = 2
    table = read_table(_workbook_bytes(workbook), "returns.xlsx")
    assert table.rows == [(2, ["E09000006", "2017-04", "NEA", "plan", "1260", ""])]
    assert table.warnings == [
        "only the first visible sheet, 'Returns', was read; 'Old returns' (hidden), 'Lookups' (hidden) ignored"
    ]


def test_xlsx_percent_cells_are_the_percent_shown():
    rows = [
        ["E09000006", "2017-04", "REA", "plan", 0.936, None],
        ["E09000006", "2017-05", "REA", "plan", 0.5, None],
        ["E09000006", "2017-06", "REA", "plan", 1, None],
        ["E09000006", "2017-07", "REA", "plan", 0.875, None],
    ]
    content = _workbook_bytes(_returns_workbook(rows, formats={2: "0.0%", 3: "0%", 4: "0.00%", 5: '0.000" units"'}))
    assert [cells[4] for _, cells in read_table(content).rows] == ["93.6", "50", "100", "0.875"]


def test_xlsx_numbers_are_read_at_excels_15_significant_digits():
    rows = [
        ["E09000006", "2017-04", "spend:A1", "plan", 600.59999999999991, None],
        ["E09000006", "2017-05", "spend:A1", "plan", 0.1 + 0.2, None],
        ["E09000006", "2017-06", "spend:A1", "plan", 1260.0, None],
    ]
    assert [cells[4] for _, cells in read_table(xlsx_bytes(rows)).rows] == ["600.6", "0.3", "1260"]


def test_xlsx_formula_without_a_cached_value_is_an_error_at_its_cell():
    rows = [
        ["E09000006", "2017-04", "NEA", "plan", 1260, None],
        ["E09000006", "2017-05", "NEA", "plan", "=E2+10", None],
        ["E09000006", "2017-06", "NEA", "plan", None, None],
    ]
    table = read_table(_workbook_bytes(_returns_workbook(rows)), "returns.xlsx")
    assert [(e.row, e.column) for e in table.row_errors] == [(3, "value")]
    assert "open the file in Excel, save it" in table.row_errors[0].reason
    assert [number for number, _ in table.rows] == [2, 4]


def test_xlsx_dates_in_the_period_column_are_the_month_they_fall_in():
    rows = [
        ["E09000006", datetime.date(2017, 4, 15), "NEA", "plan", 1, "due 2017-04-15"],
        ["E09000006", datetime.datetime(2017, 5, 31, 12, 0), "NEA", "plan", 2, datetime.date(2017, 6, 3)],
    ]
    table = read_table(xlsx_bytes(rows))
    assert [cells[1] for _, cells in table.rows] == ["2017-04", "2017-05"]
    assert table.rows[1][1][5].startswith("2017-06-03")  # a date elsewhere stays the date


def test_xlsx_cells_right_of_the_header_are_not_cut_silently():
    rows = [
        ["E09000006", "2017-04", "NEA", "plan", 1, None, None, "scribbled"],
        ["E09000006", "2017-05", "NEA", "plan", 2, None],
    ]
    table = read_table(xlsx_bytes(rows))
    assert [number for number, _ in table.rows] == [2, 3]
    assert table.warnings == [
        "cells to the right of the header's last column (F) were ignored, in row 2: "
        "give their column a name in row 1, or clear them"
    ]
