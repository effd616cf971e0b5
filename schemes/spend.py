"""Spend against plan for an area-year's schemes: pure arithmetic on the months' figures, no queries.

A scheme's months arrive as lists of twelve (April first), ``None`` where nothing was entered.
``spend_from_rows`` works out each scheme's year to date, status and forecast outturn and the
area-year's totals; ``schemes.selectors`` reads the figures and hands them over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from decimal import Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.core.fields import PENNY
from metrics import performance

if TYPE_CHECKING:
    from schemes.models import Scheme, SchemeYear

ZERO = Decimal("0.00")
SPEND_TOLERANCE_PCT = Decimal(2)


def even_profile(budget: Decimal) -> list[Decimal]:
    """A budget spread over twelve months to the penny, the odd pence in the last month."""
    month = (budget / 12).quantize(PENNY, rounding="ROUND_DOWN")
    return [month] * 11 + [budget - month * 11]


def spend_variance(actual_ytd: Decimal | None, plan_ytd: Decimal | None) -> Decimal | None:
    """Actual against plan to date: positive is over plan. None before any actual."""
    return None if actual_ytd is None else actual_ytd - plan_ytd


def forecast_variance(forecast_outturn: Decimal, budget: Decimal) -> Decimal:
    """The forecast outturn against the budget: positive is an overspend."""
    return forecast_outturn - budget


@dataclass
class SchemeSpend:
    scheme: Scheme
    scheme_year: SchemeYear
    plan_months: list[Decimal | None]
    actual_months: list[Decimal | None]
    activity_plan: list[Decimal | None]
    activity_actual: list[Decimal | None]
    saving_plan: list[Decimal | None]
    profiled: bool  # False when no monthly plan was entered and the budget is spread evenly
    as_of: int | None = None
    plan_ytd: Decimal | None = None
    actual_ytd: Decimal | None = None
    forecast_outturn: Decimal = ZERO
    status: str = performance.NO_DATA

    @property
    def budget(self) -> Decimal:
        return self.scheme_year.budget

    @property
    def variance_ytd(self):
        return spend_variance(self.actual_ytd, self.plan_ytd)

    @property
    def forecast_variance(self) -> Decimal:
        return forecast_variance(self.forecast_outturn, self.budget)

    @property
    def has_override(self) -> bool:
        return self.scheme_year.forecast_override is not None

    @property
    def profile_total(self) -> Decimal | None:
        return sum((v for v in self.plan_months if v is not None), ZERO) if self.profiled else None

    @property
    def activity_plan_ytd(self):
        return _sum_through(self.activity_plan, self.as_of)

    @property
    def activity_actual_ytd(self):
        return _sum_through(self.activity_actual, self.as_of)


@dataclass
class SpendSummary:
    year: int
    as_of: periods.PeriodRef | None
    schemes: list[SchemeSpend]
    budget: Decimal = ZERO
    plan_ytd: Decimal | None = None
    actual_ytd: Decimal | None = None
    forecast_outturn: Decimal = ZERO
    cumulative_plan: list[Decimal] = field(default_factory=list)
    cumulative_actual: list[Decimal | None] = field(default_factory=list)

    @property
    def variance_ytd(self):
        return spend_variance(self.actual_ytd, self.plan_ytd)

    @property
    def forecast_variance(self) -> Decimal:
        return forecast_variance(self.forecast_outturn, self.budget)

    @property
    def status(self) -> str:
        return performance.status(plan=self.plan_ytd, actual=self.actual_ytd, better="lower",
                                  tolerance_pct=SPEND_TOLERANCE_PCT)

    def by_type(self) -> list[dict]:
        """Budget, YTD and forecast per scheme type, largest budget first."""
        groups: dict[str, dict] = {}
        for s in self.schemes:
            group = groups.setdefault(s.scheme.scheme_type, {
                "type": s.scheme.get_scheme_type_display(), "budget": ZERO, "plan_ytd": ZERO,
                "actual_ytd": ZERO, "forecast_outturn": ZERO, "schemes": 0})
            group["budget"] += s.budget
            group["plan_ytd"] += s.plan_ytd or ZERO
            group["actual_ytd"] += s.actual_ytd or ZERO
            group["forecast_outturn"] += s.forecast_outturn
            group["schemes"] += 1
        return sorted(groups.values(), key=lambda g: -g["budget"])


def _sum_through(months: list, through: int | None):
    if through is None:
        return None
    return sum((v for v in months[:through] if v is not None), Decimal(0))


_FROM_SCHEMES = object()


def spend_from_rows(year: int, scheme_years, grid, *, last=_FROM_SCHEMES) -> SpendSummary:
    """Plan, actual and forecast from scheme years and a (scheme, measure, kind) -> 12 months grid.

    ``last``, the area's last month with actual spend, is worked out from these schemes unless given.
    """
    schemes = []
    for sy in scheme_years:
        sid = sy.scheme_id
        planned = (sid, "spend", "plan") in grid
        schemes.append(SchemeSpend(
            scheme=sy.scheme, scheme_year=sy,
            plan_months=grid[(sid, "spend", "plan")] if planned else even_profile(sy.budget),
            actual_months=grid[(sid, "spend", "actual")],
            activity_plan=grid[(sid, "activity", "plan")], activity_actual=grid[(sid, "activity", "actual")],
            saving_plan=grid[(sid, "saving", "plan")], profiled=planned,
        ))

    if last is _FROM_SCHEMES:
        last = max((n + 1 for s in schemes for n, v in enumerate(s.actual_months) if v is not None), default=None)
    summary = SpendSummary(year=year, as_of=periods.month(year, last) if last else None, schemes=schemes)
    for s in schemes:
        _complete(s, last)
        summary.budget += s.budget
        summary.forecast_outturn += s.forecast_outturn
    if last:
        summary.plan_ytd = sum((s.plan_ytd for s in schemes), ZERO)
        summary.actual_ytd = sum((s.actual_ytd for s in schemes), ZERO)
    running_plan, running_actual = ZERO, ZERO
    for n in range(12):
        running_plan += sum((s.plan_months[n] or ZERO for s in schemes), ZERO)
        summary.cumulative_plan.append(running_plan)
        if last and n < last:
            running_actual += sum((s.actual_months[n] or ZERO for s in schemes), ZERO)
            summary.cumulative_actual.append(running_actual)
        else:
            summary.cumulative_actual.append(None)
    return summary


def _complete(s: SchemeSpend, last: int | None) -> None:
    """YTD to the area's last month with spend, and the forecast outturn."""
    s.as_of = last
    plan = [v or ZERO for v in s.plan_months]
    if last:
        s.plan_ytd = sum(plan[:last], ZERO)
        s.actual_ytd = sum((v or ZERO for v in s.actual_months[:last]), ZERO)
        s.status = performance.status(plan=s.plan_ytd, actual=s.actual_ytd, better="lower",
                                      tolerance_pct=SPEND_TOLERANCE_PCT)
    if s.has_override:
        s.forecast_outturn = s.scheme_year.forecast_override
    else:
        s.forecast_outturn = (s.actual_ytd or ZERO) + sum(plan[last or 0:], ZERO)


def moved_totals(*, actual_ytd: Decimal, forecast_outturn: Decimal, last_month: int, changes,
                 overridden: set[int]) -> tuple[Decimal, Decimal] | None:
    """An area-year's actual to date and forecast outturn after changes of schemes' monthly actuals, as
    ``spend_from_rows`` would work them out again, or None when a change moves more than those two.

    Up to the area's last month with actual spend (``last_month``) the actual to date and the forecast
    outturn are sums of the schemes' actuals (``_complete``): a change of spend there moves both by its
    difference (the forecast not for a scheme whose forecast is overridden). A change of spend in a
    later month moves every scheme's year to date: None. ``changes`` have ``scheme_id``, ``measure``,
    ``month``, ``old_value`` and ``new_value``; activity moves neither total.
    """
    actual = forecast = ZERO
    for change in changes:
        if change.measure != "spend":
            continue
        if change.month > last_month:
            return None
        difference = (change.new_value - (change.old_value or ZERO)).quantize(PENNY)
        actual += difference
        if change.scheme_id not in overridden:
            forecast += difference
    return actual_ytd + actual, forecast_outturn + forecast
