"""Spend against plan for an area-year's schemes: pure arithmetic on the months' figures, no queries.

A scheme's months arrive as lists of twelve (April first), ``None`` where nothing was entered.
``spend_from_rows`` works out each scheme's year to date, status and forecast outturn and the
area-year's totals; ``schemes.selectors`` reads the figures and hands them over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from bcf_dashboard.core import periods
from bcf_dashboard.core.fields import PENNY
from metrics import completeness, performance

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
    missing_months: list[int] = field(default_factory=list)  # up to the area's as_of: a plan, no actual

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
    complete_through: int | None = None  # the last month every scheme has reported (and all before it)

    @property
    def variance_ytd(self):
        return spend_variance(self.actual_ytd, self.plan_ytd)

    @property
    def forecast_variance(self) -> Decimal:
        return forecast_variance(self.forecast_outturn, self.budget)

    @property
    def status(self) -> str:
        return performance.status(
            plan=self.plan_ytd, actual=self.actual_ytd, better="lower", tolerance_pct=SPEND_TOLERANCE_PCT
        )

    def by_type(self) -> list[dict]:
        """Budget, YTD and forecast per scheme type, largest budget first."""
        groups: dict[str, dict] = {}
        for s in self.schemes:
            group = groups.setdefault(
                s.scheme.scheme_type,
                {
                    "type": s.scheme.get_scheme_type_display(),
                    "budget": ZERO,
                    "plan_ytd": ZERO,
                    "actual_ytd": ZERO,
                    "forecast_outturn": ZERO,
                    "schemes": 0,
                },
            )
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

    Each scheme is compared over its own months (``_complete``); the totals add the schemes up.
    ``last``, the area's last month with actual spend, is worked out from these schemes unless given:
    it is ``as_of`` and the month up to which a scheme's months without an actual are ``missing``.
    """
    schemes = []
    for sy in scheme_years:
        sid = sy.scheme_id
        planned = (sid, "spend", "plan") in grid
        schemes.append(
            SchemeSpend(
                scheme=sy.scheme,
                scheme_year=sy,
                plan_months=grid[(sid, "spend", "plan")] if planned else even_profile(sy.budget),
                actual_months=grid[(sid, "spend", "actual")],
                activity_plan=grid[(sid, "activity", "plan")],
                activity_actual=grid[(sid, "activity", "actual")],
                saving_plan=grid[(sid, "saving", "plan")],
                profiled=planned,
            )
        )

    if last is _FROM_SCHEMES:
        last = max((n + 1 for s in schemes for n, v in enumerate(s.actual_months) if v is not None), default=None)
    summary = SpendSummary(year=year, as_of=periods.month(year, last) if last else None, schemes=schemes)
    for s in schemes:
        _complete(s, last)
        summary.budget += s.budget
        summary.forecast_outturn += s.forecast_outturn
    if last:
        summary.plan_ytd = sum((s.plan_ytd for s in schemes if s.plan_ytd is not None), ZERO)
        summary.actual_ytd = sum((s.actual_ytd for s in schemes if s.actual_ytd is not None), ZERO)
    summary.complete_through = complete_through(schemes, last)
    running_plan, running_actual = ZERO, ZERO
    for n in range(12):
        running_plan += sum((s.plan_months[n] or ZERO for s in schemes), ZERO)
        summary.cumulative_plan.append(running_plan)
        # Actual to date is drawn only through months every scheme has reported: a line that ran on
        # through a month some schemes have not entered would show their gap as an underspend.
        if summary.complete_through and n < summary.complete_through:
            running_actual += sum((s.actual_months[n] or ZERO for s in schemes), ZERO)
            summary.cumulative_actual.append(running_actual)
        else:
            summary.cumulative_actual.append(None)
    return summary


def complete_through(schemes, last: int | None) -> int | None:
    """The last month up to which no scheme is missing a month (every month before it is in too), or None."""
    through = None
    for n in range(1, (last or 0) + 1):
        if any(n in s.missing_months for s in schemes):
            break
        through = n
    return through


NOT_PLANNED = "not_planned"


def scheme_month_states(s: SchemeSpend, through: int | None) -> list[str]:
    """Each month's state for a scheme: in, missing (up to ``through``, the area's last month with spend
    unless a quarter's sign-off asks to its end: a plan but no actual), not due yet (after it), or
    not planned (no plan and no actual)."""
    through = through or 0
    return [
        completeness.IN
        if s.actual_months[n - 1] is not None
        else completeness.NOT_DUE
        if n > through
        else completeness.MISSING
        if s.plan_months[n - 1] is not None
        else NOT_PLANNED
        for n in range(1, 13)
    ]


def schemes_reporting(schemes, last: int | None) -> tuple[int | None, int | None]:
    """(expected, reported) for the area's last month with spend: active schemes with a plan for it, and
    active schemes with an actual for it. None, None before any actual."""
    if not last:
        return None, None
    active = [s for s in schemes if s.scheme.status == "active"]
    return (
        sum(1 for s in active if s.plan_months[last - 1] is not None),
        sum(1 for s in active if s.actual_months[last - 1] is not None),
    )


def _complete(s: SchemeSpend, last: int | None) -> None:
    """The scheme over its own months: year to date over the months with an actual (a gap compares
    nothing), the forecast its actuals plus its plan for every month without one, and the months
    up to the area's last month with spend (``last``) where it has a plan but no actual."""
    reported = [n for n, v in enumerate(s.actual_months) if v is not None]
    s.as_of = reported[-1] + 1 if reported else None
    s.missing_months = [n + 1 for n in range(last or 0) if s.actual_months[n] is None and s.plan_months[n] is not None]
    if reported:
        s.plan_ytd = sum((s.plan_months[n] or ZERO for n in reported), ZERO)
        s.actual_ytd = sum((s.actual_months[n] for n in reported), ZERO)
        s.status = performance.status(
            plan=s.plan_ytd, actual=s.actual_ytd, better="lower", tolerance_pct=SPEND_TOLERANCE_PCT
        )
    if s.has_override:
        s.forecast_outturn = s.scheme_year.forecast_override
    else:
        s.forecast_outturn = sum(
            (a if a is not None else (p or ZERO) for p, a in zip(s.plan_months, s.actual_months)), ZERO
        )


def moved_totals(
    *, actual_ytd: Decimal, forecast_outturn: Decimal, last_month: int, changes, overridden: set[int]
) -> tuple[Decimal, Decimal] | None:
    """An area-year's actual to date and forecast outturn after changes of schemes' monthly actuals, as
    ``spend_from_rows`` would work them out again, or None when a change moves more than those two.

    A change of an actual that was there before, up to the area's last month with actual spend
    (``last_month``), moves the actual to date and the forecast outturn by its difference (the forecast
    not for a scheme whose forecast is overridden) and nothing else (``_complete``). An actual where there
    was none fills a missing month: it moves the plan to date by that month's plan, the forecast by the
    actual less the plan and what is missing, so None; so does a change of spend in a later month (a new
    ``as_of``, which makes other schemes' months missing). ``changes`` have ``scheme_id``, ``measure``,
    ``month``, ``old_value`` and ``new_value``; activity moves neither total.
    """
    actual = forecast = ZERO
    for change in changes:
        if change.measure != "spend":
            continue
        if change.month > last_month or change.old_value is None:
            return None
        difference = (change.new_value - change.old_value).quantize(PENNY)
        actual += difference
        if change.scheme_id not in overridden:
            forecast += difference
    return actual_ytd + actual, forecast_outturn + forecast
