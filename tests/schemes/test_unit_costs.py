from decimal import Decimal as D

from bcf_dashboard.core.formats import pence
from bcf_dashboard.demo.bromley import FIGURE_10
from schemes.unit_costs import unit_costs

# Bromley 2016/17, B6 MRT In-reach: budget £600,000 spread evenly, £50,000 a month; Figure 10's
# admissions avoided a month add up to 161, though the figure states 162 for the year, and its
# savings months add up to £452,858 against a stated £452,859.
B6 = FIGURE_10["B6"]
B6_PLAN = [D(50000)] * 12
B6_ACTIVITY = [D(v) for v in B6["activity"]]
B6_SAVING = [D(v) for v in B6["saving"]]
# The risk share's cost per admission: £2,306,227 / 825 = £2,795.4266...
RISK_SHARE_COST = D(2306227) / 825
# Illustrative actuals: spend 2% over plan (the demo's factor for B6), admissions avoided April to September.
B6_SPEND_ACTUAL = [D(51000)] * 6 + [None] * 6
B6_ACTIVITY_ACTUAL = [D(v) for v in (12, 11, 13, 12, 12, 13)] + [None] * 6


def b6(**overrides):
    args = {
        "plan_months": B6_PLAN,
        "actual_months": B6_SPEND_ACTUAL,
        "activity_plan": B6_ACTIVITY,
        "activity_actual": B6_ACTIVITY_ACTUAL,
        "saving_plan": B6_SAVING,
        "through": 6,
    }
    return unit_costs(**{**args, **overrides})


def test_b6_planned_cost_per_admission_avoided_for_the_year():
    u = b6(through=12, actual_months=B6_PLAN, activity_actual=B6_ACTIVITY, activity_plan_stated=162)
    assert sum(B6["activity"]) == 161 and B6["activity_total"] == 162
    # On the stated 162: £600,000 / 162 = £3,703.7037 -> £3,703.70.
    assert u.activity_plan_stated == D(162)
    assert u.cost_per_unit_plan_year_stated == D("3703.70")
    # On the months, as the dashboard computes totals: £600,000 / 161 = £3,726.7081 -> £3,726.71.
    assert u.activity_plan_year == D(161)
    assert u.cost_per_unit_plan_year == u.cost_per_unit_plan == D("3726.71")
    assert u.cost_per_unit_actual == D("3726.71")  # spent and achieved exactly as planned
    # The risk share values an admission at £2,795.43: each admission B6 avoids costs
    # £3,703.70 - £2,795.43 = £908.27 more than that on the plan's own figures.
    assert pence(RISK_SHARE_COST) == D("2795.43")
    assert u.cost_per_unit_plan_year_stated - pence(RISK_SHARE_COST) == D("908.27")


def test_b6_to_september_planned_against_actual():
    u = b6(saving_per_unit=RISK_SHARE_COST)
    # Planned: 13 + 13 + 14 + 13 + 13 + 14 = 80 admissions for 6 x £50,000 = £300,000: £3,750.00.
    assert (u.through, u.activity_plan_ytd, u.spend_plan_ytd) == (6, D(80), D("300000.00"))
    assert u.cost_per_unit_plan == D("3750.00")
    # Actual: 12 + 11 + 13 + 12 + 12 + 13 = 73 for 6 x £51,000 = £306,000: £4,191.7808 -> £4,191.78.
    assert (u.activity_actual_ytd, u.spend_actual_ytd) == (D(73), D("306000.00"))
    assert u.cost_per_unit_actual == D("4191.78")
    # Savings planned to date as Figure 10 states them: 37,441 + 35,658 + 39,224 + 37,441 +
    # 37,441 + 39,224 = £226,429. Realised at the plan's £2,306,227 / 825 an admission:
    # 73 x 2,306,227 / 825 = £204,066.1467 -> £204,066.15.
    assert u.savings_plan_ytd == D("226429.00")
    assert u.saving_per_unit_plan == D("2795.43")
    assert u.savings_realised_ytd == D("204066.15")


def test_savings_per_unit_from_the_months_when_the_plan_states_none():
    u = b6()
    # £452,858 / 161 = £2,812.7826 an admission; 73 x 452,858 / 161 = £205,333.1304 -> £205,333.13.
    assert u.saving_per_unit_plan == D("2812.78")
    assert u.savings_realised_ytd == D("205333.13")
    assert b6(saving_plan=None).savings_realised_ytd is None
    assert b6(saving_plan=None).savings_plan_ytd is None


def test_months_after_through_are_left_out():
    later = [D(51000)] * 12
    assert b6(actual_months=later, activity_actual=[D(12)] * 12).spend_actual_ytd == D("306000.00")


def test_a_month_missing_activity_or_spend_weighs_on_neither_side():
    # September's admissions avoided are not reported yet: April-August's £255,000 over 60.
    u = b6(activity_actual=B6_ACTIVITY_ACTUAL[:5] + [None] * 7)
    assert (u.activity_actual_ytd, u.spend_actual_ytd, u.cost_per_unit_actual) == (D(60), D("255000.00"), D("4250.00"))
    # May's spend is missing: £255,000 over 73 - 11 = 62.
    gap = B6_SPEND_ACTUAL[:1] + [None] + B6_SPEND_ACTUAL[2:]
    assert b6(actual_months=gap).cost_per_unit_actual == pence(D(255000) / 62)


def test_no_activity_plan_no_unit_costs():
    assert b6(activity_plan=[None] * 12) is None


def test_zero_or_missing_activity_gives_no_cost_per_unit():
    # B7 Care Homes plans no admissions avoided until July.
    b7 = unit_costs(
        plan_months=[D(0)] * 3 + [D(50000)] * 9,
        actual_months=[D(0)] * 3 + [None] * 9,
        activity_plan=[D(v) for v in FIGURE_10["B7"]["activity"]],
        activity_actual=[D(0)] * 3 + [None] * 9,
        through=3,
    )
    assert (b7.activity_plan_ytd, b7.cost_per_unit_plan) == (D(0), None)
    assert (b7.activity_actual_ytd, b7.cost_per_unit_actual) == (D(0), None)
    assert b7.cost_per_unit_plan_year == D("4591.84")  # £450,000 / 98
    none_reported = b6(activity_actual=[None] * 12)
    assert (
        none_reported.activity_actual_ytd,
        none_reported.cost_per_unit_actual,
        none_reported.spend_actual_ytd,
        none_reported.savings_realised_ytd,
    ) == (None, None, None, None)


def test_before_any_actual_spend_only_the_years_plan():
    u = b6(through=None, actual_months=[None] * 12, activity_actual=[None] * 12)
    assert u.cost_per_unit_plan_year == D("3726.71")
    assert (u.activity_plan_ytd, u.cost_per_unit_plan, u.cost_per_unit_actual, u.savings_realised_ytd) == (
        None,
        None,
        None,
        None,
    )
