"""import_in_chunks: a large file checked and applied a chunk at a time, by exactly import_returns' rules.

Every test of import_returns (test_services) runs again here through import_in_chunks with chunks of
two rows, so a rule that held only within a chunk (a value given twice in different chunks, an error
list across chunks, the headline moved by a whole file's spend) fails here.
"""

import threading
from decimal import Decimal

import pytest

from bcf_dashboard.core.models import Period, ValueChange
from bcf_dashboard.returns import collation, csv_reading
from bcf_dashboard.returns.services import import_returns
from schemes.models import SchemeValue
from tests.returns import test_services
from tests.returns.test_services import *  # noqa: F403  (every import_returns test, run again below)
from tests.returns.test_services import GOOD, nothing_written, run
from tests.support.world import BROMLEY, HEADER, SOUTHWARK, csv_bytes, xlsx_bytes


def in_chunks_of_two(**kwargs):
    return collation.import_in_chunks(chunk_rows=2, **kwargs)


@pytest.fixture(autouse=True)
def chunked(monkeypatch):
    monkeypatch.setattr(test_services, "import_returns", in_chunks_of_two)


# The two tests above that read the planned changes one by one: import_in_chunks counts them instead.


def test_a_note_only_change_is_an_update(world):
    run(GOOD[:1])
    result = run([[BROMLEY, "2017-04", "NEA", "plan", "1260", "new note"]])
    assert (result.created, result.updated) == (0, 1) and result.changes == []
    change = ValueChange.objects.get(batch=result.batch)
    assert change.old_value == change.new_value == Decimal("1260") and change.new_note == "new note"


def test_dry_run_plans_but_writes_nothing(world):
    periods_before = Period.objects.count()
    result = run(GOOD + [[BROMLEY, "2018-04", "NEA", "plan", "1", ""]], dry_run=True)
    assert result.ok and result.dry_run and result.batch is None
    assert (result.rows, result.created, result.updated) == (9, 9, 0) and result.changes == []
    assert nothing_written() and Period.objects.count() == periods_before


# --- what only a file read in chunks needs -------------------------------------------------------

MONTHS = [f"2017-{month:02d}" for month in range(4, 13)] + [f"2018-{month:02d}" for month in range(1, 4)]


def every_spend_row(area_code=BROMLEY, ref="A1", kind="plan"):
    return [[area_code, month, f"spend:{ref}", kind, f"{100 + number}.25", ""] for number, month in enumerate(MONTHS)]


def test_a_value_given_twice_chunks_apart_is_an_error_naming_the_first_row(world):
    rows = every_spend_row() + every_spend_row(SOUTHWARK, "B1") + [every_spend_row()[0]]
    result = in_chunks_of_two(content=csv_bytes(rows), file_name="returns.csv")
    assert [(e.row, e.column) for e in result.errors] == [(26, "")]
    assert "row 2 already gives this area, period, measure and kind" in result.errors[0].reason
    assert nothing_written()


def test_progress_is_told_after_every_chunk_up_to_every_row(world):
    told = []
    rows = every_spend_row() + every_spend_row(SOUTHWARK, "B1")
    result = collation.import_in_chunks(
        content=csv_bytes(rows), file_name="returns.csv", chunk_rows=5, progress=lambda done, total: told.append(done)
    )
    assert result.ok and result.created == 24
    assert told == [5, 10, 15, 20, 24]


def test_a_file_applied_in_chunks_writes_what_the_whole_file_would(world):
    rows = every_spend_row() + every_spend_row(kind="actual")[:6] + every_spend_row(SOUTHWARK, "B1")
    whole = import_returns(content=csv_bytes(rows), file_name="whole.csv")
    stored = sorted(SchemeValue.objects.values_list("scheme_id", "period_id", "measure", "kind", "value", "note"))
    audit = sorted(ValueChange.objects.values_list("area_id", "period_id", "measure", "kind", "new_value"))
    SchemeValue.objects.all().delete()
    ValueChange.objects.all().delete()
    chunked = collation.import_in_chunks(content=csv_bytes(rows), file_name="chunks.csv", chunk_rows=7)
    assert (chunked.rows, chunked.created, chunked.updated) == (whole.rows, whole.created, whole.updated) == (30, 30, 0)
    assert sorted(SchemeValue.objects.values_list("scheme_id", "period_id", "measure", "kind", "value", "note")) == (
        stored
    )
    assert sorted(ValueChange.objects.values_list("area_id", "period_id", "measure", "kind", "new_value")) == audit
    assert chunked.batch.rows == 30 and chunked.batch.created == 30


def test_a_workbook_is_read_whole_and_checked_in_chunks(world):
    rows = every_spend_row() + [[BROMLEY, "2017-04", "spend:A9", "plan", "5", ""]]
    result = collation.import_in_chunks(content=xlsx_bytes(rows), file_name="returns.xlsx", chunk_rows=4)
    assert [(e.row, e.column) for e in result.errors] == [(14, "measure")]
    assert result.rows == 13 and nothing_written()


def test_a_header_problem_is_reported_with_every_row_counted(world):
    rows = [row[:4] for row in every_spend_row()]
    result = in_chunks_of_two(content=csv_bytes(rows, header=HEADER[:4]), file_name="returns.csv")
    assert [(e.row, e.column) for e in result.errors] == [(1, "value")] and result.rows == 12


def test_an_area_the_first_look_missed_is_still_looked_up(world):
    """The quick first look reads a quote left open differently from the strict reading: a row it
    folded into a note is still checked against its own area."""
    content = (
        csv_bytes(every_spend_row()[:1])
        + b'E09000006,2017-05,spend:A1,plan,1,"open\nE09000028,2017-05,spend:B1,plan,7,\n'
    )
    codes, _, _ = csv_reading.csv_names(content)
    assert SOUTHWARK not in codes
    result = in_chunks_of_two(content=content, file_name="returns.csv")
    assert [(e.row, e.column) for e in result.errors] == [(3, "")]  # the quote, and nothing about Southwark


def test_each_chunk_is_written_by_the_writer_thread_inside_the_one_transaction(world, monkeypatch):
    from django.db import connection

    seen = []
    real = collation.write_values

    def watched(writes, batch, user):
        seen.append((threading.current_thread() is not threading.main_thread(), connection.in_atomic_block))
        return real(writes, batch, user)

    monkeypatch.setattr(collation, "write_values", watched)
    result = collation.import_in_chunks(content=csv_bytes(every_spend_row()), file_name="r.csv", chunk_rows=5)
    assert result.ok and result.created == 12
    assert seen == [(True, True)] * 3


def test_a_write_that_fails_in_the_writer_thread_rolls_every_chunk_back(world, monkeypatch):
    real, calls = collation.write_values, []

    def fails_second_time(writes, batch, user):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return real(writes, batch, user)

    monkeypatch.setattr(collation, "write_values", fails_second_time)
    with pytest.raises(RuntimeError, match="went away"):
        collation.import_in_chunks(content=csv_bytes(every_spend_row()), file_name="r.csv", chunk_rows=5)
    assert nothing_written()
