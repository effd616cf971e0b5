"""The import_returns and export_returns management commands: output and exit codes."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bcf_dashboard.core.models import ImportBatch
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.world import BROMLEY, SOUTHWARK, csv_bytes

ROWS = [
    [BROMLEY, "2017-04", "NEA", "plan", "1260", "=from the plan"],
    [BROMLEY, "2017-04", "spend:A1", "actual", "£1,000.50", ""],
]


def command(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def returns_file(tmp_path):
    def write(rows, name="returns.csv"):
        path = tmp_path / name
        path.write_bytes(csv_bytes(rows))
        return str(path)

    return write


def test_import_prints_the_counts(world, returns_file):
    out, err = command("import_returns", returns_file(ROWS))
    assert out.startswith("rows: 2, created: 2, updated: 0, unchanged: 0, left blank: 0 (import batch ")
    batch = ImportBatch.objects.get()
    assert batch.source == "command" and batch.file_name == "returns.csv" and batch.user is None
    assert MetricValue.objects.count() == 1 and SchemeValue.objects.count() == 1


def test_import_dry_run_writes_nothing(world, returns_file):
    out, _ = command("import_returns", returns_file(ROWS), "--dry-run")
    assert out == "rows: 2, created: 2, updated: 0, unchanged: 0, left blank: 0 (dry run: nothing was written)\n"
    assert not ImportBatch.objects.exists() and not MetricValue.objects.exists()


def test_import_counts_the_rows_left_blank(world, returns_file):
    out, _ = command("import_returns", returns_file(ROWS + [[BROMLEY, "2017-05", "NEA", "actual", "", "no data"]]))
    assert out.startswith("rows: 3, created: 2, updated: 0, unchanged: 0, left blank: 1 (import batch ")
    assert MetricValue.objects.count() == 1


def test_import_lists_every_error_and_fails(world, returns_file):
    path = returns_file(
        [[BROMLEY, "2017-04", "NEA", "plan", "£214,00", ""], ["E09000999", "2017-04", "NEA", "plan", "1", ""]]
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 errors in returns.csv: nothing was written"):
        call_command("import_returns", path, stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert lines[0].startswith("row 2, column value: '£214,00' is ambiguous")
    assert lines[1].startswith("row 3, column area_code: no area has the code 'E09000999'")
    assert not ImportBatch.objects.exists()


def test_import_as_a_user_is_limited_to_their_areas(world, returns_file):
    path = returns_file(ROWS + [[SOUTHWARK, "2017-04", "NEA", "plan", "1", ""]])
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error in"):
        call_command("import_returns", path, "--user", "finance_a", stdout=io.StringIO(), stderr=err)
    assert "row 4, column area_code: you may not change figures for Southwark" in err.getvalue()
    out, _ = command("import_returns", returns_file(ROWS), "--user", "finance_a")
    assert "created: 2" in out and ImportBatch.objects.get().user == world.personas.finance_a


def test_import_refuses_an_unknown_user_or_missing_file(world, returns_file, tmp_path):
    with pytest.raises(CommandError, match="no user is called 'nobody'"):
        command("import_returns", returns_file(ROWS), "--user", "nobody")
    with pytest.raises(CommandError, match="cannot read"):
        command("import_returns", str(tmp_path / "missing.csv"))


def test_import_of_garbage_is_one_file_error(world, tmp_path):
    path = tmp_path / "garbage.csv"
    path.write_bytes(bytes(range(256)) * 100)
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_returns", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().startswith("file: this is not a CSV or XLSX file")


def test_import_prints_warnings(world, tmp_path):
    path = tmp_path / "extra.csv"
    path.write_bytes(
        csv_bytes([ROWS[0] + ["x"]], header=["area_code", "period", "measure", "kind", "value", "note", "owner"])
    )
    out, err = command("import_returns", str(path))
    assert "warning: column 'owner' is not part of the returns format and was ignored" in err
    assert "created: 1" in out


def test_export_writes_csv_to_stdout_and_accepts_both_year_forms(world, returns_file):
    command("import_returns", returns_file(ROWS))
    out, _ = command("export_returns", BROMLEY, "2017")
    assert out.splitlines() == [
        "area_code,period,measure,kind,value,note",
        f"{BROMLEY},2017-04,NEA,plan,1260,'=from the plan",
        f"{BROMLEY},2017-04,spend:A1,actual,1000.50,",
    ]
    assert command("export_returns", BROMLEY.lower(), "2017/18")[0] == out


@pytest.mark.parametrize("fmt, name", [("csv", "out.csv"), ("xlsx", "out.xlsx")])
def test_export_to_a_file_then_import_is_a_no_op(world, returns_file, tmp_path, fmt, name):
    command("import_returns", returns_file(ROWS))
    target = tmp_path / name
    _, err = command("export_returns", BROMLEY, "2017/18", "--format", fmt, "--output", str(target))
    assert err == f"2 rows written to {target}\n"
    out, _ = command("import_returns", str(target))
    assert out.startswith("rows: 2, created: 0, updated: 0, unchanged: 2")


@pytest.mark.parametrize(
    "args, says",
    [
        (["E09000999", "2017"], "no area has the code"),
        ([BROMLEY, "17/18"], "not a financial year"),
        ([BROMLEY, "2017", "--format", "xlsx"], "give --output FILE"),
    ],
)
def test_export_refuses_bad_arguments(world, args, says):
    with pytest.raises(CommandError, match=says):
        command("export_returns", *args)


def test_the_command_exits_non_zero_on_errors(tmp_path):
    """Run as an operator would, in a real process: exit code 1 and the errors on stderr.

    A header error is found before any query, so the real database is never touched.
    """
    path = tmp_path / "bad.csv"
    path.write_bytes(b"area_code,period\n")
    manage = Path(__file__).resolve().parents[2] / "manage.py"
    done = subprocess.run(
        [sys.executable, str(manage), "import_returns", str(path), "--dry-run"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "row 1, column measure: the required column 'measure' is missing" in done.stderr


def test_import_revises_an_agreed_plan_only_with_a_reason(world, returns_file):
    from bcf_dashboard.core.models import AreaYearPlan

    command("import_returns", returns_file(ROWS[:1]))
    AreaYearPlan.objects.create(area=world.bromley, financial_year=2017, agreed=True)
    revised = returns_file([[BROMLEY, "2017-04", "NEA", "plan", "1270", ""]], name="revised.csv")
    with pytest.raises(CommandError, match="1 error in revised.csv"):
        command("import_returns", revised)
    command("import_returns", revised, "--reason", "Board re-profile, 3 July")
    assert ImportBatch.objects.latest("id").reason == "Board re-profile, 3 July"
    assert MetricValue.objects.get().value == 1270


def test_the_command_refuses_an_xlsx_bomb_before_opening_it(world, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_returns", str(path), stderr=err)
    assert "zip bomb" in err.getvalue()


def test_import_lists_the_first_errors_and_counts_the_rest(world, tmp_path):
    from bcf_dashboard.returns.parsing import ERROR_LIMIT

    path = tmp_path / "junk.csv"
    path.write_bytes(csv_bytes([[BROMLEY, "2017-04", "NEA", "plan", f"x{n}", ""] for n in range(1000)]))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1,000 errors in junk.csv: nothing was written"):
        call_command("import_returns", str(path), stdout=io.StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == ERROR_LIMIT + 1
    assert lines[0].startswith("row 2, column value:")
    assert lines[-1] == f"and {1000 - ERROR_LIMIT:,} more errors (only the first {ERROR_LIMIT} are listed)"


def test_import_of_a_file_left_all_blank_writes_nothing_and_says_so(world, returns_file):
    out, _ = command("import_returns", returns_file([[BROMLEY, "2017-05", "NEA", "actual", "", ""]]))
    assert out.startswith("rows: 1, created: 0, updated: 0, unchanged: 0, left blank: 1 (import batch ")
    assert not MetricValue.objects.exists()


def test_a_large_file_is_applied_in_chunks_with_its_progress(world, tmp_path, settings, capsys, monkeypatch):
    from bcf_dashboard.returns import collation

    settings.BCF_BACKGROUND_UPLOAD_BYTES = 10
    monkeypatch.setattr(collation, "CHUNK_ROWS", 4)
    rows = [[BROMLEY, f"2017-{month:02d}", "spend:A1", "actual", f"{month}00", ""] for month in range(4, 10)]
    path = tmp_path / "national.csv"
    path.write_bytes(csv_bytes(rows))
    call_command("import_returns", str(path))
    out, err = capsys.readouterr()
    assert "rows: 6, created: 6, updated: 0" in out
    assert [line.split(" rows")[0] for line in err.splitlines()] == ["4 of 6", "6 of 6"]
    assert SchemeValue.objects.filter(kind="actual").count() == 6
