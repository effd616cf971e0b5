"""import_returns: every rule of docs/formats.md section 1, all or nothing, with its audit trail."""

import hashlib
import os
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bcf_dashboard.core.models import ImportBatch, Period, QuarterReturn, ValueChange
from bcf_dashboard.returns.exporting import export_rows, write_csv, write_xlsx
from bcf_dashboard.returns.parsing import restore_note
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.returns.writing import rows_per_insert
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.world import BROMLEY, HEADER, SOUTHWARK, csv_bytes, scheme, xlsx_bytes


def run(rows, header=HEADER, **kwargs):
    kwargs.setdefault("file_name", "returns.csv")
    return import_returns(content=csv_bytes(rows, header=header), **kwargs)


def errors_of(result):
    return [(e.row, e.column) for e in result.errors]


def nothing_written():
    return (
        not MetricValue.objects.exists()
        and not SchemeValue.objects.exists()
        and not ImportBatch.objects.exists()
        and not ValueChange.objects.exists()
    )


GOOD = [
    [BROMLEY, "2017-04", "NEA", "plan", "1,260", "from the plan"],
    [BROMLEY, "2017-04", "NEA", "actual", "1250", ""],
    [BROMLEY, "2017/18-Q1", "REA", "plan", "93.6%", ""],
    [BROMLEY, "2017/18", "DTOC", "plan", "265.6", ""],
    [BROMLEY, "2017-04", "spend:A1", "plan", "£10,000.50", ""],
    [BROMLEY, "2017-04", "spend:A1", "actual", "-£12.00", "credit note"],
    [BROMLEY, "2017-04", "activity:A1", "actual", "14", ""],
    [SOUTHWARK, "2017-04", "spend:B1", "plan", "5000", ""],
]


# --- applying a good file ---------------------------------------------------------------


def test_a_good_file_creates_values_a_batch_and_audit_rows(world):
    user = world.personas.staff
    result = run(GOOD, user=user)
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged) == (8, 8, 0, 0)
    batch = result.batch
    assert batch.user == user and batch.file_name == "returns.csv" and batch.source == "upload"
    assert batch.file_sha256 == hashlib.sha256(csv_bytes(GOOD)).hexdigest()
    assert (batch.rows, batch.created, batch.updated, batch.unchanged) == (8, 8, 0, 0)
    nea = MetricValue.objects.get(metric=world.nea, kind="plan")
    assert nea.value == Decimal("1260") and nea.note == "from the plan"
    assert nea.batch == batch and nea.updated_by == user and nea.period.code == "2017-04"
    assert MetricValue.objects.get(metric=world.rea).period.code == "2017/18-Q1"
    spend = SchemeValue.objects.get(scheme=world.scheme_a1, measure="spend", kind="actual")
    assert spend.value == Decimal("-12.00") and spend.note == "credit note" and spend.updated_by == user
    changes = ValueChange.objects.filter(batch=batch)
    assert changes.count() == 8
    change = changes.get(measure="spend:A1", kind="plan")
    assert change.old_value is None and change.new_value == Decimal("10000.50") and change.area == world.bromley
    assert change.batch.created_at is not None


def test_changing_a_value_records_what_it_replaced(world):
    run(GOOD[:1])
    result = run([[BROMLEY, "2017-04", "NEA", "plan", "1300", "revised"]], user=world.personas.finance_a)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    change = ValueChange.objects.get(batch=result.batch)
    assert (change.old_value, change.new_value) == (Decimal("1260"), Decimal("1300"))
    assert (change.old_note, change.new_note) == ("from the plan", "revised")
    assert result.batch.user == world.personas.finance_a
    value = MetricValue.objects.get()
    assert value.value == Decimal("1300") and value.batch == result.batch


def test_a_note_only_change_is_an_update(world):
    run(GOOD[:1])
    result = run([[BROMLEY, "2017-04", "NEA", "plan", "1260", "new note"]])
    assert (result.created, result.updated) == (0, 1)
    assert result.changes[0].old_value == result.changes[0].new_value == Decimal("1260")


def test_without_a_note_column_the_stored_note_is_kept(world):
    run(GOOD[:1])
    result = run([[BROMLEY, "2017-04", "NEA", "plan", "1270"]], header=HEADER[:5])
    assert result.updated == 1
    assert MetricValue.objects.get().note == "from the plan"


def test_reapplying_the_same_file_changes_nothing_but_is_recorded(world):
    first = run(GOOD)
    second = run(GOOD)
    assert second.ok and (second.created, second.updated, second.unchanged) == (0, 0, 8)
    assert second.changes == []
    # The application is still recorded, with zero changes; values keep their first batch.
    assert (second.batch.created, second.batch.updated, second.batch.unchanged) == (0, 0, 8)
    assert ValueChange.objects.filter(batch=second.batch).count() == 0
    assert set(MetricValue.objects.values_list("batch", flat=True)) == {first.batch.pk}


def test_dry_run_plans_but_writes_nothing(world):
    periods_before = Period.objects.count()
    result = run(GOOD + [[BROMLEY, "2018-04", "NEA", "plan", "1", ""]], dry_run=True)
    assert result.ok and result.dry_run and result.batch is None
    assert result.created == 9 and len(result.changes) == 9
    change = result.changes[0]
    assert (change.area_code, change.period, change.measure, change.kind) == (BROMLEY, "2017-04", "NEA", "plan")
    assert change.is_new and change.new_value == Decimal("1260")
    assert nothing_written() and Period.objects.count() == periods_before


def test_codes_kinds_and_scheme_refs_are_read_case_insensitively(world):
    result = run(
        [["e09000006", "2017-04", "nea", "PLAN", "1", ""], [BROMLEY, "2017-04", "Spend:a1", "Actual", "2", ""]]
    )
    assert result.ok, result.errors
    assert SchemeValue.objects.get().scheme == world.scheme_a1


def test_savings_are_accepted_as_an_extension(world):
    assert run([[BROMLEY, "2017-05", "saving:A1", "plan", "£250.00", ""]]).ok
    assert SchemeValue.objects.get().measure == "saving"


def test_a_bom_csv_and_a_several_sheet_workbook_import(world):
    assert import_returns(content=csv_bytes(GOOD[:2], bom=True), file_name="bom.csv").created == 2
    rows = [[BROMLEY, "2017-05", "NEA", "plan", 0.1, None]]
    result = import_returns(content=xlsx_bytes(rows, extra_sheets=["Notes"]), file_name="r.xlsx")
    assert result.ok and result.created == 1
    assert result.warnings == ["only the first sheet, 'Returns', was read; 'Notes' ignored"]
    assert MetricValue.objects.get(period__code="2017-05").value == Decimal("0.1")


def test_extra_columns_are_warned_about_and_the_file_still_applies(world):
    result = run([GOOD[0] + ["x"]], header=HEADER + ["comment"])
    assert result.ok and result.created == 1
    assert result.warnings == ["column 'comment' is not part of the returns format and was ignored"]


def test_without_a_user_every_area_may_be_changed(world):
    assert run(GOOD, user=None).ok


# --- errors: each rule on its own -----------------------------------------------------------


@pytest.mark.parametrize(
    "row, where, says",
    [
        (["E09000999", "2017-04", "NEA", "plan", "1", ""], (3, "area_code"), "no area has the code"),
        (["", "2017-04", "NEA", "plan", "1", ""], (3, "area_code"), "area code is empty"),
        ([BROMLEY, "2017-13", "NEA", "plan", "1", ""], (3, "period"), "no month 13"),
        ([BROMLEY, "April 2017", "NEA", "plan", "1", ""], (3, "period"), "not a period"),
        (
            [BROMLEY, "1999-04", "NEA", "plan", "1", ""],
            (3, "period"),
            "outside the financial years the dashboard holds",
        ),
        ([BROMLEY, "2017-04", "XYZ", "plan", "1", ""], (3, "measure"), "no metric has the code 'XYZ'"),
        ([BROMLEY, "2017-04", "budget:A1", "plan", "1", ""], (3, "measure"), "is not a measure"),
        ([BROMLEY, "2017-04", "spend:Z9", "plan", "1", ""], (3, "measure"), "no scheme with the reference 'Z9'"),
        ([BROMLEY, "2017-04", "spend:B1", "plan", "1", ""], (3, "measure"), "no scheme with the reference 'B1'"),
        ([BROMLEY, "2017-04", "spend:A2", "plan", "1", ""], (3, "measure"), "has no budget for 2017/18"),
        ([BROMLEY, "2017/18-Q1", "spend:A1", "plan", "1", ""], (3, "period"), "2017-04, 2017-05, 2017-06"),
        ([BROMLEY, "2017/18", "activity:A1", "plan", "1", ""], (3, "period"), "entered by month"),
        ([SOUTHWARK, "2017-04", "DEMHUB", "plan", "1", ""], (3, "measure"), "local metric of another area"),
        ([BROMLEY, "2017-04", "OLDNEA", "plan", "1", ""], (3, "measure"), "not collected in 2017/18"),
        ([BROMLEY, "2017-04", "NEA", "forecast", "1", ""], (3, "kind"), "write plan or actual"),
        ([BROMLEY, "2017-04", "NEA", "plan", "£214,00", ""], (3, "value"), "ambiguous"),
        ([BROMLEY, "2017-04", "NEA", "plan", "1.234,5", ""], (3, "value"), "ambiguous"),
        ([BROMLEY, "2017-04", "NEA", "plan", "12a", ""], (3, "value"), "not a number"),
        ([BROMLEY, "2017-04", "NEA", "plan", "1,23", ""], (3, "value"), "ambiguous"),
        ([BROMLEY, "2017-04", "NEA", "plan", "-1", ""], (3, "value"), "cannot be negative"),
        ([BROMLEY, "2017-04", "DTOC", "plan", "-0.5", ""], (3, "value"), "cannot be negative"),
        ([BROMLEY, "2017-04", "REA", "plan", "100.5", ""], (3, "value"), "cannot be above 100"),
        ([BROMLEY, "2017-04", "REA", "plan", "101%", ""], (3, "value"), "cannot be above 100"),
        ([BROMLEY, "2017-04", "NEA", "plan", "12%", ""], (3, "value"), "not a percent"),
        ([BROMLEY, "2017-04", "NEA", "plan", "£12", ""], (3, "value"), "not money"),
        ([BROMLEY, "2017-04", "NEA", "plan", "1.23456", ""], (3, "value"), "at most 4 decimal places"),
        ([BROMLEY, "2017-04", "NEA", "plan", "100000000000", ""], (3, "value"), "far too large"),
        ([BROMLEY, "2017-04", "spend:A1", "plan", "12.345", ""], (3, "value"), "round it to pence"),
        ([BROMLEY, "2017-04", "spend:A1", "plan", "12%", ""], (3, "value"), "in pounds, not a percent"),
        ([BROMLEY, "2017-04", "activity:A1", "plan", "-3", ""], (3, "value"), "cannot be negative"),
        ([BROMLEY, "2017-04", "activity:A1", "plan", "1.005", ""], (3, "value"), "two decimal places"),
        ([BROMLEY, "2017-04", "activity:A1", "plan", "£3", ""], (3, "value"), "not money"),
        ([BROMLEY, "2017-04", "saving:A1", "plan", "-3", ""], (3, "value"), "cannot be negative"),
        ([BROMLEY, "2017-04", "NEA", "plan", "1", "x" * 2001], (3, "note"), "shorten it to 2,000"),
        ([BROMLEY, "2017-04", "NEA", "plan", "1", "bell\x07"], (3, "note"), "control characters"),
    ],
)
def test_each_invalid_row_is_an_error_and_nothing_is_written(world, row, where, says):
    result = run([GOOD[0], row])
    assert errors_of(result) == [where], result.errors
    assert says in result.errors[0].reason
    assert result.created == 0 and result.changes == [] and result.batch is None
    assert nothing_written()


def test_trailing_zeros_do_not_count_as_extra_decimals(world):
    assert run(
        [[BROMLEY, "2017-04", "spend:A1", "plan", "12.3400", ""], [BROMLEY, "2017-04", "NEA", "plan", "1.230000", ""]]
    ).ok


def test_a_negative_spend_is_a_credit(world):
    assert run([[BROMLEY, "2017-04", "spend:A1", "actual", "£-12.00", ""]]).ok
    assert SchemeValue.objects.get().value == Decimal("-12.00")


def test_a_locked_or_approved_quarter_refuses_every_overlapping_period(world):
    QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=1, state="approved")
    QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=3, state="locked")
    QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=2, state="submitted")
    result = run(
        [
            [BROMLEY, "2017-05", "NEA", "actual", "1", ""],
            [BROMLEY, "2017/18-Q1", "REA", "actual", "90", ""],
            [BROMLEY, "2017/18", "DTOC", "plan", "1", ""],
            [BROMLEY, "2017-11", "spend:A1", "actual", "1", ""],
            [BROMLEY, "2017-08", "NEA", "actual", "1", ""],  # Q2 is only submitted: open
            [SOUTHWARK, "2017-05", "NEA", "actual", "1", ""],
        ]
    )  # another area's Q1 is open
    assert errors_of(result) == [(2, "period"), (3, "period"), (4, "period"), (5, "period")]
    assert "Q1 2017/18 is approved for Bromley" in result.errors[0].reason
    assert "Q3 2017/18 is locked" in result.errors[3].reason
    assert nothing_written()


def test_a_finance_officer_may_not_change_another_areas_figures(world):
    result = run(
        [
            GOOD[0],
            [SOUTHWARK, "2017-04", "spend:B1", "plan", "1", ""],
            [SOUTHWARK, "2017-04", "spend:NOPE", "plan", "1", ""],
        ],
        user=world.personas.finance_a,
    )
    # One error per row, and none that would tell what schemes the other area has.
    assert errors_of(result) == [(3, "area_code"), (4, "area_code")]
    assert "may not change figures for Southwark (E09000028)" in result.errors[0].reason
    assert nothing_written()


@pytest.mark.parametrize("who", ["approver_a", "commissioner_a", "hwb_a"])
def test_only_finance_officers_and_staff_may_import(world, who):
    result = run(GOOD[:1], user=getattr(world.personas, who))
    assert errors_of(result) == [(2, "area_code")]
    assert run(GOOD, user=world.personas.staff).ok


def test_the_same_key_twice_is_an_error_on_the_second_row(world):
    result = run([GOOD[0], GOOD[1], [BROMLEY, "2017-04", "nea", "Plan", "1270", ""]])
    assert errors_of(result) == [(4, "")]
    assert "row 2 already gives this area, period, measure and kind" in result.errors[0].reason


def test_every_error_is_listed_not_just_the_first(world):
    result = run(
        [
            ["E09000999", "2017-04", "NEA", "plan", "1", ""],
            [BROMLEY, "2017-04", "spend:Z9", "plan", "£214,00", ""],
            [BROMLEY, "2017-04", "REA", "forecast", "120", "y" * 2001],
        ]
    )
    assert errors_of(result) == [(2, "area_code"), (3, "measure"), (3, "value"), (4, "kind"), (4, "value"), (4, "note")]
    assert nothing_written()


@pytest.mark.parametrize(
    "content, says",
    [
        (b"", "the file is empty"),
        (csv_bytes([]), "header but no data rows"),
        (os.urandom(5 * 1024 * 1024), "not a CSV or XLSX file"),
    ],
)
def test_files_that_are_not_returns_are_one_clear_error(world, content, says):
    result = import_returns(content=content, file_name="upload.csv")
    assert len(result.errors) == 1 and result.errors[0].row is None and says in result.errors[0].reason
    assert nothing_written()


def test_a_wrong_header_names_each_missing_column(world):
    result = run([["x", "y"]], header=["code", "amount"])
    assert errors_of(result) == [(1, "area_code"), (1, "period"), (1, "measure"), (1, "kind"), (1, "value")]
    assert nothing_written()


# --- notes that look like formulas ---------------------------------------------------------


def test_a_neutralised_note_is_stored_without_its_apostrophe(world):
    assert run(
        [
            [BROMLEY, "2017-04", "NEA", "plan", "1", '\'=HYPERLINK("x")'],
            [BROMLEY, "2017-05", "NEA", "plan", "1", "'it's fine"],
        ]
    ).ok
    assert list(MetricValue.objects.order_by("period__start").values_list("note", flat=True)) == [
        '=HYPERLINK("x")',
        "'it's fine",
    ]


# --- export, and export imported again --------------------------------------------------------


def test_export_writes_plain_values_in_a_stable_order(world):
    run(GOOD + [[BROMLEY, "2017-05", "NEA", "plan", "1,234.5", "=1+1"]])
    rows = export_rows(area=world.bromley, financial_year=2017)
    # Metrics by display order then code, months before quarters before the year, plan before actual.
    assert [(r["period"], r["measure"], r["kind"], r["value"]) for r in rows] == [
        ("2017/18", "DTOC", "plan", "265.6"),
        ("2017-04", "NEA", "plan", "1260"),
        ("2017-04", "NEA", "actual", "1250"),
        ("2017-05", "NEA", "plan", "1234.5"),
        ("2017/18-Q1", "REA", "plan", "93.6"),
        ("2017-04", "spend:A1", "plan", "10000.50"),
        ("2017-04", "spend:A1", "actual", "-12.00"),
        ("2017-04", "activity:A1", "actual", "14"),
    ]
    assert rows[3]["note"] == "=1+1"
    text = write_csv(rows).decode("utf-8")
    assert text.startswith("\ufeffarea_code,period,measure,kind,value,note\r\n")
    assert "'=1+1" in text and "£" not in text
    assert export_rows(area=world.bromley, financial_year=2016) == []


@pytest.mark.parametrize("writer, name", [(write_csv, "export.csv"), (write_xlsx, "export.xlsx")])
def test_an_exported_file_imported_again_is_a_no_op(world, writer, name):
    notes = [
        "=SUM(A1:A3)",
        "+44 20 7946 0000",
        "-5 against plan",
        "@home",
        "'=typed",
        "plain, with comma",
        "two\r\nlines",
        "£ and é, a back\\slash and a\ttab",
    ]
    rows = [row[:5] + [notes[i]] for i, row in enumerate(GOOD)]
    rows.append([BROMLEY, "2017-06", "NEA", "plan", "0.0001", ""])
    rows.append([BROMLEY, "2017-07", "spend:A1", "plan", "£99,999,999.99", ""])
    assert run(rows).ok
    stored = set(MetricValue.objects.values_list("note", flat=True))
    stored |= set(SchemeValue.objects.values_list("note", flat=True))
    # Kept exactly, whatever way the database was written to (less a neutralising apostrophe).
    assert {restore_note(note) for note in notes} <= stored and "=typed" in stored
    content = writer(export_rows(area=world.bromley, financial_year=2017))
    changes_before = ValueChange.objects.count()
    result = import_returns(content=content, file_name=name)
    assert result.ok, result.errors
    assert (result.created, result.updated, result.unchanged) == (0, 0, 9)
    assert ValueChange.objects.count() == changes_before


# --- a bounded number of queries -------------------------------------------------------------


def _rows_for(schemes, count):
    months = [f"2017-{m:02d}" for m in range(4, 13)] + [f"2018-{m:02d}" for m in range(1, 4)]
    rows = []
    for s in schemes:
        for month in months:
            for kind in ("plan", "actual"):
                rows.append([BROMLEY, month, f"spend:{s.ref}", kind, "100.00", ""])
                rows.append([BROMLEY, month, f"activity:{s.ref}", kind, "3", ""])
    return rows[:count]


@pytest.mark.parametrize("dry_run", [False, True])
def test_queries_do_not_grow_with_the_number_of_rows(world, dry_run):
    source = world.scheme_a1.funding_source
    extra = [scheme(world.bromley, f"S{n}", source, [2017]) for n in range(12)]
    small, large = _rows_for([world.scheme_a1], 10), _rows_for(extra, 500)
    assert len(large) == 500
    counts = []
    for rows in (small, large):
        with CaptureQueriesContext(connection) as captured:
            result = run(rows, user=world.personas.finance_a, dry_run=dry_run)
        assert result.ok and result.created == len(rows)
        sql = [q["sql"] for q in captured.captured_queries]
        inserts = sum(1 for q in sql if q.startswith("INSERT INTO") and ("schemevalue" in q or "valuechange" in q))
        # PostgreSQL COPYs a large upsert through a temporary table; a small one is one INSERT.
        staging = sum(1 for q in sql if "returns_incoming" in q and not q.startswith("INSERT INTO"))
        counts.append((len(sql) - inserts - staging, inserts))
    # Lookups, period rows, the batch, and (applying) the area-year's version and headline refresh
    # (bcf_dashboard.digests.services.changed: the engine's dozen queries): the same whatever the size of the file.
    assert counts[0][0] == counts[1][0] <= (20 if dry_run else 40)
    # Values and audit rows go in batches (nine columns each), never one statement per row.
    per_statement = rows_per_insert(9) or 500
    assert counts[1][1] <= (0 if dry_run else 2 * -(-500 // per_statement))
    if not dry_run:
        assert SchemeValue.objects.count() == 510 and ValueChange.objects.count() == 510


def test_xlsx_export_keeps_formula_notes_as_text_and_values_as_numbers(world):
    from io import BytesIO

    from openpyxl import load_workbook

    run(
        [
            [BROMLEY, "2017-04", "NEA", "plan", "1260", '=HYPERLINK("http://x")'],
            [BROMLEY, "2017-04", "spend:A1", "plan", "10.50", ""],
        ]
    )
    sheet = load_workbook(BytesIO(write_xlsx(export_rows(area=world.bromley, financial_year=2017)))).active
    assert [cell.value for cell in sheet[1]] == HEADER
    nea, spend = sheet[2], sheet[3]
    assert nea[5].data_type == "s" and nea[5].value == '\'=HYPERLINK("http://x")'
    assert nea[4].value == 1260 and spend[4].value == 10.5


# --- a file read strictly -------------------------------------------------------------------


def test_a_row_split_by_a_comma_is_an_error_and_nothing_is_written(world):
    content = (
        "area_code,period,measure,kind,value,note\n"
        f"{BROMLEY},2017-04,NEA,plan,1260,\n"
        f"{BROMLEY},2017-04,spend:A1,actual,£214,00,\n"
        f"{BROMLEY},2017-04,spend:A1,plan,214.00,Paid, invoice pending\n"
    ).encode()
    result = import_returns(content=content, file_name="returns.csv")
    assert errors_of(result) == [(3, ""), (4, "")]
    assert all("7 cells but the header has 6" in e.reason for e in result.errors)
    assert result.rows == 3
    assert nothing_written()


def test_a_quote_left_open_is_an_error_at_its_row_and_nothing_is_written(world):
    content = (
        "area_code,period,measure,kind,value,note\n"
        f'{BROMLEY},2017-04,NEA,plan,1260,"from the plan\n'
        f"{BROMLEY},2017-05,NEA,plan,1270,\n"
    ).encode()
    result = import_returns(content=content, file_name="returns.csv")
    assert errors_of(result) == [(2, "")]
    assert "not closed" in result.errors[0].reason
    assert nothing_written()


# --- values left blank ---------------------------------------------------------------------


def test_a_row_left_blank_writes_nothing_and_is_counted(world):
    run([GOOD[0]])
    result = run(
        [
            [BROMLEY, "2017-04", "NEA", "plan", "", "no figure yet"],
            [BROMLEY, "2017-05", "spend:A1", "actual", "  ", ""],
            [BROMLEY, "2017-04", "NEA", "actual", "1250", ""],
        ]
    )
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged, result.blank) == (3, 1, 0, 0, 2)
    assert MetricValue.objects.get(kind="plan").value == Decimal("1260")  # never a zero
    assert not SchemeValue.objects.exists()
    assert ValueChange.objects.filter(batch=result.batch).count() == 1


@pytest.mark.parametrize(
    "row, where",
    [
        ([BROMLEY, "2017-04", "spend:Z9", "actual", "", ""], (2, "measure")),
        (["E09000999", "2017-04", "NEA", "plan", "", ""], (2, "area_code")),
        ([BROMLEY, "2017-04", "NEA", "forecast", "", ""], (2, "kind")),
        ([BROMLEY, "April", "NEA", "plan", "", ""], (2, "period")),
    ],
)
def test_every_other_column_of_a_row_left_blank_is_still_checked(world, row, where):
    result = run([row])
    assert errors_of(result) == [where]
    assert result.blank == 0 and nothing_written()


# --- periods: actuals only for what has ended; parts out of range ----------------------------


@pytest.fixture
def today_is_15_may_2017(monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2017, 5, 15))


@pytest.mark.parametrize("period", ["2071-04", "2017-05", "2017-06", "2017/18-Q1", "2017/18"])
def test_an_actual_for_a_period_not_yet_ended_is_an_error(world, today_is_15_may_2017, period):
    result = run([[BROMLEY, "2017-04", "NEA", "actual", "1250", ""], [BROMLEY, period, "DTOC", "actual", "1", ""]])
    assert errors_of(result) == [(3, "period")], result.errors
    assert "has not ended yet" in result.errors[0].reason and "plan" in result.errors[0].reason
    assert nothing_written()


def test_a_typed_2071_for_2017_is_refused_on_todays_date(world):
    result = run([[BROMLEY, "2071-04", "NEA", "actual", "1250", ""]])
    assert errors_of(result) == [(2, "period")]
    assert "Apr 2071 has not ended yet" in result.errors[0].reason


def test_plans_may_lie_ahead_and_actuals_of_ended_months_apply(world, today_is_15_may_2017):
    result = run(
        [
            [BROMLEY, "2017-04", "NEA", "actual", "1250", ""],
            [BROMLEY, "2017-06", "NEA", "plan", "1260", ""],
            [BROMLEY, "2017/18", "DTOC", "plan", "265.6", ""],
            [BROMLEY, "2017-05", "spend:A1", "plan", "100", ""],
        ]
    )
    assert result.ok, result.errors
    assert result.created == 4


@pytest.mark.parametrize(
    "period, says",
    [
        ("0000-04", "not a real month"),
        ("9999-04", "outside the financial years"),
        ("9999-12", "outside the financial years"),
        ("0001-01", "outside the financial years"),
        ("2017-13", "no month 13"),
        ("2017-00", "no month 0"),
        ("9999/00", "outside the financial years"),
        ("9999/00-Q1", "outside the financial years"),
        ("2017/18-Q9", "quarter 9"),
    ],
)
def test_out_of_range_period_parts_are_row_errors_not_exceptions(world, period, says):
    for kind in ("plan", "actual"):
        result = run([[BROMLEY, period, "NEA", kind, "1", ""]])
        assert errors_of(result) == [(2, "period")], result.errors
        assert says in result.errors[0].reason
    assert nothing_written()


def test_xlsx_export_holds_every_value_as_a_number_cell_excel_can_add_up(world):
    from io import BytesIO

    from openpyxl import load_workbook

    run(
        [
            [BROMLEY, "2017-04", "spend:A1", "actual", "£10,000.50", ""],
            [BROMLEY, "2017-05", "spend:A1", "actual", "-12.00", "credit"],
            [BROMLEY, "2017-04", "activity:A1", "actual", "14", ""],
            [BROMLEY, "2017-04", "REA", "plan", "93.6", ""],
        ]
    )
    sheet = load_workbook(BytesIO(write_xlsx(export_rows(area=world.bromley, financial_year=2017)))).active
    values = [row[4] for row in sheet.iter_rows(min_row=2)]
    assert len(values) == 4 and all(cell.data_type == "n" for cell in values)
    assert sorted(cell.value for cell in values) == [-12, 14, 93.6, 10000.5]


def test_a_file_whose_every_value_is_left_blank_applies_as_a_batch_that_writes_nothing(world):
    result = run([[BROMLEY, "2017-04", "NEA", "plan", "", ""], [BROMLEY, "2017-04", "spend:A1", "actual", "", ""]])
    assert result.ok and result.batch is not None
    assert (result.created, result.updated, result.unchanged, result.blank) == (0, 0, 0, 2)
    assert not MetricValue.objects.exists() and not SchemeValue.objects.exists()
    assert not ValueChange.objects.exists()
