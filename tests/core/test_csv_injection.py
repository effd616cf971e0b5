"""File names and notes holding markup or formulas: escaped on every page, neutralised in every export.

A returns file with such a name and notes goes through the upload page (preview, confirm), then
shows on the history, upload, entry and scheme pages, and goes out in the history CSV, the returns
export (CSV and XLSX) and the scheme table's exports. Numbers stay numbers: a credit of -2 is not text.
"""

import csv
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils.html import escape

from bcf_dashboard.core.formats import FORMULA_STARTS, neutralise_formula
from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.returns.exporting import export_rows, write_xlsx
from bcf_dashboard.returns.services import import_returns
from schemes.models import Scheme
from tests.support.fuzzing import assert_escaped
from tests.support.world import BROMLEY, csv_bytes, world  # noqa: F401  (the small world)

NOTES = [
    '=HYPERLINK("http://evil","x")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1)",
    "<img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
]
ROWS = [[BROMLEY, f"2017-0{4 + n}", "NEA", "actual", str(1200 + n), note] for n, note in enumerate(NOTES)] + [
    [BROMLEY, "2017-05", "spend:A1", "actual", "-2", '=HYPERLINK("http://evil","credit")']
]
NAMES = [
    '<script>alert(1)</script>=HYPERLINK("http://x").csv',  # a browser sends no path: only 'x").csv' is left
    '<img src=x onerror=alert(1)>=HYPERLINK("x").csv',
]
MEANT = '=HYPERLINK("http://evil","x") <script>alert(1)</script>'


@pytest.fixture(params=NAMES)
def uploaded(request, client, world):
    """The file uploaded, previewed and confirmed by Bromley's finance officer: (client, stored file name)."""
    client.force_login(world.personas.finance_a)
    response = client.post(f"/areas/{BROMLEY}/upload/", {"file": SimpleUploadedFile(request.param, csv_bytes(ROWS))})
    assert response.status_code == 302, response.content.decode()[:2000]
    preview = assert_escaped(client.get(response["Location"]))
    batch_name = re.search(r'<p class="caption">[^·]*· (.*?) ·', preview).group(1)
    for note in NOTES:
        assert escape(note) in preview  # shown as typed, as text
    stamp = re.search(r'name="previewed" value="([^"]*)"', preview).group(1)
    confirmed = client.post(response["Location"], {"action": "confirm", "previewed": stamp})
    assert confirmed.status_code == 302
    batch = ImportBatch.objects.get(source="upload")
    assert escape(batch.file_name) == batch_name and batch.changes.count() == len(ROWS)
    return client, batch.file_name, confirmed["Location"]


def test_names_and_notes_are_escaped_on_every_page_that_shows_them(uploaded, world):
    client, name, history_url = uploaded
    pages = {
        "history": history_url,
        "upload": f"/areas/{BROMLEY}/upload/",
        "entry": f"/areas/{BROMLEY}/entry/2017-05/",
        "scheme": f"/areas/{BROMLEY}/schemes/A1/?year=2017",
        "scheme history": f"/areas/{BROMLEY}/schemes/A1/history/",
    }
    for page, address in pages.items():
        body = assert_escaped(client.get(address))
        assert escape(name) in body, page
        if "<" in name:
            assert name not in body, page
    history = assert_escaped(client.get(history_url))
    for note in NOTES:
        assert escape(note) in history


def test_the_history_csv_neutralises_every_text_cell_and_keeps_numbers(uploaded):
    client, name, history_url = uploaded
    response = client.get(history_url + "&export=csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == len(ROWS)
    for row in rows:
        assert row["file"] == neutralise_formula(name) and not row["file"].startswith(FORMULA_STARTS)
        assert row["new_note"] in {neutralise_formula(note) for note in NOTES + [ROWS[-1][-1]]}
        assert row["new_note"].startswith("'") == row["new_note"].lstrip("'").startswith(FORMULA_STARTS)
        for column, text in row.items():
            if column not in ("old", "new"):
                assert not text.startswith(FORMULA_STARTS), (column, text)
    credit = next(row for row in rows if row["measure"] == "spend:A1")
    assert float(credit["new"]) == -2  # a number a spreadsheet adds up, not neutralised text


def test_the_returns_export_neutralises_notes_keeps_numbers_and_imports_back_unchanged(uploaded, world, capsys):
    call_command("export_returns", BROMLEY, "2017")
    exported = capsys.readouterr().out
    rows = list(csv.DictReader(io.StringIO(exported)))
    for row in rows:
        assert not row["note"].startswith(FORMULA_STARTS) and not row["area_code"].startswith(FORMULA_STARTS)
    assert next(row for row in rows if row["measure"] == "spend:A1")["value"] == "-2.00"
    sheet = openpyxl.load_workbook(io.BytesIO(write_xlsx(export_rows(area=world.bromley, financial_year=2017)))).active
    cells = list(sheet.iter_rows(min_row=2))
    assert cells and all(cell.data_type != "f" for row in cells for cell in row)  # no formula anywhere
    credit = next(row for row in cells if row[2].value == "spend:A1")
    assert credit[4].data_type == "n" and credit[4].value == -2
    assert {row[5].value for row in cells} >= {neutralise_formula(note) for note in NOTES}
    again = import_returns(content=exported.encode(), file_name="again.csv", user=world.personas.finance_a)
    assert again.ok and again.created == again.updated == 0 and again.unchanged == len(ROWS)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_scheme_table_exports_neutralise_names_and_keep_money_as_numbers(client, world, kind):
    Scheme.objects.filter(pk=world.scheme_a1.pk).update(name=MEANT, ref="+A1")
    assert import_returns(
        content=csv_bytes([[BROMLEY, "2017-04", "spend:+A1", "actual", "-2", ""]]),
        file_name="credit.csv",
        user=world.personas.finance_a,
    ).ok
    client.force_login(world.personas.commissioner_a)
    page = assert_escaped(client.get(f"/areas/{BROMLEY}/2017/"))
    assert escape(MEANT) in page
    response = client.get(f"/areas/{BROMLEY}/2017/", {"export": kind})
    if kind == "csv":
        header, row = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert all(cell.data_type != "f" for line in sheet.iter_rows() for cell in line)
        header, row = [[cell if cell is not None else "" for cell in line] for line in sheet.values]
    cells = dict(zip(header, row))
    assert cells["Ref"] == "'+A1" and cells["Scheme"] == neutralise_formula(MEANT)
    assert float(cells["Actual to date"]) == -2  # money stays a number, even negative
