"""The pre-filled returns workbook: exactly the docs/formats.md columns, one row per figure, data validation."""

import io

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
    assert rows[0] == list(COLUMNS)
    measures = [row[2] for row in rows[1:]]
    assert measures[:2] == ["spend:A1", "activity:A1"] and {"NEA", "REA", "DTOC", "DEMHUB"} <= set(measures)
    assert "spend:A2" not in measures and "OLDNEA" not in measures
    assert rows[1] == [BROMLEY, "2017-05", "spend:A1", "actual", 1234.5, None]
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
