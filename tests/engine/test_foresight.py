"""Foresight in the summary document (FORMATS.md section 2, "Foresight"): projections on the demo data
and on hand-built areas, the risk share at the year-end, and what each pound of Bromley's Figure 10
schemes buys."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Area
from bcf_dashboard.demo import bromley
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import area_year_summary
from metrics.models import MetricValue
from tests.support import builders as b

BROMLEY = "E09000006"
# A winter-peaking year of emergency admissions, Apr..Mar.
WINTER = [2000, 1950, 1900, 1900, 1850, 1950, 2150, 2250, 2400, 2500, 2300, 2250]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return Area.objects.get(code=BROMLEY)


def document(area, year=2016, through=12):
    return summary_document(area_year_summary(area, year, through=through))


def metric(doc, code):
    return next(m for m in doc["metrics"] if m["code"] == code)


def nea_months(kind):
    values = MetricValue.objects.filter(
        area__code=BROMLEY, metric__code="NEA", kind=kind, period__kind="month", period__financial_year=2016
    ).values_list("period__number", "value")
    return [v for _, v in sorted(values)]


def test_bromley_projection_after_six_months_follows_the_monthly_plan(demo):
    nea = metric(document(demo, through=6), "NEA")
    projection = nea["projection"]
    plan, actual = nea_months("plan"), nea_months("actual")
    # The plan method by hand: April-September's actuals, then each month to come its plan times
    # the ratio of actuals to plan over April-September.
    ratio = sum(actual[:6]) / sum(plan[:6])
    expected = sum(actual[:6]) + ratio * sum(plan[6:])
    assert projection["year_end"] == int(expected.quantize(D(1)))
    assert (projection["plan_year"], projection["months_of_actuals"]) == (25758, 6)
    assert projection["variance_pct"] == float(((expected - 25758) / 25758 * 100).quantize(D("0.01")))
    assert projection["method"].startswith(
        "Months to come follow this year's monthly plan, scaled by this year's 6 months of actuals against it ("
    )
    # Admissions ran about 1% above plan: within the 2% tolerance, the year-end is at risk.
    assert projection["status"] == "at_risk"
    assert projection["low"] < projection["year_end"] < projection["high"]
    assert projection["range_basis"] == "demo_backtest"
    assert projection["first_missed"] == "2016-06"  # the projection from April-June already missed


def test_no_projection_before_three_months_of_actuals(demo):
    two = document(demo, through=2)
    assert all(m["projection"] is None for m in two["metrics"])
    assert two["risk_share"]["projection"] is None
    three = document(demo, through=3)
    assert metric(three, "NEA")["projection"]["months_of_actuals"] == 3
    # REA has one actual (March) and the long-term-conditions survey one (July): never three.
    full = document(demo)
    assert metric(full, "REA")["projection"] is None
    assert metric(full, "BROMLEY-LTC-SUPPORTED")["projection"] is None


def test_a_complete_year_projects_its_own_actual(demo):
    nea = metric(document(demo), "NEA")
    assert nea["projection"]["year_end"] == nea["actual_ytd"] == 26088
    assert nea["projection"]["method"] == "All twelve months have actuals: the year-end is the year's actual."
    # A rate's year-end is the mean of its months, to two places: DTOC 277.0 against 265.6 is 4.29% worse.
    dtoc = metric(document(demo), "DTOC")["projection"]
    assert (dtoc["year_end"], dtoc["variance_pct"], dtoc["status"]) == (277.0, 4.29, "not_on_track")


def test_bromley_risk_share_projection_worked_by_hand(demo):
    # The whole year's 26,088 admissions against the plan's 25,758: 330 excess, each at
    # £2,306,227 / 825: 330 x 2,306,227 / 825 = 761,054,910 / 825 = £922,490.80, met from the
    # £1,323,000 contingency, which keeps £400,509.20 and never runs out.
    risk = document(demo)["risk_share"]["projection"]
    assert risk == {
        "excess_admissions_year_end": 330,
        "contingency_drawn_year_end": "922490.80",
        "contingency_runs_out": None,
        "uncovered_cost_year_end": "0.00",
        "excess_cost_year_end": "922490.80",
        "contingency_remaining_year_end": "400509.20",
        "uncovered_by_partner_year_end": [{"partner": "NHS Bromley CCG", "share_pct": 100.0, "amount": "0.00"}],
    }


def test_bromley_risk_share_projection_runs_out_in_november(demo):
    # Every month 60 admissions over plan: 720 excess, 720 x 2,306,227 / 825 = £2,012,707.20; the
    # contingency covers 1,323,000 / 2,795.43 = 473.3 admissions, so it runs out when the running
    # excess passes that: 420 by October, 480 by November. Uncovered £689,707.20, all the CCG's.
    plan = nea_months("plan")
    for n, planned in enumerate(plan, start=1):
        MetricValue.objects.filter(
            area__code=BROMLEY, metric__code="NEA", kind="actual", period__code=periods.month(2016, n).code
        ).update(value=planned + 60)
    risk = document(demo)["risk_share"]["projection"]
    assert risk["excess_admissions_year_end"] == 720
    assert risk["contingency_drawn_year_end"] == "1323000.00"
    assert risk["contingency_runs_out"] == "2016-11"
    assert risk["uncovered_cost_year_end"] == "689707.20"
    assert risk["uncovered_by_partner_year_end"][0]["amount"] == "689707.20"


def test_no_risk_share_projection_without_terms_or_nea_projection(demo):
    westminster = Area.objects.get(code="E09000033")
    assert document(westminster, 2017)["risk_share"]["projection"] is None  # no risk share terms
    southwark = Area.objects.get(code="E09000028")
    assert document(southwark, 2014)["risk_share"]["projection"] is None


def test_unit_costs_of_bromleys_figure_10_schemes(demo):
    schemes = {s["ref"]: s for s in document(demo)["spend"]["schemes"]}
    b6 = schemes["B6"]
    # B6 MRT In-reach: £600,000 for Figure 10's 161 admissions avoided (its months; it states 162):
    # £3,726.71 each. Achieved about 90% of them, 149, for about £612,000 spent: £4,107.38 each.
    assert (b6["activity_plan_ytd"], b6["activity_actual_ytd"]) == (161, 149)
    assert (b6["cost_per_unit_plan"], b6["cost_per_unit_actual"]) == ("3726.71", "4107.38")
    assert b6["savings_plan_ytd"] == "452858.00"
    # Realised at the plan's own rate: 149 x 452,858 / 161 = £419,104.61.
    assert b6["savings_realised_ytd"] == "419104.61"
    assert schemes["B7"]["cost_per_unit_plan"] == "4591.84"  # £450,000 / 98
    assert schemes["B8"]["activity_plan_ytd"] == 198  # 22 a month from July
    assert schemes["B9"]["activity_plan_ytd"] == 367
    for ref in ("B6", "B7", "B8", "B9"):
        s = schemes[ref]
        assert D(s["cost_per_unit_actual"]) > D(s["cost_per_unit_plan"])  # 90% of the activity, the money spent
    # Schemes without an activity plan keep the keys, null.
    assert {
        k: schemes["B1"][k]
        for k in ("activity_plan_ytd", "activity_actual_ytd", "cost_per_unit_plan", "cost_per_unit_actual")
    } == dict.fromkeys(("activity_plan_ytd", "activity_actual_ytd", "cost_per_unit_plan", "cost_per_unit_actual"))


def test_bromley_figure_10_data_is_what_the_unit_costs_read():
    assert sum(bromley.FIGURE_10["B6"]["activity"]) == 161


def months(year, values):
    return {periods.month(year, n).code: v for n, v in enumerate(values, start=1)}


def winter_area(history_years, code="E09000013", name="Hammersmith and Fulham"):
    area = b.area(code, name)
    nea = b.metric("NEA")
    for i, year in enumerate(range(2017 - history_years, 2017)):
        b.metric_values(
            area,
            nea,
            "actual",
            months(year, [round(v * (1 + D(i) / 50)) + (30 if n == i else 0) for n, v in enumerate(WINTER)]),
        )
    b.metric_values(area, nea, "plan", {"2017/18": 25000})
    b.metric_values(area, nea, "actual", months(2017, [round(v * 1.04) for v in WINTER[:6]]))
    return area


def test_seasonal_projection_from_the_areas_own_earlier_years(db):
    area = winter_area(3)
    projection = metric(document(area, 2017), "NEA")["projection"]
    assert projection["method"] == (
        "Months to come follow Hammersmith and Fulham's own seasonal pattern in 3 earlier "
        "years, scaled to this year's 6 months of actuals"
    )
    # A straight line from the summer months would miss the winter peak; the seasonal shape keeps
    # the year close to 4% above the winter year's 25,400.
    assert abs(projection["year_end"] - 25400 * 1.04) < 60  # within 0.25%
    assert projection["status"] == "not_on_track"
    assert projection["range_basis"] == "own_history"
    assert projection["low"] < projection["year_end"] < projection["high"]


def summary_queries(area, year):
    with CaptureQueriesContext(connection) as ctx:
        summary_document(area_year_summary(area, year))
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_years_of_history(db):
    lots = winter_area(5)
    none = winter_area(0, code="E09000020", name="Kensington and Chelsea")
    assert metric(document(lots, 2017), "NEA")["projection"]["range_basis"] == "own_history"
    assert summary_queries(lots, 2017) == summary_queries(none, 2017)
