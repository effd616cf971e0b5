"""One scheme's figures without the rest of its area (the scheme page) against the whole area-year's."""

import dataclasses
from decimal import Decimal

import pytest

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Period
from schemes.models import SchemeValue
from schemes.selectors import scheme_spend, spend_summaries
from schemes.spend import SchemeSpend
from tests.support import builders as b
from tests.support.dashboard_data import YEAR, fill_area

pytestmark = pytest.mark.django_db

COMPARED = [f.name for f in dataclasses.fields(SchemeSpend) if f.name not in ("scheme", "scheme_year")]


def _figures(item):
    return {name: getattr(item, name) for name in COMPARED} | {"budget": item.budget, "scheme": item.scheme.id}


@pytest.fixture
def area():
    the_area = fill_area(b.area(), schemes=7)
    # A scheme with a budget but no actuals: every month to the area's last month is missing, not zero.
    b.scheme(the_area, "QUIET", YEAR, "24000", plan=[2000] * 12)
    # Actual spend on a scheme with no budget this year does not move the area's last month.
    old = b.scheme(the_area, "OLD", YEAR - 1, "1000")
    SchemeValue.objects.create(
        scheme=old,
        period=Period.objects.get(code=periods.month(YEAR, 11).code),
        measure="spend",
        kind="actual",
        value=Decimal(5),
    )
    return the_area


def test_each_scheme_has_exactly_the_area_year_summarys_figures(area):
    summary = spend_summaries([area.id], YEAR)[area.id]
    assert summary.as_of.number == 6  # the longest run of actual spend among budgeted schemes
    for expected in summary.schemes:
        item, as_of = scheme_spend(area, expected.scheme, YEAR)
        assert as_of == summary.as_of
        assert _figures(item) == _figures(expected), expected.scheme.ref


def test_a_scheme_without_actuals_is_missing_to_the_areas_last_month_not_zero(area):
    item, as_of = scheme_spend(area, area.schemes.get(ref="QUIET"), YEAR)
    assert as_of.number == 6 and item.as_of is None
    assert item.missing_months == [1, 2, 3, 4, 5, 6]
    assert item.plan_ytd is None and item.actual_ytd is None and item.status == "no_data"
    assert item.forecast_outturn == Decimal(24000)  # nothing reported: the plan for every month


def test_a_scheme_without_a_budget_that_year_has_no_figures_but_the_areas_month(area):
    item, as_of = scheme_spend(area, area.schemes.get(ref="OLD"), YEAR)
    assert item is None and as_of.number == 6


def test_it_takes_three_queries_whatever_the_areas_size(area, django_assert_num_queries):
    scheme = area.schemes.get(ref="S1")
    with django_assert_num_queries(3):
        scheme_spend(area, scheme, YEAR)
    fill_area(b.area("E09000020", "Kensington and Chelsea"), schemes=30)
    with django_assert_num_queries(3):
        scheme_spend(area, scheme, YEAR)


def _value_queries(captured):
    return [q["sql"] for q in captured if 'FROM "schemes_schemevalue"' in q["sql"]]


def test_the_area_years_values_are_read_by_scheme_and_the_years_months_only(area, django_assert_num_queries):
    """So the values' unique index (scheme, period, measure, kind) finds exactly the area's rows for the year:
    a big area's cost grows with its own data, not the table's (PostgreSQL scanned the whole table for an
    area of 200 schemes when the rows were found through a join on the area)."""
    scheme = area.schemes.get(ref="S1")
    with django_assert_num_queries(4) as captured:
        spend_summaries([area.id], YEAR)
    with django_assert_num_queries(3) as captured_one:
        scheme_spend(area, scheme, YEAR)
    for sql in _value_queries(captured) + _value_queries(captured_one):
        # The year's months, and their lowest and highest ids: each scheme's year is one range of the index.
        column = '"schemes_schemevalue"."period_id"'
        if 'AS "period__number"' in sql:  # the months of values: each scheme's year as one range of ids
            assert f"{column} >= (SELECT" in sql and f"{column} <= (SELECT" in sql, sql
        else:  # the area's last month of spend, an aggregate
            assert f"{column} IN (SELECT" in sql, sql
        assert '"schemes_schemevalue"."scheme_id" IN (' in sql or '"schemes_schemevalue"."scheme_id" = ' in sql, sql
        assert 'INNER JOIN "schemes_scheme"' not in sql.split(" WHERE ")[0], sql  # not through a join on the area
    assert len(_value_queries(captured) + _value_queries(captured_one)) == 3


def test_the_query_count_does_not_grow_with_the_areas_schemes(area, django_assert_num_queries):
    bigger = fill_area(b.area(code="E09000099", name="Bigger"), schemes=30)
    for each in (area, bigger):
        scheme = each.schemes.get(ref="S1")
        with django_assert_num_queries(4):  # schemes, their funding sources, budgets, values
            spend_summaries([each.id], YEAR)
        with django_assert_num_queries(3):
            scheme_spend(each, scheme, YEAR)


def test_an_area_without_schemes_that_year_reads_no_values(django_assert_num_queries):
    empty = b.area(code="E09000098", name="Empty")
    with django_assert_num_queries(2):
        summary = spend_summaries([empty.id], YEAR)[empty.id]
    assert summary.schemes == []
