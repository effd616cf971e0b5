from decimal import Decimal as D

import pytest

from funding import risk_projection as rp
from funding import risk_share as rs

# Bromley 2016/17 (seed 000, section 12 and Figure 10): 825 avoided admissions valued at
# £2,306,227, so £2,306,227 / 825 = £2,795.4266... an admission; contingency £1,323,000;
# the CCG's reserves cover the rest. Plan 25,758 admissions for the year.
COST = D(2306227) / 825
CONTINGENCY = D(1323000)
PLAN_YEAR = D(25758)
CCG = [("NHS Bromley CCG", D(100))]
# Bromley's illustrative NEA seasonality (bcf_dashboard/demo/bromley.py), Apr..Mar.
NEA_WEIGHTS = [100, 103, 99, 102, 97, 96, 101, 100, 104, 105, 95, 103]


def test_bromley_projected_to_26400_exhausts_the_contingency_in_december():
    # Hand working. 26,400 projected - 25,758 planned = 642 excess admissions.
    # Its cost: 642 x 2,306,227 / 825 = 1,480,597,734 / 825 = 1,794,663 and 759/825, and
    # 759/825 = 0.92 exactly, so £1,794,663.92 to the penny with nothing rounded away.
    # Drawn: min(1,323,000, 1,794,663.92) = 1,323,000.00. Uncovered 1,794,663.92 - 1,323,000 =
    # 471,663.92, all to the CCG.
    # Month by month, 2,200 a month against a plan of 25,758 / 12 = 2,146.5: 53.5 a month over.
    # November (month 8): 428 x 2,795.4267 = 1,196,442.61, within the contingency.
    # December (month 9): 481.5 rounds to 482, x 2,795.4267 = 1,347,395.65 > 1,323,000: runs out.
    p = rp.project_risk_share(
        months=[D(2200)] * 12, plan_year=PLAN_YEAR, cost_per_admission=COST, contingency=CONTINGENCY, shares=CCG
    )
    assert p.excess_admissions_year_end == 642
    assert p.excess_cost_year_end == D("1794663.92")
    assert p.contingency_drawn_year_end == D("1323000.00")
    assert p.contingency_remaining_year_end == D("0.00")
    assert p.uncovered_cost_year_end == D("471663.92")
    assert p.uncovered_by_partner_year_end == [("NHS Bromley CCG", D(100), D("471663.92"))]
    assert p.contingency_runs_out == 9


def test_the_same_year_end_with_a_monthly_plan_given_month_by_month():
    even_plan = [D("2146.5")] * 12
    p = rp.project_risk_share(
        months={m: D(2200) for m in range(1, 13)},
        plan_months=even_plan,
        cost_per_admission=COST,
        contingency=CONTINGENCY,
        shares=CCG,
    )
    assert (p.excess_admissions_year_end, p.uncovered_cost_year_end, p.contingency_runs_out) == (642, D("471663.92"), 9)


def test_bromley_projected_to_26100_never_runs_out():
    # 26,100 - 25,758 = 342 excess; 342 x 2,306,227 / 825 = 788,729,634 / 825 = 956,035.92,
    # within the contingency: drawn 956,035.92, remaining 1,323,000 - 956,035.92 = 366,964.08.
    p = rp.project_risk_share(
        months=[D(2175)] * 12, plan_year=PLAN_YEAR, cost_per_admission=COST, contingency=CONTINGENCY, shares=CCG
    )
    assert p.excess_admissions_year_end == 342
    assert p.excess_cost_year_end == D("956035.92")
    assert p.contingency_drawn_year_end == D("956035.92")
    assert p.contingency_remaining_year_end == D("366964.08")
    assert p.uncovered_cost_year_end == D("0.00")
    assert p.uncovered_by_partner_year_end == [("NHS Bromley CCG", D(100), D("0.00"))]
    assert p.contingency_runs_out is None


def test_a_year_on_or_below_plan_draws_nothing():
    plan = [D(25758) * w / sum(NEA_WEIGHTS) for w in NEA_WEIGHTS]
    p = rp.project_risk_share(
        months=[v * D("0.99") for v in plan],
        plan_months=plan,
        cost_per_admission=COST,
        contingency=CONTINGENCY,
        shares=CCG,
    )
    assert (
        p.excess_admissions_year_end,
        p.excess_cost_year_end,
        p.contingency_drawn_year_end,
        p.uncovered_cost_year_end,
        p.contingency_runs_out,
    ) == (0, D("0.00"), D("0.00"), D("0.00"), None)
    assert p.contingency_remaining_year_end == CONTINGENCY


def test_a_late_excess_runs_out_along_cumulative_months_and_splits_by_shares():
    # Six months at 2,100 (46.5 under the 2,146.5 a month) then six at 2,400 (253.5 over).
    # Cumulative excess: October -279 + 253.5 = -25.5, nothing; November 228, x cost =
    # 637,357.28; December 481.5 -> 482, 1,347,395.65 > 1,323,000: runs out in month 9.
    # Year: 27,000 - 25,758 = 1,242; 1,242 x 2,306,227 / 825 = 3,471,919.92; uncovered
    # 3,471,919.92 - 1,323,000 = 2,148,919.92: 60% 1,289,351.952 -> 1,289,351.95 and
    # 40% 859,567.968 -> 859,567.97, adding up to the penny.
    months = [D(2100)] * 6 + [D(2400)] * 6
    p = rp.project_risk_share(
        months=months,
        plan_year=PLAN_YEAR,
        cost_per_admission=COST,
        contingency=CONTINGENCY,
        shares=[("CCG", D(60)), ("LA", D(40))],
    )
    assert p.excess_admissions_year_end == 1242
    assert p.excess_cost_year_end == D("3471919.92")
    assert p.uncovered_cost_year_end == D("2148919.92")
    assert p.uncovered_by_partner_year_end == [("CCG", D(60), D("1289351.95")), ("LA", D(40), D("859567.97"))]
    assert p.contingency_runs_out == 9


def test_the_year_end_agrees_with_the_year_to_date_rule_at_month_twelve():
    months = [D(2210)] * 12
    p = rp.project_risk_share(
        months=months, plan_year=PLAN_YEAR, cost_per_admission=COST, contingency=CONTINGENCY, shares=CCG
    )
    e = rs.exposure(
        through_month=12,
        plan=PLAN_YEAR,
        actual=sum(months),
        cost_per_admission=COST,
        contingency=CONTINGENCY,
        shares=CCG,
    )
    assert (
        p.excess_admissions_year_end,
        p.excess_cost_year_end,
        p.contingency_drawn_year_end,
        p.uncovered_cost_year_end,
    ) == (e.excess_admissions, e.excess_cost, e.contingency_drawn, e.uncovered_cost)


def test_a_plan_and_all_twelve_months_are_needed():
    with pytest.raises(ValueError):
        rp.project_risk_share(months=[D(1)] * 12, cost_per_admission=COST, contingency=CONTINGENCY, shares=CCG)
    with pytest.raises(ValueError):
        rp.project_risk_share(
            months=[D(1)] * 11, plan_year=PLAN_YEAR, cost_per_admission=COST, contingency=CONTINGENCY, shares=CCG
        )
