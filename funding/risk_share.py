"""Risk share arithmetic (DOMAIN.md, "Risk share"): pure functions on exact numbers.

Value at risk = planned NEA reduction x cost per admission. Excess admissions are the
admissions above plan to date; their cost is met from the contingency first and what
the contingency cannot cover is split between partners by their agreed shares.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bcf_dashboard.formats import pence

ZERO = Decimal("0.00")


@dataclass
class Exposure:
    """The position after some months of actual admissions."""

    through_month: int
    plan_admissions: Decimal
    actual_admissions: Decimal
    excess_admissions: int
    excess_cost: Decimal
    contingency_drawn: Decimal
    contingency_remaining: Decimal
    uncovered_cost: Decimal
    uncovered_by_partner: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)


@dataclass
class FundQuarter:
    """A performance-fund quarter: money earned back by admissions avoided, the rest retained."""

    quarter: int
    planned_reduction: Decimal
    achieved_reduction: Decimal
    released: Decimal
    retained: Decimal


def value_at_risk(planned_reduction: int, cost_per_admission: Decimal) -> Decimal:
    return pence(planned_reduction * cost_per_admission)


def contingency_share_pct(contingency: Decimal, at_risk: Decimal) -> Decimal | None:
    if not at_risk:
        return None
    return (contingency / at_risk * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def split_by_shares(amount: Decimal, shares: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal, Decimal]]:
    """Split to the penny so the parts add up exactly (largest remainders take the odd pence)."""
    if not shares:
        return []
    total_pct = sum((pct for _, pct in shares), Decimal(0)) or Decimal(100)
    total_pence = int(pence(amount) * 100)
    raw = [(name, pct, Decimal(total_pence) * pct / total_pct) for name, pct in shares]
    floors = [int(r) for _, _, r in raw]
    left = total_pence - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: raw[i][2] - floors[i], reverse=True)
    for i in order[:left]:
        floors[i] += 1
    return [(name, pct, Decimal(p) / 100) for (name, pct, _), p in zip(raw, floors)]


def exposure(*, through_month: int, plan: Decimal, actual: Decimal, cost_per_admission: Decimal,
             contingency: Decimal, shares: list[tuple[str, Decimal]]) -> Exposure:
    excess = max(0, int((actual - plan).to_integral_value(rounding=ROUND_HALF_UP)))
    cost = pence(excess * cost_per_admission)
    drawn = min(cost, contingency)
    uncovered = cost - drawn
    return Exposure(
        through_month=through_month, plan_admissions=plan, actual_admissions=actual,
        excess_admissions=excess, excess_cost=cost, contingency_drawn=drawn,
        contingency_remaining=contingency - drawn, uncovered_cost=uncovered,
        uncovered_by_partner=split_by_shares(uncovered, shares),
    )


def performance_fund_quarter(*, quarter: int, planned_reduction: Decimal, plan: Decimal, actual: Decimal,
                             cost_per_admission: Decimal) -> FundQuarter:
    """Released = min(planned, achieved reduction) x cost, never below zero; the rest is retained.

    The quarter's baseline is its planned admissions plus its planned reduction, so the
    achieved reduction is baseline minus actual admissions.
    """
    achieved = plan + planned_reduction - actual
    released = pence(max(Decimal(0), min(planned_reduction, achieved)) * cost_per_admission)
    return FundQuarter(quarter=quarter, planned_reduction=planned_reduction, achieved_reduction=achieved,
                       released=released, retained=pence(planned_reduction * cost_per_admission) - released)
