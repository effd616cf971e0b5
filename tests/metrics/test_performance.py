from decimal import Decimal as D

import pytest

from metrics import performance as p


@pytest.mark.parametrize(
    "better,plan,actual,expected",
    [
        ("lower", D(100), D(100), p.ON_TRACK),  # at plan
        ("lower", D(100), D(90), p.ON_TRACK),  # better than plan
        ("lower", D(100), D(102), p.AT_RISK),  # worse by exactly the 2% tolerance
        ("lower", D(100), D("102.01"), p.NOT_ON_TRACK),
        ("higher", D(85), D(88), p.ON_TRACK),  # Southwark reablement 88% against 85%
        ("higher", D(60), D(59), p.AT_RISK),  # 1 point under 60 is within 2% of 60
        ("higher", D(60), D(58), p.NOT_ON_TRACK),
        ("lower", None, D(5), p.NO_DATA),
        ("lower", D(5), None, p.NO_DATA),
    ],
)
def test_status_rule(better, plan, actual, expected):
    assert p.status(plan=plan, actual=actual, better=better, tolerance_pct=D(2)) == expected


def test_an_annual_plan_that_sums_is_pro_rated_by_months_elapsed():
    # Southwark: 167 care home admissions a year is 41.75 by the end of Q1.
    plan = p.Values(year=D(167))
    assert p.rollup_plan("sum", plan, 3) == D("41.75")
    assert p.plan_for_year("sum", plan) == D(167)


def test_an_annual_plan_for_a_mean_or_latest_metric_stands_as_it_is():
    plan = p.Values(year=D("93.6"))
    assert p.rollup_plan("latest", plan, 9) == D("93.6")
    assert p.rollup_plan("mean", plan, 4) == D("93.6")


def test_quarter_actuals_cover_three_months_unless_months_were_entered():
    actual = p.Values(quarters={1: D(23)})
    assert p.last_month_covered(actual) == 3
    assert p.rollup_actual("sum", actual, 3) == D(23)
    actual.months = {1: D(5), 2: D(6)}
    # Months of Q1 were entered, so the quarter's figure is not added on top.
    assert p.rollup_actual("sum", actual, 3) == D(11)
    assert p.last_month_covered(actual) == 2


def test_mean_weights_quarters_by_their_months():
    actual = p.Values(months={4: D(10)}, quarters={1: D(4)})
    assert p.rollup_actual("mean", actual, 4) == D("5.5")  # (4*3 + 10) / 4


def test_latest_takes_the_value_ending_last():
    actual = p.Values(months={3: D("88")}, year=None)
    assert p.rollup_actual("latest", actual, 3) == D("88")
    actual.months[9] = D("91")
    assert p.rollup_actual("latest", actual, 9) == D("91")


def test_monthly_plan_sums_as_published():
    westminster_2017 = [1260, 1259, 1291, 1302, 1265, 1241, 1294, 1209, 1271, 1243, 1192, 1260]
    plan = p.Values(months={n: D(v) for n, v in enumerate(westminster_2017, 1)}, year=D(15088))
    assert p.plan_for_year("sum", plan) == D(15087)
    assert p.rollup_plan("sum", plan, 6) == D(7618)


def test_variance_pct_is_of_plan_and_rounded():
    assert p.variance_pct(D(7618), D(-68)) == D("-0.89")
    assert p.variance_pct(D(0), D(5)) is None


def test_the_plan_to_date_covers_only_the_months_an_actual_covers():
    plan = p.Values(months={n: D(100) for n in range(1, 13)}, quarters={3: D(330)})
    actual = p.Values(months={1: D(90), 2: D(95), 4: D(99)}, quarters={3: D(300)})  # March not in
    assert p.months_covered(actual, 9) == {1, 2, 4, 7, 8, 9}
    assert p.rollup_plan("sum", plan, 9, months=p.months_covered(actual, 9)) == D(600)
    assert p.rollup_plan("sum", plan, 9) == D(900)  # every month to September, as for a plan on its own
    annual = p.Values(year=D(1200))  # pro-rated by the months covered: 6 of 12
    assert p.rollup_plan("sum", annual, 9, months=p.months_covered(actual, 9)) == D(600)
    rates = p.Values(months={1: D(8), 2: D(9), 3: D(100), 4: D(7)})
    assert p.rollup_plan("mean", rates, 4, months={1, 2, 4}) == D(8)
