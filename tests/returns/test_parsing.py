"""Reading returns files into rows, and reading values: no database needed."""

import os
from decimal import Decimal

import pytest

from bcf_dashboard.returns.parsing import (
    RowError,
    UnreadableFile,
    neutralise_note,
    parse_value,
    read_table,
    restore_note,
)
from tests.support.world import HEADER, csv_bytes

ROW = ["E09000006", "2017-04", "NEA", "plan", "1260", ""]


@pytest.mark.parametrize(
    "text, number, symbol",
    [
        ("1234", "1234", ""),
        ("1,234,567.89", "1234567.89", ""),
        ("£1,234.50", "1234.50", "£"),
        ("-£12.00", "-12.00", "£"),
        ("£-12.00", "-12.00", "£"),
        ("12%", "12", "%"),
        ("  93.6 ", "93.6", ""),
        ("0.1", "0.1", ""),
        ("1,234", "1234", ""),
        ("-5", "-5", ""),
    ],
)
def test_values_written_the_usual_ways_are_read(text, number, symbol):
    assert parse_value(text) == (Decimal(number), symbol)


@pytest.mark.parametrize(
    "text, says",
    [
        ("£214,00", "ambiguous"),
        ("1.234,5", "ambiguous"),
        ("1,23", "ambiguous"),
        ("12,3456", "ambiguous"),
        ("12a", "not a number"),
        ("", "empty"),
        ("   ", "empty"),
        ("1e5", "not a number"),
        ("£12%", "not a number"),
        ("--12", "not a number"),
        ("-£-12", "not a number"),
        ("(12.00)", "not a number"),
    ],
)
def test_ambiguous_values_are_refused_with_a_reason(text, says):
    with pytest.raises(ValueError, match=says):
        parse_value(text)


def test_csv_header_is_matched_in_any_case_and_order():
    content = csv_bytes(
        [["plan", "1260", "NEA", "2017-04", "E09000006"]], header=["KIND", "Value", "Measure", " period ", "Area_Code"]
    )
    table = read_table(content)
    assert table.errors == []
    assert table.columns == {"kind": 0, "value": 1, "measure": 2, "period": 3, "area_code": 4}
    assert table.rows == [(2, ["plan", "1260", "NEA", "2017-04", "E09000006"])]


def test_csv_with_a_bom_reads_the_first_column_name():
    table = read_table(csv_bytes([ROW], bom=True))
    assert table.errors == []
    assert table.columns["area_code"] == 0


def test_extra_columns_are_ignored_with_a_warning():
    table = read_table(csv_bytes([ROW + ["x"]], header=HEADER + ["Comments"]))
    assert table.errors == []
    assert table.warnings == ["column 'Comments' is not part of the returns format and was ignored"]


def test_missing_required_column_is_named_on_row_1():
    table = read_table(csv_bytes([ROW[:4]], header=HEADER[:4]))
    assert table.errors == [RowError(1, "value", "the required column 'value' is missing from the header row")]


def test_note_column_is_optional():
    table = read_table(csv_bytes([ROW[:5]], header=HEADER[:5]))
    assert table.errors == [] and "note" not in table.columns


def test_a_column_given_twice_is_an_error():
    table = read_table(csv_bytes([ROW + ["1"]], header=HEADER + ["VALUE"]))
    assert [(e.row, e.column) for e in table.errors] == [(1, "value")]
    assert "columns E and G" in table.errors[0].reason


def test_semicolon_separated_file_is_told_to_use_commas():
    table = read_table(b"area_code;period;measure;kind;value\nE09000006;2017-04;NEA;plan;1\n")
    assert len(table.errors) == 5
    assert "separated by commas" in table.errors[0].reason


def test_blank_rows_are_skipped_but_keep_spreadsheet_numbering():
    content = csv_bytes([ROW, ["", "", "", "", "", ""], ROW])
    assert [number for number, _ in read_table(content).rows] == [2, 4]


CSV_HEADER = b"area_code,period,measure,kind,value,note\n"


def test_a_short_csv_row_is_an_error_naming_both_counts_not_padded():
    table = read_table(CSV_HEADER + b"E09000006,2017-04,NEA,plan,1\nE09000006,2017-05,NEA,plan,2,\n")
    assert table.rows == [(3, ["E09000006", "2017-05", "NEA", "plan", "2", ""])]
    assert [(e.row, e.column) for e in table.row_errors] == [(2, "")]
    assert "the row has 5 cells but the header has 6" in table.row_errors[0].reason


@pytest.mark.parametrize(
    "line",
    [
        b"E09000006,2017-04,spend:A1,actual,\xc2\xa3214,00,\n",
        b"E09000006,2017-04,spend:A1,actual,214.00,Paid, invoice pending\n",
    ],
)
def test_a_long_csv_row_is_an_error_naming_both_counts_not_cut(line):
    table = read_table(CSV_HEADER + line + b"E09000006,2017-05,NEA,plan,2,\n")
    assert [number for number, _ in table.rows] == [3]
    assert [e.row for e in table.row_errors] == [2]
    assert "the row has 7 cells but the header has 6" in table.row_errors[0].reason


def test_a_quote_left_open_is_an_error_at_its_row_and_later_rows_are_still_read():
    content = (
        CSV_HEADER + b"E09000006,2017-04,NEA,plan,1,ok\n"
        b'E09000006,2017-05,NEA,plan,2,"Paid in full\n'
        b"E09000006,2017-06,NEA,plan,3,\n"
        b"E09000006,2017-07,NEA,plan,4,\n"
    )
    table = read_table(content)
    assert [e.row for e in table.row_errors] == [3]
    assert "not closed" in table.row_errors[0].reason
    assert [cells[1] for _, cells in table.rows] == ["2017-04", "2017-06", "2017-07"]
    assert [number for number, _ in table.rows] == [2, 4, 5]


def test_a_quote_left_open_that_a_later_quote_closes_joins_no_rows():
    content = (
        CSV_HEADER + b'E09000006,2017-04,NEA,plan,1,"Paid, in full\n'
        b'E09000006,2017-05,NEA,plan,2,"x"\n'
        b"E09000006,2017-06,NEA,plan,3,\n"
    )
    table = read_table(content)
    assert [e.row for e in table.row_errors][0] == 2
    assert "2017-06" in [cells[1] for _, cells in table.rows]


def test_a_quoted_note_with_line_breaks_is_still_one_cell():
    table = read_table(
        CSV_HEADER + b'E09000006,2017-04,NEA,plan,1,"two\nlines, with a comma"\nE09000006,2017-05,NEA,plan,2,\n'
    )
    assert table.row_errors == []
    assert table.rows == [
        (2, ["E09000006", "2017-04", "NEA", "plan", "1", "two\nlines, with a comma"]),
        (3, ["E09000006", "2017-05", "NEA", "plan", "2", ""]),
    ]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n", b" , ,\n"])
def test_empty_file_is_unreadable(content):
    with pytest.raises(UnreadableFile, match="the file is empty"):
        read_table(content)


def test_header_only_file_has_no_data_rows():
    table = read_table(csv_bytes([]))
    assert table.errors == [RowError(None, "", "the file has a header but no data rows: add one row per value")]


def test_wrong_header_lists_every_missing_column():
    table = read_table(b"area,amount\nBromley,12\n")
    assert [e.column for e in table.errors] == ["area_code", "period", "measure", "kind", "value"]
    assert table.warnings == [
        "column 'area' is not part of the returns format and was ignored",
        "column 'amount' is not part of the returns format and was ignored",
    ]


def test_five_megabytes_of_random_bytes_is_not_a_returns_file():
    with pytest.raises(UnreadableFile, match="not a CSV or XLSX file"):
        read_table(os.urandom(5 * 1024 * 1024), "upload.csv")


@pytest.mark.parametrize(
    "content, name, says",
    [
        (b"PK\x03\x04" + os.urandom(2000), "x.xlsx", "not a CSV or XLSX file"),
        (b"\xd0\xcf\x11\xe0" + os.urandom(100), "x.xls", "old-style .xls"),
        (b"area_code\x00,period", "x.csv", "not a CSV or XLSX file"),
        ("area_code,period".encode("utf-16"), "x.csv", "UTF-16"),
        (b"area_code,period", "x.xlsx", "not a CSV or XLSX file"),
    ],
)
def test_other_binary_files_are_refused_clearly(content, name, says):
    with pytest.raises(UnreadableFile, match=says):
        read_table(content, name)


@pytest.mark.parametrize(
    "note, written",
    [
        ("=SUM(A1:A2)", "'=SUM(A1:A2)"),
        ("+44 20", "'+44 20"),
        ("-5 on plan", "'-5 on plan"),
        ("@risk", "'@risk"),
        ("\tindented", "'\tindented"),
        ("plain note", "plain note"),
        ("'quoted already", "'quoted already"),
        ("'=typed with an apostrophe", "''=typed with an apostrophe"),
        ("", ""),
    ],
)
def test_formula_looking_notes_are_neutralised_and_restored(note, written):
    assert neutralise_note(note) == written
    assert restore_note(written) == note


def test_only_one_apostrophe_before_a_formula_start_is_stripped():
    assert restore_note("''=x") == "'=x"
    assert restore_note("'it's fine") == "'it's fine"
    assert restore_note("'=x") == "=x"


def test_row_error_reads_as_the_command_prints_it():
    assert str(RowError(3, "value", "bad")) == "row 3, column value: bad"
    assert str(RowError(3, "", "bad")) == "row 3: bad"
    assert str(RowError(None, "", "bad")) == "file: bad"


# --- XLSX bombs: refused from the zip's declared sizes, before openpyxl opens anything ---------


def test_an_error_list_keeps_the_errors_nearest_the_top_and_counts_the_rest():
    from bcf_dashboard.returns.parsing import ErrorList

    errors = ErrorList(limit=3)
    errors.extend(RowError(row, "value", "bad") for row in (10, 11, 12, 13, 2, 14))
    assert sorted(e.row for e in errors) == [2, 10, 11]
    assert errors.more == 3 and errors.total == 6
    merged = ErrorList(limit=5)
    merged.extend(errors)
    assert len(merged) == 3 and merged.more == 3


# --- XLSX read as the person sees it in Excel ---------------------------------------------------


def test_the_templates_own_name_and_plan_columns_are_read_past_without_a_warning():
    table = read_table(csv_bytes([ROW + ["Scheme A1", "1000"]], header=HEADER + ["Name", "plan"]))
    assert table.warnings == [] and table.errors == []
    assert table.columns == {name: index for index, name in enumerate(HEADER)}
