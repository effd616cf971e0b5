from decimal import Decimal as D

from funding import risk_share as rs

# Bromley 2016/17 (seed 000, section 12 and Figure 10): 825 admissions valued at
# £2,306,227; the cost per admission is that total over 825, to six places.
BROMLEY_COST = (D(2306227) / 825).quantize(D("0.000001"))


def test_bromley_value_at_risk_and_contingency_share():
    at_risk = rs.value_at_risk(825, BROMLEY_COST)
    assert at_risk == D("2306227.00")
    assert rs.contingency_share_pct(D(1323000), at_risk) == D("57.37")
    assert at_risk - D(1323000) == D("983227.00")  # "The outstanding 983k risk"


def test_excess_admissions_draw_the_contingency_then_fall_on_partners():
    # 600 admissions over plan cost 600 x £2,795.426667 = £1,677,256.00 (to the penny).
    e = rs.exposure(
        through_month=9,
        plan=D(19000),
        actual=D(19600),
        cost_per_admission=BROMLEY_COST,
        contingency=D(1323000),
        shares=[("NHS Bromley CCG", D(100))],
    )
    assert e.excess_admissions == 600
    assert e.excess_cost == D("1677256.00")
    assert e.contingency_drawn == D("1323000.00")
    assert e.contingency_remaining == D("0.00")
    assert e.uncovered_cost == D("354256.00")
    assert e.uncovered_by_partner == [("NHS Bromley CCG", D(100), D("354256.00"))]


def test_admissions_at_or_below_plan_draw_nothing():
    e = rs.exposure(
        through_month=3, plan=D(6500), actual=D(6400), cost_per_admission=D(2000), contingency=D(1000), shares=[]
    )
    assert (e.excess_admissions, e.excess_cost, e.contingency_drawn, e.contingency_remaining, e.uncovered_cost) == (
        0,
        D("0.00"),
        D("0.00"),
        D(1000),
        D("0.00"),
    )


def test_a_split_adds_up_to_the_penny():
    parts = rs.split_by_shares(D("100.00"), [("CCG", D("33.33")), ("LA", D("33.33")), ("Trust", D("33.34"))])
    assert sum(amount for _, _, amount in parts) == D("100.00")
    assert [amount for _, _, amount in parts] == [D("33.33"), D("33.33"), D("33.34")]
    odd = rs.split_by_shares(D("0.01"), [("CCG", D(50)), ("LA", D(50))])
    assert sum(a for _, _, a in odd) == D("0.01")


def test_performance_fund_releases_only_what_admissions_earn():
    # Planned reduction 100 a quarter at £1,000: achieving 60 releases £60,000, retains £40,000.
    q = rs.performance_fund_quarter(
        quarter=1, planned_reduction=D(100), plan=D(5000), actual=D(5040), cost_per_admission=D(1000)
    )
    assert (q.achieved_reduction, q.released, q.retained) == (D(60), D("60000.00"), D("40000.00"))
    # Beating the plan releases no more than the planned reduction earns.
    q = rs.performance_fund_quarter(
        quarter=2, planned_reduction=D(100), plan=D(5000), actual=D(4800), cost_per_admission=D(1000)
    )
    assert (q.released, q.retained) == (D("100000.00"), D("0.00"))
    # Admissions above the baseline release nothing, never a negative amount.
    q = rs.performance_fund_quarter(
        quarter=3, planned_reduction=D(100), plan=D(5000), actual=D(5300), cost_per_admission=D(1000)
    )
    assert (q.released, q.retained) == (D("0.00"), D("100000.00"))
