from decimal import Decimal as D

import pytest

from metrics import performance
from metrics import projection as pj

# Bromley's illustrative NEA seasonality for 2016/17 (bcf_dashboard/demo/bromley.py), Apr..Mar.
NEA_WEIGHTS = [100, 103, 99, 102, 97, 96, 101, 100, 104, 105, 95, 103]
# A winter-peaking year of emergency admissions, Apr..Mar: low in summer, high December to February.
WINTER = [2000, 1950, 1900, 1900, 1850, 1950, 2150, 2250, 2400, 2500, 2300, 2250]


def scaled(months, factor):
    return [D(v) * D(factor) for v in months]


def test_fewer_than_three_months_gives_none():
    for months in ([], [100], [100, 100], [100, 100] + [None] * 10):
        assert pj.project_year_end(months, rollup="sum") is None
    assert pj.project_year_end({1: 5, 2: 6}, rollup="mean", plan_months=[5] * 12, history=[[5] * 12]) is None


def test_a_flat_series_projects_flat():
    p = pj.project_year_end([D(100)] * 6, rollup="sum")
    assert p.year_end == D(1200)
    assert p.basis == pj.RUN_RATE
    assert p.months_of_actuals == 6
    assert p.months == {m: D(100) for m in range(1, 13)}
    assert p.method == (
        "Months to come repeat the average of this year's 6 months of actuals "
        "(no earlier complete years or monthly plan to give a seasonal shape)"
    )
    assert p.range is None


def test_a_flat_series_projects_flat_whatever_the_method():
    flat = [D(100)] * 4
    assert pj.project_year_end(flat, rollup="sum", plan_months=[D(100)] * 12).year_end == D(1200)
    assert pj.project_year_end(flat, rollup="sum", history=[[D(90)] * 12]).year_end == D(1200)


def test_a_series_above_a_seasonal_plan_projects_as_far_above_the_plan_year():
    # Bromley's 2016/17 plan of 25,758 admissions shaped by its seasonality.
    plan = [D(25758) * w / sum(NEA_WEIGHTS) for w in NEA_WEIGHTS]
    p = pj.project_year_end(scaled(plan[:6], "1.015"), rollup="sum", plan_months=plan)
    assert p.basis == pj.PLAN
    assert p.year_end.quantize(D("0.0001")) == (D(25758) * D("1.015")).quantize(D("0.0001"))
    assert pj.projection_variance_pct(p.year_end, D(25758)) == D("1.50")
    assert p.method == (
        "Months to come follow this year's monthly plan, scaled by this year's 6 months of "
        "actuals against it (1.50% above plan)"
    )
    # The months to come keep the plan's shape: December above November as planned.
    assert p.months[9] / p.months[8] == plan[8] / plan[7]


def test_whole_admissions_above_a_seasonal_plan_project_about_as_far_above():
    plan = [D(round(25758 * w / sum(NEA_WEIGHTS))) for w in NEA_WEIGHTS]
    actuals = [(v * D("1.015")).to_integral_value() for v in plan[:5]]
    p = pj.project_year_end(actuals, rollup="sum", plan_months=plan)
    assert abs(pj.projection_variance_pct(p.year_end, sum(plan)) - D("1.5")) <= D("0.02")


def test_a_complete_year_projects_exactly_its_total():
    months = [D(v) for v in WINTER]
    p = pj.project_year_end(months, rollup="sum", history=[WINTER], plan_months=[2000] * 12)
    assert p.year_end == sum(months) == D(25400)
    assert p.basis == pj.ACTUAL
    assert p.method == "All twelve months have actuals: the year-end is the year's actual."
    full = pj.project_year_end(months, rollup="sum", errors_pct={9: D(3)})
    assert full.range == (D(25400), D(25400))


def test_seasonal_history_beats_a_straight_line_on_a_winter_peaking_series():
    history = {2014: WINTER, 2015: scaled(WINTER, "1.02")}
    this_year = scaled(WINTER, "1.05")
    actual_year_end = sum(this_year)
    seasonal = pj.project_year_end(this_year[:6], rollup="sum", history=history, area="Bromley")
    straight = pj.project_year_end(this_year[:6], rollup="sum")
    assert seasonal.basis == pj.SEASONAL
    assert seasonal.method == (
        "Months to come follow Bromley's own seasonal pattern in 2 earlier years, "
        "scaled to this year's 6 months of actuals"
    )
    assert seasonal.year_end.quantize(D("0.01")) == actual_year_end.quantize(D("0.01"))
    assert straight.year_end < actual_year_end * D("0.93")  # summer alone misses the winter peak
    assert abs(seasonal.year_end - actual_year_end) < abs(straight.year_end - actual_year_end)


def test_seasonal_shape_is_averaged_over_earlier_years_and_incomplete_years_are_left_out():
    a = [100] * 6 + [200] * 6  # indices 2/3 then 4/3
    b = [150] * 12  # index 1 throughout
    incomplete = [1000] * 11 + [None]
    indices, used = pj.seasonal_index([a, b, incomplete])
    assert used == 2
    assert indices[1] == (D(2) / 3 + 1) / 2
    assert indices[12] == (D(4) / 3 + 1) / 2
    p = pj.project_year_end([100] * 3, rollup="sum", history=[a, b, incomplete], area="Bromley")
    assert "in 2 earlier years" in p.method
    # 300 over three months of index 5/6 gives a level of 120: 6 x 120 x 5/6 + 6 x 120 x 7/6 = 1,440.
    assert p.year_end == D(1440)


def test_only_incomplete_history_falls_back_to_the_plan_then_the_run_rate():
    incomplete = [[1000] * 11 + [None]]
    assert pj.project_year_end([10] * 3, rollup="sum", history=incomplete, plan_months=[10] * 12).basis == pj.PLAN
    assert pj.project_year_end([10] * 3, rollup="sum", history=incomplete).basis == pj.RUN_RATE
    # A plan missing a month, or zero over the months seen, cannot scale.
    assert pj.project_year_end([10] * 3, rollup="sum", plan_months=[10] * 11).basis == pj.RUN_RATE
    assert pj.project_year_end([10] * 3, rollup="sum", plan_months=[0] * 3 + [20] * 9).basis == pj.RUN_RATE


def test_gaps_are_projected_like_months_to_come():
    p = pj.project_year_end({1: 100, 2: 100, 4: 100}, rollup="sum")
    assert p.months_of_actuals == 3
    assert p.months[3] == D(100)
    assert p.year_end == D(1200)


def close(a, b):
    return abs(a - b) < D("1e-20")


def test_mean_rollup_projects_the_mean_of_twelve_months():
    # Bromley's illustrative DTOC rates, April to June 2016, planned flat at 265.6.
    dtoc = [D("284.6"), D("279.2"), D("270.9")]
    run_rate = pj.project_year_end(dtoc, rollup="mean")
    assert close(run_rate.year_end, sum(dtoc) / 3)
    planned = pj.project_year_end(dtoc, rollup="mean", plan_months=[D("265.6")] * 12)
    assert close(planned.year_end, sum(dtoc) / 3)  # a flat plan scaled is the mean so far
    # A plan falling through the year carries the months to come down with it.
    falling = [D(300) - 5 * m for m in range(12)]
    p = pj.project_year_end([D(300), D(295), D(290)], rollup="mean", plan_months=falling)
    assert close(p.year_end, sum(falling) / 12)
    # With a winter-peaking history the mean rises in the months to come.
    seasonal = pj.project_year_end(dtoc, rollup="mean", history=[WINTER])
    assert seasonal.year_end > run_rate.year_end


def test_latest_rollup_projects_march_from_the_latest_actual():
    # A percent reported monthly, measured as it stands: March's value is the year's.
    p = pj.project_year_end([D(90), D(91), D(92)], rollup="latest")
    assert p.year_end == D(92)
    assert p.basis == pj.RUN_RATE
    assert p.method == (
        "The latest actual (June) is carried to the year-end "
        "(no earlier complete years or monthly plan to show how it moves)"
    )
    # Against a plan rising to 93.6 by March, the latest month's shortfall is carried to March.
    plan = [D("90.0") + D("0.3") * m for m in range(12)]  # 90.0 in April ... 93.3 in March
    p = pj.project_year_end([D(90), D(91), D("89.1")], rollup="latest", plan_months=plan)
    assert p.year_end == plan[11] * D("89.1") / plan[2]
    assert "scaled by the latest actual (June) against it" in p.method
    assert pj.project_year_end([D(90)] * 11 + [D(95)], rollup="latest").year_end == D(95)


def test_range_from_backtest_errors_at_the_months_seen():
    errors = {3: D("10"), 6: D("-5"), 9: D("2")}
    six = pj.project_year_end([D(100)] * 6, rollup="sum", errors_pct=errors)
    assert six.range == (D(1140), D(1260))
    four = pj.project_year_end([D(100)] * 4, rollup="sum", errors_pct=errors)
    assert four.range == (D(1080), D(1320))
    assert pj.project_year_end([D(100)] * 3, rollup="sum", errors_pct={6: D(5)}).range is None


def test_projection_status_uses_the_same_rule_as_status():
    # FORMATS.md's example: 15,790 projected against 15,560 planned is 1.48% worse, within 2%.
    assert pj.projection_variance_pct(D(15790), D(15560)) == D("1.48")
    assert pj.projection_status(D(15790), D(15560), "lower", D(2)) == performance.AT_RISK
    assert pj.projection_status(D(15500), D(15560), "lower", D(2)) == performance.ON_TRACK
    assert pj.projection_status(D(16000), D(15560), "lower", D(2)) == performance.NOT_ON_TRACK
    assert pj.projection_status(D("92.0"), D("93.6"), "higher", D(2)) == performance.AT_RISK
    assert pj.projection_status(None, D(15560), "lower", D(2)) == performance.NO_DATA
    assert pj.projection_variance_pct(None, D(15560)) is None


def test_unknown_rollup_is_an_error():
    with pytest.raises(ValueError):
        pj.project_year_end([1] * 3, rollup="median")


def test_backtest_on_hand_built_years():
    years = {
        2014: [100] * 6 + [200] * 6,  # 1,800; no earlier year, so the run rate
        2015: [110] * 6 + [220] * 6,  # 1,980; 2014's shape exactly
        2016: [120] * 6 + [180] * 6,  # 1,800; flatter than the earlier years' shape
        2017: [100] * 11,  # incomplete: skipped
    }
    bt = pj.backtest(years)
    # 2014, run rate. From 3 or 6 months: 100 x 12 = 1,200, (1,200 - 1,800) / 1,800 = -33.33%.
    # From 9: 1,200 seen, mean 133.33, 1,200 + 3 x 133.33 = 1,600, -11.11%.
    # 2015, 2014's indices 2/3 (Apr-Sep) and 4/3 (Oct-Mar): from 3 months 330 / 2 = 165 a
    # unit of index, x 12 = 1,980; from 6 and 9 the same: 0%.
    # 2016, indices as 2015's (both earlier years share the shape). From 3: 360 / 2 = 180, x 12 =
    # 2,160, +20%. From 6: 720 / 4 = 180, +20%. From 9: 1,260 / (4 + 4) = 157.5, x 12 = 1,890, +5%.
    assert bt.errors == {
        3: {2014: D("-33.33"), 2015: D("0.00"), 2016: D("20.00")},
        6: {2014: D("-33.33"), 2015: D("0.00"), 2016: D("20.00")},
        9: {2014: D("-11.11"), 2015: D("0.00"), 2016: D("5.00")},
    }
    assert bt.median == {3: D("20.00"), 6: D("20.00"), 9: D("5.00")}
    assert bt.worst == {3: D("33.33"), 6: D("33.33"), 9: D("11.11")}


def test_backtest_uses_each_years_plan_without_history_and_feeds_a_range():
    years = {2016: [100] * 6 + [200] * 6}
    plans = {2016: [1] * 6 + [2] * 6}
    assert pj.backtest(years, plans).errors == {3: {2016: D("0.00")}, 6: {2016: D("0.00")}, 9: {2016: D("0.00")}}
    bt = pj.backtest(years)
    p = pj.project_year_end([D(100)] * 6, rollup="sum", errors_pct=bt.worst)
    assert p.range == (D(1200) * (1 - D("0.3333")), D(1200) * (1 + D("0.3333")))


def test_backtest_seasonal_beats_straight_line_on_winter_peaking_years():
    years = {2013 + i: scaled(WINTER, f"1.0{i}") for i in range(4)}
    with_history = pj.backtest(years)
    straight = pj.backtest(years, history=False)
    # The first year has no history and errs as much either way (the same worst); the later
    # years follow their history's shape exactly, where a straight line misses the winter.
    for h in (3, 6, 9):
        assert with_history.median[h] == D("0.00") < straight.median[h]
        assert with_history.worst[h] == straight.worst[h] == abs(straight.errors[h][2013])
        for year in (2014, 2015, 2016):
            assert with_history.errors[h][year] == D("0.00") < abs(straight.errors[h][year])


def test_backtest_mean_rollup():
    years = {2015: [10] * 12, 2016: [10] * 6 + [16] * 6}
    bt = pj.backtest(years, rollup="mean", horizons=(6,))
    # 2016 from 6 months with 2015's flat shape: the mean 10 against the actual mean 13, -23.08%.
    assert bt.errors == {6: {2015: D("0.00"), 2016: D("-23.08")}}


def test_a_service_starting_part_way_through_the_year_follows_its_plan():
    # Bromley's Dementia Support Hub: nothing planned or supported April-June, 125 a month planned
    # from its July launch. Three zero months give no ratio; the plan's 1,125 is the projection.
    plan = [0, 0, 0] + [125] * 9
    p = pj.project_year_end([0, 0, 0], rollup="sum", plan_months=plan)
    assert (p.basis, p.year_end) == (pj.PLAN, D(1125))
    assert p.method.startswith("Months to come follow this year's monthly plan as it stands")
    # Once it has actuals the ratio takes over: 104 in July against 125 planned.
    assert pj.project_year_end([0, 0, 0, 104], rollup="sum", plan_months=plan).year_end == D(104) + D(104) / 125 * 1000
