"""apply_table's guards: values read inside the write transaction, conflicts, agreed plans, one area only."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bcf_dashboard.core.models import AreaYearPlan, ImportBatch, QuarterReturn, ValueChange
from bcf_dashboard.returns import services
from bcf_dashboard.returns.services import import_returns
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.world import BROMLEY, SOUTHWARK, csv_bytes

NEA_APRIL = [BROMLEY, "2017-04", "NEA", "actual", "1250", ""]


def run(rows, **kwargs):
    kwargs.setdefault("file_name", "returns.csv")
    return import_returns(content=csv_bytes(rows), **kwargs)


def test_the_replaced_value_is_read_inside_the_write_transaction(world, monkeypatch):
    """Someone saves between the checks and the write: the audit keeps what was really replaced."""
    assert run([NEA_APRIL]).ok
    real_read = services._read_state
    calls = []

    def read_state(lookups, guards, rows):
        calls.append(connection.in_atomic_block)
        if len(calls) == 1:  # the write transaction's own read: change the value just before it
            MetricValue.objects.filter(kind="actual").update(value=Decimal("1255"))
        return real_read(lookups, guards, rows)

    monkeypatch.setattr(services, "_read_state", read_state)
    result = run([[BROMLEY, "2017-04", "NEA", "actual", "1260", ""]])
    assert result.ok and calls == [True]
    change = ValueChange.objects.get(batch=result.batch)
    assert (change.old_value, change.new_value) == (Decimal("1255"), Decimal("1260"))


def test_the_areas_are_locked_before_the_stored_values_are_read(world):
    with CaptureQueriesContext(connection) as captured:
        assert run([NEA_APRIL, [SOUTHWARK, "2017-04", "NEA", "actual", "900", ""]]).ok
    sql = [q["sql"] for q in captured.captured_queries]
    lock = next(
        i
        for i, q in enumerate(sql)
        if 'FROM "bcf_dashboard_area"' in q and "ORDER BY" in q and '"id" IN' in q.replace('bcf_dashboard_area".', "")
    )
    batch = next(i for i, q in enumerate(sql) if q.startswith('INSERT INTO "bcf_dashboard_importbatch"'))
    values = next(i for i, q in enumerate(sql) if 'FROM "metrics_metricvalue"' in q and i > batch)
    assert batch < lock < values
    if connection.vendor == "postgresql":
        assert sql[lock].rstrip().endswith("FOR UPDATE")


def test_a_value_changed_after_the_preview_is_refused_and_named(world):
    assert run([NEA_APRIL], user=world.personas.finance_a).ok
    previewed = timezone.now() - datetime.timedelta(minutes=5)
    result = run(
        [[BROMLEY, "2017-04", "NEA", "actual", "1300", ""]], user=world.personas.staff, changed_since=previewed
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "value")]
    assert "finance_a set it to 1250" in result.errors[0].reason
    assert MetricValue.objects.get().value == Decimal("1250") and result.batch is None
    assert ImportBatch.objects.count() == 1


def test_a_row_that_changes_nothing_is_no_conflict(world):
    assert run([NEA_APRIL]).ok
    result = run([NEA_APRIL], changed_since=timezone.now() - datetime.timedelta(hours=1))
    assert result.ok and result.unchanged == 1


def test_expected_values_refuse_a_figure_changed_since_the_form_was_opened(world):
    assert run([NEA_APRIL], user=world.personas.finance_a).ok
    expected = {(BROMLEY, "2017-04", "NEA", "actual"): None}  # the form showed no value
    table_rows = [[BROMLEY, "2017-04", "NEA", "actual", "1300"]]
    from bcf_dashboard.returns.parsing import COLUMNS, Table

    table = Table(columns={n: i for i, n in enumerate(COLUMNS[:5])}, rows=[(2, table_rows[0])])
    result = services.apply_table(
        table,
        services.ImportResult(file_name="form", rows=1),
        user=world.personas.staff,
        source=ImportBatch.Source.FORM,
        expected=expected,
    )
    assert not result.ok and "set it to 1250" in result.errors[0].reason
    assert MetricValue.objects.get().value == Decimal("1250")
    expected[(BROMLEY, "2017-04", "NEA", "actual")] = Decimal("1250")
    result = services.apply_table(
        table,
        services.ImportResult(file_name="form", rows=1),
        user=world.personas.staff,
        source=ImportBatch.Source.FORM,
        expected=expected,
    )
    assert result.ok and MetricValue.objects.get().value == Decimal("1300")
    assert result.batch.source == "form"


def test_an_agreed_plan_changes_only_with_a_reason(world):
    plan_row = [BROMLEY, "2017-04", "spend:A1", "plan", "100.00", ""]
    assert run([plan_row]).ok
    AreaYearPlan.objects.create(
        area=world.bromley,
        financial_year=2017,
        agreed=True,
        agreed_by=world.personas.approver_a,
        agreed_at=timezone.now(),
    )
    assert run([plan_row]).ok  # the same figure again is no change: an export re-imported stays a no-op
    revised = [BROMLEY, "2017-04", "spend:A1", "plan", "120.00", ""]
    refused = run([revised, NEA_APRIL], user=world.personas.finance_a)
    assert [(e.row, e.column) for e in refused.errors] == [(2, "value")]
    assert "plan for Bromley was agreed" in refused.errors[0].reason and "approver_a" in refused.errors[0].reason
    assert SchemeValue.objects.get().value == Decimal("100.00") and not MetricValue.objects.exists()
    done = run([revised], user=world.personas.finance_a, reason="  Re-profiled at the July board  ")
    assert done.ok and done.batch.reason == "Re-profiled at the July board"
    assert ValueChange.objects.get(batch=done.batch).old_value == Decimal("100.00")
    assert run([NEA_APRIL], user=world.personas.finance_a).ok  # actuals need no reason


def test_errors_of_the_whole_file_are_listed_together_in_row_order(world):
    AreaYearPlan.objects.create(area=world.bromley, financial_year=2017, agreed=True)
    run([[BROMLEY, "2017-04", "NEA", "plan", "1", ""]], reason="first plan")
    result = run(
        [
            ["E09000999", "2017-04", "NEA", "plan", "1", ""],
            [BROMLEY, "2017-04", "NEA", "plan", "2", ""],
            [BROMLEY, "2017-05", "NEA", "plan", "x", ""],
        ]
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "area_code"), (3, "value"), (4, "value")]


def test_an_area_page_upload_takes_that_area_only(world):
    result = run(
        [NEA_APRIL, [SOUTHWARK, "2017-04", "NEA", "actual", "1", ""]], user=world.personas.staff, area=world.bromley
    )
    assert [(e.row, e.column) for e in result.errors] == [(3, "area_code")]
    assert "this upload is for Bromley (E09000006) only" in result.errors[0].reason
    assert not MetricValue.objects.exists()


def test_a_quarter_closed_between_the_checks_and_the_write_is_refused(world, monkeypatch):
    real_read = services._read_state

    def read_state(lookups, guards, rows):
        if connection.in_atomic_block:
            QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=1, state="approved")
        return real_read(lookups, guards, rows)

    monkeypatch.setattr(services, "_read_state", read_state)
    result = run([NEA_APRIL])
    assert "Q1 2017/18 is approved" in result.errors[0].reason
    assert not MetricValue.objects.exists() and not ImportBatch.objects.exists()
    assert QuarterReturn.objects.exists() is False  # rolled back with the rest


@pytest.mark.parametrize("kind", ["plan", "actual"])
def test_the_form_source_and_reason_are_kept_on_the_batch(world, kind):
    result = run([[BROMLEY, "2017-04", "NEA", kind, "5", ""]], source=ImportBatch.Source.FORM, reason="why")
    assert result.batch.source == "form" and result.batch.reason == "why"


def test_the_re_read_before_writing_goes_to_the_primary_and_the_pin_is_released(world, monkeypatch):
    from bcf_dashboard.core import db_routers

    real_read = services._read_state
    pinned = []

    def read_state(lookups, guards, rows):
        pinned.append(db_routers._pinned.get())
        return real_read(lookups, guards, rows)

    monkeypatch.setattr(services, "_read_state", read_state)
    assert run([NEA_APRIL]).ok
    assert pinned == [True]  # with a read replica, the write path's reads are the primary's
    assert db_routers._pinned.get() is False
