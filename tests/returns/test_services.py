"""import_returns: every rule of docs/formats.md section 1, all or nothing, with its audit trail."""

import hashlib
import os
from decimal import Decimal

import pytest

from bcf_dashboard.core.models import ImportBatch, Period, QuarterReturn, ValueChange
from bcf_dashboard.returns.services import import_returns
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.world import BROMLEY, HEADER, SOUTHWARK, csv_bytes, xlsx_bytes


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


def test_an_exported_file_imported_again_is_a_no_op_with_a_quarter_locked(world):
    """A closed quarter refuses a change, not a row: the year's file exported and imported again, every
    figure as stored, goes through; the same file with one of the locked quarter's figures changed is
    refused at that row, and nothing is written."""
    from bcf_dashboard.returns.exporting import export_rows, write_csv

    stored = [
        [BROMLEY, "2017-05", "NEA", "actual", "1250", "April's outturn, as returned"],
        [BROMLEY, "2017-05", "spend:A1", "actual", "1000.50", ""],
        [BROMLEY, "2017-08", "spend:A1", "actual", "990", ""],
    ]
    assert run(stored).ok
    QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=1, state="locked")
    exported = write_csv(export_rows(area=world.bromley, financial_year=2017))
    again = import_returns(content=exported, file_name="returns-E09000006-2017.csv")
    assert again.ok, again.errors
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = exported.replace(b"1000.50", b"1000.75")
    refused = import_returns(content=changed, file_name="returns-E09000006-2017.csv")
    assert [(e.column, "Q1 2017/18 is locked for Bromley" in e.reason) for e in refused.errors] == [("period", True)]
    assert SchemeValue.objects.get(period__code="2017-05").value == Decimal("1000.50")


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


# --- a bounded number of queries -------------------------------------------------------------


# --- a file read strictly -------------------------------------------------------------------


# --- values left blank ---------------------------------------------------------------------


# --- periods: actuals only for what has ended; parts out of range ----------------------------
