"""The planning workbook (docs/formats.md section 4): its sheets, validation lists, a round trip that changes
nothing, every error with its sheet and cell and nothing written, the preview, the commands."""

import io
import os
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning import workbook_import, workflow
from bcf_dashboard.planning.rollforward import start_year
from bcf_dashboard.planning.workbook import plan_workbook
from schemes.models import Scheme, SchemeYear

SHEETS = ["Cover", "Income", "Expenditure", "Metrics", "Risk share", "Checks"]


@pytest.fixture
def year(bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    return bromley


def edited(content, sheet, cell, value) -> bytes:
    book = load_workbook(io.BytesIO(content))
    book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_sheets_and_columns_of_formats_section_4(year):
    book = load_workbook(io.BytesIO(plan_workbook(year.area, 2017)))
    assert book.sheetnames == SHEETS
    header = lambda name: [c.value for c in book[name][1]]
    assert header("Cover") == ["Field", "Value"] and header("Income") == ["Source", "Partner", "Amount"]
    assert header("Expenditure")[:20] == [
        "Scheme ref",
        "Scheme name",
        "Scheme type",
        "Area of spend",
        "Commissioner",
        "Provider",
        "Source of funding",
        "Budget",
        "Apr",
        "May",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Oct",
        "Nov",
        "Dec",
        "Jan",
        "Feb",
        "Mar",
    ]
    assert header("Metrics")[:3] == ["Metric", "Plan for the year", "Apr"]
    assert header("Risk share") == ["Field", "Value"] and header("Checks") == ["Check", "Result", "Detail"]
    cover = {row[0]: row[1] for row in book["Cover"].iter_rows(min_row=2, values_only=True)}
    assert cover == {"Area code": "E09000006", "Area name": "Bromley", "Financial year": "2017/18", "Status": "draft"}
    assert book["Expenditure"]["A2"].value == "A1" and book["Expenditure"]["H2"].value == 1_200_000
    income = {row[0]: row[2] for row in book["Income"].iter_rows(min_row=2, values_only=True)}
    assert income["NHS minimum contribution"] == pytest.approx(21_997_836.90)
    lists = {str(v.sqref): v.formula1 for v in book["Expenditure"].data_validations.dataValidation if v.type == "list"}
    assert '"Intermediate care,' in lists["C2:C502"] and "NHS minimum contribution" in lists["G2:G502"]
    assert any(v.type == "decimal" for v in book["Income"].data_validations.dataValidation)


def test_an_exported_workbook_imported_again_changes_nothing(year):
    reading = workbook_import.read(plan_workbook(year.area, 2017), user=year.personas.finance_a)
    assert reading.ok, reading.errors
    assert reading.changes == []


def test_an_ended_scheme_exported_for_its_last_year_and_imported_again_stays_ended(year):
    """The sheet has no status column: a scheme moved to business as usual is listed for the year it has a
    budget in, and importing that workbook again changes nothing (it did restart the scheme)."""
    scheme = year.area.schemes.get(ref="A1")
    scheme.status = Scheme.Status.BAU
    scheme.save()
    content = plan_workbook(year.area, 2017)
    reading = workbook_import.read(content, user=year.personas.finance_a)
    assert reading.ok, reading.errors
    assert reading.changes == []
    edited_budget = workbook_import.read(edited(content, "Expenditure", "H2", 1_300_000), user=year.personas.finance_a)
    workbook_import.apply(edited_budget, user=year.personas.finance_a)
    scheme.refresh_from_db()
    assert scheme.status == Scheme.Status.BAU  # its budget changed; it stays ended
    assert SchemeYear.objects.get(scheme=scheme, financial_year=2017).budget == Decimal(1_300_000)


def test_an_ended_scheme_listed_for_a_year_it_has_no_budget_in_runs_again(year):
    start_year(user=year.personas.finance_a, area=year.area, year=2018)
    scheme = year.area.schemes.get(ref="A1")
    content = plan_workbook(year.area, 2017)  # A1 on the sheet, with its 2017 budget
    SchemeYear.objects.filter(scheme=scheme, financial_year=2018).delete()
    scheme.status = Scheme.Status.BAU
    scheme.save()
    book = load_workbook(io.BytesIO(content))
    for row in book["Cover"].iter_rows(min_row=2):  # the same sheet, as next year's plan
        if row[0].value == "Financial year":
            row[1].value = "2018/19"
    out = io.BytesIO()
    book.save(out)
    reading = workbook_import.read(out.getvalue(), user=year.personas.finance_a)
    assert reading.ok, reading.errors
    assert "Expenditure: A1 restarted" in reading.changes
    workbook_import.apply(reading, user=year.personas.finance_a)
    scheme.refresh_from_db()
    assert scheme.status == Scheme.Status.ACTIVE
    assert SchemeYear.objects.filter(scheme=scheme, financial_year=2018).exists()


def test_a_changed_budget_is_previewed_then_applied(year):
    content = edited(plan_workbook(year.area, 2017), "Expenditure", "H2", 1_300_000)
    reading = workbook_import.read(content, user=year.personas.finance_a)
    assert reading.changes == ["Expenditure: A1 budget £1,200,000 → £1,300,000"]
    assert SchemeYear.objects.get(financial_year=2017).budget == Decimal(1_200_000)  # a preview writes nothing
    workbook_import.apply(reading, user=year.personas.finance_a)
    assert SchemeYear.objects.get(financial_year=2017).budget == Decimal(1_300_000)


@pytest.mark.parametrize(
    "sheet, cell, value, message",
    [
        ("Expenditure", "H2", "lots", "Expenditure!H2: 'lots' is not a number"),
        ("Expenditure", "C2", "Magic", "Expenditure!C2: 'Magic' is not a scheme type"),
        ("Expenditure", "I2", 10.005, "Expenditure!I2: 10.005 has more than pounds and pence"),
        ("Income", "A2", "Lottery", "Income!A2: 'Lottery' is not a source of funding in 2017/18"),
        ("Metrics", "A2", "XYZ", "Metrics!A2: 'XYZ' is not a metric of 2017/18"),
        ("Risk share", "B2", -3, "Risk share!B2: -3 is out of range"),
        ("Cover", "B2", "E09000028", "Cover!B2: 'E09000028' is not an area whose plan you may change"),
    ],
)
def test_every_error_names_its_sheet_and_cell_and_nothing_is_written(year, sheet, cell, value, message):
    content = edited(edited(plan_workbook(year.area, 2017), "Expenditure", "H2", 5), sheet, cell, value)
    reading = workbook_import.read(content, user=year.personas.finance_a)
    assert any(e.startswith(message) for e in reading.errors), reading.errors
    with pytest.raises(PlanRefused, match="the workbook has errors"):
        workbook_import.apply(reading, user=year.personas.finance_a)
    assert SchemeYear.objects.get(financial_year=2017).budget == Decimal(1_200_000)


def test_not_a_workbook(year):
    reading = workbook_import.read(b"not a zip", user=year.personas.finance_a)
    assert reading.errors == ["Workbook: this is not an XLSX workbook; export the plan from its page and fill that in"]


def test_an_agreed_plan_is_revised_only_with_a_reason(year):
    p = year.personas
    workflow.submit(user=p.finance_a, area=year.area, year=2017)
    workflow.agree(user=p.approver_a, area=year.area, year=2017)
    unchanged = workbook_import.read(plan_workbook(year.area, 2017), user=p.finance_a)
    assert unchanged.ok and unchanged.changes == []  # nothing to revise, so no reason asked for
    content = edited(plan_workbook(year.area, 2017), "Expenditure", "H2", 1_300_000)
    assert workbook_import.read(content, user=p.finance_a).errors == [
        "Reason: the 2017/18 plan is agreed: give the reason for this revision, which the history keeps"
    ]
    reading = workbook_import.read(content, user=p.finance_a, reason="Budget uplift agreed at the HWB")
    workbook_import.apply(reading, user=p.finance_a, reason="Budget uplift agreed at the HWB")
    scheme_year = SchemeYear.objects.get(financial_year=2017)
    assert scheme_year.history.first().history_change_reason == "Budget uplift agreed at the HWB"


def test_a_year_before_the_national_metrics_exports_a_workbook(bromley):
    """2000/01 has no metric to plan: its Metrics sheet is empty, not a server error."""
    book = load_workbook(io.BytesIO(plan_workbook(bromley.area, 2000)))
    assert [c.value for c in book["Metrics"][1]][:2] == ["Metric", "Plan for the year"]
    assert book["Metrics"].max_row == 1


def test_the_commands(year, tmp_path, capsys):
    path = tmp_path / "plan.xlsx"
    call_command("export_plan", "E09000006", "2017/18", output=str(path))
    path.write_bytes(edited(path.read_bytes(), "Expenditure", "H2", 1_250_000))
    call_command("import_plan", str(path), dry_run=True, user="finance_a")
    assert "A1 budget £1,200,000 → £1,250,000" in capsys.readouterr().out
    assert SchemeYear.objects.get(financial_year=2017).budget == Decimal(1_200_000)
    call_command("import_plan", str(path), user="finance_a")
    assert SchemeYear.objects.get(financial_year=2017).budget == Decimal(1_250_000)
    path.write_bytes(edited(path.read_bytes(), "Expenditure", "H2", "lots"))
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_plan", str(path), user="finance_a")
    with pytest.raises(CommandError, match="no area"):
        call_command("export_plan", "E0", "2017")


def test_libreoffice_opens_it_and_its_copy_imports_unchanged(year, tmp_path):
    """Debian's libreoffice-calc-nogui converts the workbook (a repair would fail or lose sheets)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("BCF_REQUIRE_LIBREOFFICE"):
            pytest.fail("BCF_REQUIRE_LIBREOFFICE is set but soffice is not installed (libreoffice-calc-nogui)")
        pytest.skip("soffice (libreoffice-calc-nogui) is not installed")
    source = tmp_path / "in" / "plan.xlsx"
    source.parent.mkdir()
    source.write_bytes(plan_workbook(year.area, 2017))
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    copy = (out / "plan.xlsx").read_bytes()
    book = load_workbook(io.BytesIO(copy))
    assert book.sheetnames == SHEETS
    assert any(v.type == "list" for v in book["Expenditure"].data_validations.dataValidation)
    reading = workbook_import.read(copy, user=year.personas.finance_a)
    assert reading.ok, reading.errors
    assert reading.changes == []


def test_long_lists_go_to_a_hidden_sheet_after_the_six(year):
    from tests.support import builders

    for n in range(12):
        builders.source(f"grant-{n}", f"Local improvement grant number {n}, revenue", paid_by="la", counts=False)
    book = load_workbook(io.BytesIO(plan_workbook(year.area, 2017)))
    assert book.sheetnames == [*SHEETS, "Lists"] and book["Lists"].sheet_state == "hidden"
    lists = {str(v.sqref): v.formula1 for v in book["Expenditure"].data_validations.dataValidation if v.type == "list"}
    assert lists["G2:G502"] == "'Lists'!$B$1:$B$14"  # the 14 sources of 2017/18, names with commas
    assert book["Lists"]["B2"].value == "Local improvement grant number 0, revenue"
    reading = workbook_import.read(plan_workbook(year.area, 2017), user=year.personas.finance_a)
    assert reading.ok and reading.changes == []
