"""Risk share arithmetic (DOMAIN.md, "Risk share"): pure functions on exact numbers.

Value at risk = planned NEA reduction x cost per admission. Excess admissions are the
admissions above plan to date; their cost is met from the contingency first and what
the contingency cannot cover is split between partners by their agreed shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from bcf_dashboard.core.formats import pence
from metrics.performance import months_covered, rollup_actual, rollup_plan

if TYPE_CHECKING:
    from funding.models import RiskShareTerms

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


def exposure(
    *,
    through_month: int,
    plan: Decimal,
    actual: Decimal,
    cost_per_admission: Decimal,
    contingency: Decimal,
    shares: list[tuple[str, Decimal]],
) -> Exposure:
    excess = max(0, int((actual - plan).to_integral_value(rounding=ROUND_HALF_UP)))
    cost = pence(excess * cost_per_admission)
    drawn = min(cost, contingency)
    uncovered = cost - drawn
    return Exposure(
        through_month=through_month,
        plan_admissions=plan,
        actual_admissions=actual,
        excess_admissions=excess,
        excess_cost=cost,
        contingency_drawn=drawn,
        contingency_remaining=contingency - drawn,
        uncovered_cost=uncovered,
        uncovered_by_partner=split_by_shares(uncovered, shares),
    )


def performance_fund_quarter(
    *, quarter: int, planned_reduction: Decimal, plan: Decimal, actual: Decimal, cost_per_admission: Decimal
) -> FundQuarter:
    """Released = min(planned, achieved reduction) x cost, never below zero; the rest is retained.

    The quarter's baseline is its planned admissions plus its planned reduction, so the
    achieved reduction is baseline minus actual admissions.
    """
    achieved = plan + planned_reduction - actual
    released = pence(max(Decimal(0), min(planned_reduction, achieved)) * cost_per_admission)
    return FundQuarter(
        quarter=quarter,
        planned_reduction=planned_reduction,
        achieved_reduction=achieved,
        released=released,
        retained=pence(planned_reduction * cost_per_admission) - released,
    )


@dataclass
class RiskSharePosition:
    terms: RiskShareTerms
    value_at_risk: Decimal
    contingency_share_pct: Decimal | None
    ytd: Exposure | None
    quarters: list[Exposure]
    fund_quarters: list[FundQuarter]
    # The year-end the NEA projection leads to (``funding.risk_projection``), set by the engine.
    projection: object = None

    @property
    def contingency(self) -> Decimal:
        return self.terms.contingency

    @property
    def risk_beyond_contingency(self) -> Decimal:
        return max(ZERO, self.value_at_risk - self.terms.contingency)

    @property
    def fund_released(self) -> Decimal:
        return sum((q.released for q in self.fund_quarters), ZERO)


def risk_share_from_terms(terms: RiskShareTerms, *, nea) -> RiskSharePosition:
    """Value at risk, and the exposure to date and by quarter from the NEA performance."""
    cost = terms.cost_per_admission
    at_risk = value_at_risk(terms.planned_nea_reduction, cost)
    shares = [(s.partner.name, s.share_pct) for s in terms.splits.all()]
    position = RiskSharePosition(
        terms=terms,
        value_at_risk=at_risk,
        contingency_share_pct=contingency_share_pct(terms.contingency, at_risk),
        ytd=None,
        quarters=[],
        fund_quarters=[],
    )
    if nea is None or nea.as_of is None:
        return position

    def plan_to(month):  # over the months with an actual, as the metric's own plan to date
        return rollup_plan("sum", nea.plan_values, month, months=months_covered(nea.actual_values, month))

    def actual_to(month):
        return rollup_actual("sum", nea.actual_values, month)

    def exposure_to(month):
        plan, actual = plan_to(month), actual_to(month)
        if plan is None or actual is None:
            return None
        return exposure(
            through_month=month,
            plan=plan,
            actual=actual,
            cost_per_admission=cost,
            contingency=terms.contingency,
            shares=shares,
        )

    def quarter_in(quarter):  # every month of the quarter has its actual (a month's, its quarter's or the year's)
        return set(range(3 * quarter - 2, 3 * quarter + 1)) <= months_covered(nea.actual_values, 3 * quarter)

    position.ytd = exposure_to(nea.as_of.number)
    for quarter in range(1, 5):
        # A quarter with a month missing has no position at its end: it would repeat the quarter before.
        if nea.as_of.number >= 3 * quarter and quarter_in(quarter):
            found = exposure_to(3 * quarter)
            if found:
                position.quarters.append(found)
    if terms.performance_fund:
        planned_per_quarter = Decimal(terms.planned_nea_reduction) / 4
        for quarter in range(1, nea.as_of.number // 3 + 1):
            if not quarter_in(quarter):  # nothing is released for admissions not yet returned
                break
            plan, actual = _quarter_sum(plan_to, quarter), _quarter_sum(actual_to, quarter)
            if plan is None or actual is None:
                break
            position.fund_quarters.append(
                performance_fund_quarter(
                    quarter=quarter,
                    planned_reduction=planned_per_quarter,
                    plan=plan,
                    actual=actual,
                    cost_per_admission=cost,
                )
            )
    return position


def _quarter_sum(to_month, quarter: int):
    """Admissions within one quarter: the running total at its end less that at the end of the last
    (``to_month``: the running total to the end of a month)."""
    to_end = to_month(3 * quarter)
    before = to_month(3 * quarter - 3) if quarter > 1 else Decimal(0)
    return None if to_end is None else to_end - (before or 0)
