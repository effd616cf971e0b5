"""Returns files read strictly: rows split by a comma, quotes left open, values left blank, actuals for periods
not yet ended and out-of-range periods are row errors, and nothing is written."""

from decimal import Decimal

import pytest

from bcf_dashboard.core.models import ValueChange
from bcf_dashboard.returns.services import import_returns
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.returns.test_services import GOOD, errors_of, nothing_written, run
from tests.support.world import BROMLEY


def test_a_row_split_by_a_comma_is_an_error_and_nothing_is_written(world):
    content = (
        "area_code,period,measure,kind,value,note\n"
        f"{BROMLEY},2017-04,NEA,plan,1260,\n"
        f"{BROMLEY},2017-04,spend:A1,actual,£214,00,\n"
        f"{BROMLEY},2017-04,spend:A1,plan,214.00,Paid, invoice pending\n"
    ).encode()
    result = import_returns(content=content, file_name="returns.csv")
    assert errors_of(result) == [(3, ""), (4, "")]
    assert all("7 cells but the header has 6" in e.reason for e in result.errors)
    assert result.rows == 3
    assert nothing_written()


def test_a_quote_left_open_is_an_error_at_its_row_and_nothing_is_written(world):
    content = (
        "area_code,period,measure,kind,value,note\n"
        f'{BROMLEY},2017-04,NEA,plan,1260,"from the plan\n'
        f"{BROMLEY},2017-05,NEA,plan,1270,\n"
    ).encode()
    result = import_returns(content=content, file_name="returns.csv")
    assert errors_of(result) == [(2, "")]
    assert "not closed" in result.errors[0].reason
    assert nothing_written()


def test_a_row_left_blank_writes_nothing_and_is_counted(world):
    run([GOOD[0]])
    result = run(
        [
            [BROMLEY, "2017-04", "NEA", "plan", "", "no figure yet"],
            [BROMLEY, "2017-05", "spend:A1", "actual", "  ", ""],
            [BROMLEY, "2017-04", "NEA", "actual", "1250", ""],
        ]
    )
    assert result.ok, result.errors
    assert (result.rows, result.created, result.updated, result.unchanged, result.blank) == (3, 1, 0, 0, 2)
    assert MetricValue.objects.get(kind="plan").value == Decimal("1260")  # never a zero
    assert not SchemeValue.objects.exists()
    assert ValueChange.objects.filter(batch=result.batch).count() == 1


@pytest.mark.parametrize(
    "row, where",
    [
        ([BROMLEY, "2017-04", "spend:Z9", "actual", "", ""], (2, "measure")),
        (["E09000999", "2017-04", "NEA", "plan", "", ""], (2, "area_code")),
        ([BROMLEY, "2017-04", "NEA", "forecast", "", ""], (2, "kind")),
        ([BROMLEY, "April", "NEA", "plan", "", ""], (2, "period")),
    ],
)
def test_every_other_column_of_a_row_left_blank_is_still_checked(world, row, where):
    result = run([row])
    assert errors_of(result) == [where]
    assert result.blank == 0 and nothing_written()


@pytest.fixture
def today_is_15_may_2017(monkeypatch):
    import datetime

    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2017, 5, 15))


@pytest.mark.parametrize("period", ["2071-04", "2017-05", "2017-06", "2017/18-Q1", "2017/18"])
def test_an_actual_for_a_period_not_yet_ended_is_an_error(world, today_is_15_may_2017, period):
    result = run([[BROMLEY, "2017-04", "NEA", "actual", "1250", ""], [BROMLEY, period, "DTOC", "actual", "1", ""]])
    assert errors_of(result) == [(3, "period")], result.errors
    assert "has not ended yet" in result.errors[0].reason and "plan" in result.errors[0].reason
    assert nothing_written()


def test_a_typed_2071_for_2017_is_refused_on_todays_date(world):
    result = run([[BROMLEY, "2071-04", "NEA", "actual", "1250", ""]])
    assert errors_of(result) == [(2, "period")]
    assert "Apr 2071 has not ended yet" in result.errors[0].reason


def test_plans_may_lie_ahead_and_actuals_of_ended_months_apply(world, today_is_15_may_2017):
    result = run(
        [
            [BROMLEY, "2017-04", "NEA", "actual", "1250", ""],
            [BROMLEY, "2017-06", "NEA", "plan", "1260", ""],
            [BROMLEY, "2017/18", "DTOC", "plan", "265.6", ""],
            [BROMLEY, "2017-05", "spend:A1", "plan", "100", ""],
        ]
    )
    assert result.ok, result.errors
    assert result.created == 4


@pytest.mark.parametrize(
    "period, says",
    [
        ("0000-04", "not a real month"),
        ("9999-04", "outside the financial years"),
        ("9999-12", "outside the financial years"),
        ("0001-01", "outside the financial years"),
        ("2017-13", "no month 13"),
        ("2017-00", "no month 0"),
        ("9999/00", "outside the financial years"),
        ("9999/00-Q1", "outside the financial years"),
        ("2017/18-Q9", "quarter 9"),
    ],
)
def test_out_of_range_period_parts_are_row_errors_not_exceptions(world, period, says):
    for kind in ("plan", "actual"):
        result = run([[BROMLEY, period, "NEA", kind, "1", ""]])
        assert errors_of(result) == [(2, "period")], result.errors
        assert says in result.errors[0].reason
    assert nothing_written()


def test_a_file_whose_every_value_is_left_blank_applies_as_a_batch_that_writes_nothing(world):
    result = run([[BROMLEY, "2017-04", "NEA", "plan", "", ""], [BROMLEY, "2017-04", "spend:A1", "actual", "", ""]])
    assert result.ok and result.batch is not None
    assert (result.created, result.updated, result.unchanged, result.blank) == (0, 0, 0, 2)
    assert not MetricValue.objects.exists() and not SchemeValue.objects.exists()
    assert not ValueChange.objects.exists()
