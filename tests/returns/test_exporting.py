"""Exporting an area-year's returns file: plain values in a stable order, imported again as a no-op, numbers
a spreadsheet can add up; and import's queries do not grow with the file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bcf_dashboard.core.models import ValueChange
from bcf_dashboard.returns.exporting import export_rows, write_csv, write_xlsx
from bcf_dashboard.returns.parsing import restore_note
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.returns.writing import rows_per_insert
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.returns.test_services import GOOD, run
from tests.support.world import BROMLEY, HEADER, scheme


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
