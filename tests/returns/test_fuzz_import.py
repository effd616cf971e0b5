"""Property-based tests of the returns import: whatever the file, every error or everything applied.

Files are built from valid docs/formats.md section 1 rows, rows with one column made wrong (so we know
which row and column must be named), rows of junk, and whole files of random bytes, in CSV with
any BOM, delimiter, line end and encoding, or as small XLSX workbooks.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bcf_dashboard.core.models import ImportBatch, QuarterReturn, ValueChange
from bcf_dashboard.returns.parsing import COLUMNS, RowError, read_table, restore_note
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.returns.xlsx import UnreadableFile
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.fuzz_files import WRONG, broken_bytes, csv_text, returns_files, xlsx_content
from tests.support.fuzzing import ANY_TEXT, fingerprint, rolled_back
from tests.support.world import BROMLEY, csv_bytes

WRITTEN = (MetricValue, SchemeValue, ValueChange, ImportBatch)


@pytest.fixture
def stored(world):
    """Figures already saved, so that files update values as well as create them, and a closed quarter."""
    _load(
        [
            [BROMLEY, "2017-05", "NEA", "plan", "1260", "old note"],
            [BROMLEY, "2017-05", "spend:A1", "actual", "10", ""],
            [BROMLEY, "2017/18", "REA", "plan", "93.6", ""],
        ],
        user=world.personas.staff,
    )
    QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=4, state=QuarterReturn.State.APPROVED)
    return world


def _load(rows, user):
    result = import_returns(content=csv_bytes(rows), file_name="seed.csv", user=user)
    assert result.ok, result.errors


def _stored_value(row):
    measure = row["measure"].replace(" ", "").lower()
    if ":" in measure:
        name, ref = measure.split(":")
        found = SchemeValue.objects.get(
            scheme__ref=ref.upper(), measure=name, period__code=row["period"], kind=row["kind"].lower()
        )
    else:
        found = MetricValue.objects.get(
            metric__code=measure.upper(), period__code=row["period"], kind=row["kind"].lower(), area__code=BROMLEY
        )
    return found.value, found.note


def _check(result, before, rows=None, *, restored=True):
    """The properties every import must have, whatever the file; with ``rows``, each valid row's value is checked.

    ``restored``: the file was written as people type (a leading apostrophe is taken off a note on import).
    """
    after = fingerprint(*WRITTEN)
    if not result.ok:
        assert after == before, "a refused file wrote something"
        assert result.batch is None and not result.changes and not (result.created or result.updated)
        for error in result.errors:
            assert isinstance(error, RowError) and error.reason.strip()
            assert error.column in ("", *COLUMNS), error
            if rows is not None:
                assert error.row is None or 1 <= error.row <= len(rows) + 1, error
        return
    written = result.created + result.updated
    assert ValueChange.objects.filter(batch=result.batch).count() == written
    assert len(after[ImportBatch._meta.label]) == len(before[ImportBatch._meta.label]) + 1
    for cells, what in rows or []:
        if what == "valid":
            value, note = _stored_value(cells)
            assert value == _expected_number(cells), cells
            expected = restore_note(cells["note"]) if restored else cells["note"]
            assert _lines(note) == _lines(expected), cells


def _lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _expected_number(cells):
    text = cells["value"].strip().replace("£", "").replace("%", "").replace(",", "")
    return Decimal(text)


def _check_named(result, rows):
    """Each row made wrong in one column is refused with that row and that column."""
    named = {(error.row, error.column) for error in result.errors}
    number = 1
    for cells, what in rows:
        number += 1
        if what in WRONG:
            assert (number, what) in named, (number, what, cells, result.errors)


@given(file=returns_files(), form=st.sampled_from(["csv", "csv-bom", "csv-lf", "csv-cr", "xlsx"]))
def test_a_file_is_applied_whole_or_refused_with_every_wrong_row_named(stored, file, form):
    rows, header = file
    if form == "xlsx":
        content = xlsx_content(rows, header)
    else:
        text = csv_text(rows, header, line_end={"csv-lf": "\n", "csv-cr": "\r"}.get(form, "\r\n"))
        content = ("\ufeff" if form == "csv-bom" else "").encode() + text.encode("utf-8")
    with rolled_back():
        before = fingerprint(*WRITTEN)
        result = import_returns(
            content=content, file_name=f"fuzz.{form[:4]}", user=stored.personas.finance_a, area=stored.bromley
        )
        _check(result, before, rows, restored=form != "xlsx")
        kinds = {what for _, what in rows}
        if kinds == {"valid"}:
            assert result.ok, result.errors  # nothing wrong in the file: it must apply
        elif kinds & set(WRONG) and "junk" not in kinds:  # (junk may make the whole file unreadable)
            assert not result.ok
            _check_named(result, rows)


@given(
    file=returns_files(),
    encoding=st.sampled_from(["utf-16", "cp1252", "latin-1", "utf-8"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
)
def test_any_encoding_or_delimiter_is_read_or_refused_as_a_whole(stored, file, encoding, delimiter):
    rows, header = file
    text = csv_text(rows, header, delimiter=delimiter)
    content = text.encode(encoding, errors="replace")
    with rolled_back():
        before = fingerprint(*WRITTEN)
        result = import_returns(content=content, file_name="fuzz.csv", user=stored.personas.finance_a)
        _check(result, before)  # (a re-encoded note may differ from the one drawn: counts only)
        if delimiter != "," or encoding == "utf-16":
            assert not result.ok  # the header is not comma separated UTF-8: refused as a whole
            assert {error.row for error in result.errors} <= {None, 1}


@given(content=broken_bytes(), name=st.one_of(st.sampled_from(["r.csv", "r.xlsx", "r.xlsm", "r"]), ANY_TEXT))
def test_broken_files_never_raise_and_never_write(stored, content, name):
    with rolled_back():
        before = fingerprint(*WRITTEN)
        result = import_returns(content=content, file_name=name, user=stored.personas.finance_a, area=stored.bromley)
        _check(result, before)  # (a changed byte may leave a valid file: then it applied in full)


@given(content=broken_bytes(), name=st.sampled_from(["r.csv", "r.xlsx", ""]))
def test_reading_a_table_raises_only_unreadable_file(content, name):
    try:
        table = read_table(content, name)
    except UnreadableFile as refused:
        assert str(refused).strip()
    else:
        assert all(isinstance(number, int) and number > 1 for number, _ in table.rows)
