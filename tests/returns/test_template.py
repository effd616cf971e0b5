"""The pre-filled returns workbook: exactly the docs/formats.md columns, one row per figure, data validation."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bcf_dashboard.returns.parsing import COLUMNS
from bcf_dashboard.returns.services import import_returns
from tests.support.world import BROMLEY, csv_bytes

URL = f"/areas/{BROMLEY}/upload/template.xlsx"


@pytest.fixture
def officer(client, world):
    client.force_login(world.personas.finance_a)
    return client


def test_the_template_has_a_row_per_scheme_measure_and_metric_with_saved_figures(officer, world):
    import_returns(content=csv_bytes([[BROMLEY, "2017-05", "spend:A1", "actual", "1234.50", ""]]), file_name="x.csv")
    response = officer.get(URL, {"month": "2017-05"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="returns-{BROMLEY}-2017-05-actual.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Returns"]
    sheet = workbook.active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == list(COLUMNS) + ["name", "plan"]
    measures = [row[2] for row in rows[1:]]
    assert measures[:2] == ["spend:A1", "activity:A1"] and {"NEA", "REA", "DTOC", "DEMHUB"} <= set(measures)
    assert "spend:A2" not in measures and "OLDNEA" not in measures
    assert rows[1][:6] == [BROMLEY, "2017-05", "spend:A1", "actual", 1234.5, None]
    assert all(row[3] == "actual" and row[1] == "2017-05" for row in rows[1:])
    validations = {v.type: v for v in sheet.data_validations.dataValidation}
    assert validations["list"].formula1 == '"plan,actual"' and "D2" in str(validations["list"].sqref)
    assert any(v.type == "decimal" and "E2" in str(v.sqref) for v in sheet.data_validations.dataValidation)


def test_a_template_filled_in_uploads_cleanly(officer, world):
    sheet_bytes = officer.get(URL, {"month": "2017-06", "kind": "plan"}).content
    workbook = load_workbook(io.BytesIO(sheet_bytes))
    sheet = workbook.active
    for row in sheet.iter_rows(min_row=2):
        row[4].value = 50 if row[2].value == "REA" else 7
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_returns(content=buffer.getvalue(), file_name="filled.xlsx", user=world.personas.finance_a)
    assert result.ok, result.errors
    assert result.warnings == [] and result.created == sheet.max_row - 1


@pytest.mark.parametrize("month", ["", "2017-13", "May 2017", "1999-04"])
def test_a_bad_month_is_a_clear_message(officer, month):
    response = officer.get(URL, {"month": month})
    assert response.status_code == 400 and "is not a month" in response.content.decode()


def _template_rows(client, **query):
    sheet = load_workbook(io.BytesIO(client.get(URL, query).content)).active
    header = [cell.value for cell in sheet[1]]
    return sheet, [dict(zip(header, row)) for row in sheet.iter_rows(min_row=2)]


def test_an_actual_template_names_each_row_and_gives_the_months_plan(officer, world):
    import_returns(
        content=csv_bytes(
            [
                [BROMLEY, "2017-05", "spend:A1", "plan", "10000.50", ""],
                [BROMLEY, "2017-05", "NEA", "plan", "1260", ""],
                [BROMLEY, "2017/18-Q1", "REA", "plan", "93.6", ""],
            ]
        ),
        file_name="plan.csv",
    )
    _, rows = _template_rows(officer, month="2017-05")
    by_measure = {row["measure"].value: row for row in rows}
    assert "Scheme A1" in by_measure["spend:A1"]["name"].value
    assert "Scheme A1" in by_measure["activity:A1"]["name"].value
    assert "NEA" in by_measure["NEA"]["name"].value
    assert by_measure["spend:A1"]["plan"].value == 10000.5 and by_measure["spend:A1"]["plan"].data_type == "n"
    assert by_measure["NEA"]["plan"].value == 1260
    assert "for the quarter" in by_measure["REA"]["plan"].value
    assert by_measure["activity:A1"]["plan"].value is None


def test_a_plan_template_names_each_row_without_a_plan_column(officer, world):
    sheet, rows = _template_rows(officer, month="2017-05", kind="plan")
    assert [cell.value for cell in sheet[1]] == list(COLUMNS) + ["name"]
    assert all(row["name"].value for row in rows)


def test_template_values_and_plans_are_number_cells(officer, world):
    import_returns(
        content=csv_bytes(
            [
                [BROMLEY, "2017-05", "spend:A1", "actual", "1234.50", ""],
                [BROMLEY, "2017-05", "spend:A1", "plan", "1000", ""],
            ]
        ),
        file_name="x.csv",
    )
    _, rows = _template_rows(officer, month="2017-05")
    spend = next(row for row in rows if row["measure"].value == "spend:A1")
    assert spend["value"].data_type == "n" and spend["value"].value == 1234.5
    assert spend["plan"].data_type == "n" and spend["plan"].value == 1000


def test_a_template_returned_part_filled_imports_with_the_blanks_left_blank(officer, world):
    from metrics.models import MetricValue
    from schemes.models import SchemeValue

    content = officer.get(URL, {"month": "2017-05"}).content
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    filled = {"spend:A1": 1500.25, "NEA": 1262}
    for row in sheet.iter_rows(min_row=2):
        row[4].value = filled.get(row[2].value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = sheet.max_row - 1
    result = import_returns(content=buffer.getvalue(), file_name="returns-part.xlsx", user=world.personas.finance_a)
    assert result.ok, result.errors
    assert result.warnings == []
    assert (result.created, result.blank, result.rows) == (2, rows - 2, rows)
    assert list(SchemeValue.objects.values_list("measure", "value")) == [("spend", Decimal("1500.25"))]
    assert list(MetricValue.objects.values_list("metric__code", "value")) == [("NEA", Decimal("1262"))]


def test_a_row_name_that_looks_like_a_formula_is_text_in_the_template(officer, world):
    world.scheme_a1.ref = '=HYPERLINK("http://evil")'
    world.scheme_a1.save()
    _, rows = _template_rows(officer, month="2017-05")
    name = next(row for row in rows if row["measure"].value == 'spend:=HYPERLINK("http://evil")')["name"]
    assert name.data_type == "s" and not name.value.startswith("=")


def test_a_template_uploaded_untouched_changes_nothing_and_keeps_every_note(officer, world):
    """The template carries each stored note: returned as it came, nothing changes (the note column
    blank on every row had removed every note of the month)."""
    from schemes.models import SchemeValue

    stored = [
        [BROMLEY, "2017-05", "spend:A1", "actual", "1234.50", "Invoice 17/0442, agreed with the CCG"],
        [BROMLEY, "2017-05", "NEA", "actual", "1262", "-2 on last month: coding corrected"],
    ]
    assert import_returns(content=csv_bytes(stored), file_name="may.csv", user=world.personas.finance_a).ok
    content = officer.get(URL, {"month": "2017-05"}).content
    notes = {row[2]: row[5] for row in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)}
    assert notes["spend:A1"] == "Invoice 17/0442, agreed with the CCG"
    assert notes["NEA"] == "'-2 on last month: coding corrected"  # text Excel never runs as a formula
    result = import_returns(content=content, file_name="untouched.xlsx", user=world.personas.finance_a)
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 0)
    assert SchemeValue.objects.get(measure="spend", kind="actual").note == "Invoice 17/0442, agreed with the CCG"


def test_a_note_with_a_control_character_from_the_admin_still_downloads(officer, world):
    """The upload refuses control characters in notes; the admin does not. XLSX cannot hold them: the
    template (and the year's XLSX export) leave them out rather than failing."""
    from bcf_dashboard.engine.returns_file import export_rows, write_xlsx
    from schemes.models import SchemeValue

    assert import_returns(
        content=csv_bytes([[BROMLEY, "2017-05", "spend:A1", "actual", "10", "paid"]]), file_name="m.csv"
    ).ok
    SchemeValue.objects.update(note="paid\x0b in full")
    response = officer.get(URL, {"month": "2017-05"})
    assert response.status_code == 200
    notes = {row[2]: row[5] for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)}
    assert notes["spend:A1"] == "paid in full"
    exported = load_workbook(io.BytesIO(write_xlsx(export_rows(area=world.bromley, financial_year=2017))))
    assert "paid in full" in [row[5] for row in exported.active.iter_rows(values_only=True)]
