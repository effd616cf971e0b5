"""Spend against plan for an area-year's schemes: pure arithmetic on the months' figures, no queries.

A scheme's months arrive as lists of twelve (April first), ``None`` where nothing was entered.
``spend_from_rows`` works out each scheme's year to date, status and forecast outturn and the
area-year's totals; ``schemes.selectors`` reads the figures and hands them over.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from bcf_dashboard.core import periods
from bcf_dashboard.core.fields import PENNY, to_hundredths
from metrics import completeness, performance

if TYPE_CHECKING:
    from schemes.models import Scheme, SchemeYear

ZERO = Decimal("0.00")
SPEND_TOLERANCE_PCT = Decimal(2)


def even_profile(budget: Decimal) -> list[int]:
    """A budget spread over twelve months in integer pence, each month rounded towards zero, the odd
    pence in the last month."""
    pence = to_hundredths(budget)
    month = abs(pence) // 12 * (1 if pence >= 0 else -1)
    return [month] * 11 + [pence - month * 11]


def spend_variance(actual_ytd: Decimal | None, plan_ytd: Decimal | None) -> Decimal | None:
    """Actual against plan to date: positive is over plan. None before any actual."""
    return None if actual_ytd is None else actual_ytd - plan_ytd


def forecast_variance(forecast_outturn: Decimal, budget: Decimal) -> Decimal:
    """The forecast outturn against the budget: positive is an overspend."""
    return forecast_outturn - budget


def months_of(hundredths: list[int | None]) -> list[Decimal | None]:
    """Twelve months in integer hundredths (as stored) to two-place Decimals, None kept."""
    return [None if v is None else Decimal(v).scaleb(-2) for v in hundredths]


def _hundredths(total: int) -> Decimal:
    """A sum of hundredths as the two-place Decimal that adding up the months' Decimals from ZERO gives."""
    return Decimal(total).scaleb(-2)


@dataclass
class SchemeSpend:
    """A scheme's year. The months arrive as integer hundredths, as stored: the sums are worked out on
    integers (exact, and a big area's thousands of months cost a fraction of Decimal sums), and each
    list of months becomes Decimals the first time it is read (a page shows a few schemes' months)."""

    scheme: Scheme
    scheme_year: SchemeYear
    plan_hundredths: list[int | None]
    actual_hundredths: list[int | None]
    activity_plan_hundredths: list[int | None]
    activity_actual_hundredths: list[int | None]
    saving_plan_hundredths: list[int | None]
    profiled: bool  # False when no monthly plan was entered and the budget is spread evenly
    as_of: int | None = None
    plan_ytd: Decimal | None = None
    actual_ytd: Decimal | None = None
    forecast_outturn: Decimal = ZERO
    status: str = performance.NO_DATA
    missing_months: list[int] = field(default_factory=list)  # up to the area's as_of: a plan, no actual

    @functools.cached_property
    def plan_months(self) -> list[Decimal | None]:
        return months_of(self.plan_hundredths)

    @functools.cached_property
    def actual_months(self) -> list[Decimal | None]:
        return months_of(self.actual_hundredths)

    @functools.cached_property
    def activity_plan(self) -> list[Decimal | None]:
        return months_of(self.activity_plan_hundredths)

    @functools.cached_property
    def activity_actual(self) -> list[Decimal | None]:
        return months_of(self.activity_actual_hundredths)

    @functools.cached_property
    def saving_plan(self) -> list[Decimal | None]:
        return months_of(self.saving_plan_hundredths)

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

    @functools.cached_property
    def profile_total(self) -> Decimal | None:
        return _hundredths(sum(v for v in self.plan_hundredths if v is not None)) if self.profiled else None

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
            group = groups.get(s.scheme.scheme_type)
            if group is None:  # the type's name looked up once a type, not once a scheme (Django's is slow)
                group = groups[s.scheme.scheme_type] = {
                    "type": s.scheme.get_scheme_type_display(),
                    "budget": ZERO,
                    "plan_ytd": ZERO,
                    "actual_ytd": ZERO,
                    "forecast_outturn": ZERO,
                    "schemes": 0,
                }
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
    """Plan, actual and forecast from scheme years and a (scheme, measure, kind) -> 12 months grid of
    integer hundredths (as stored; None where nothing was entered).

    Each scheme is compared over its own months (``_complete``); the totals add the schemes up.
    ``last``, the area's last month with actual spend, is worked out from these schemes unless given:
    it is ``as_of`` and the month up to which a scheme's months without an actual are ``missing``.
    """
    schemes = []
    nothing = [None] * 12
    for sy in scheme_years:
        sid = sy.scheme_id
        plan = grid.get((sid, "spend", "plan"))
        schemes.append(
            SchemeSpend(
                scheme=sy.scheme,
                scheme_year=sy,
                plan_hundredths=plan if plan is not None else even_profile(sy.budget),
                actual_hundredths=grid.get((sid, "spend", "actual"), nothing),
                activity_plan_hundredths=grid.get((sid, "activity", "plan"), nothing),
                activity_actual_hundredths=grid.get((sid, "activity", "actual"), nothing),
                saving_plan_hundredths=grid.get((sid, "saving", "plan"), nothing),
                profiled=plan is not None,
            )
        )

    if last is _FROM_SCHEMES:
        last = max((n + 1 for s in schemes for n, v in enumerate(s.actual_hundredths) if v is not None), default=None)
    summary = SpendSummary(year=year, as_of=periods.month(year, last) if last else None, schemes=schemes)
    for s in schemes:
        _complete(s, last)
        summary.budget += s.budget
        summary.forecast_outturn += s.forecast_outturn
    if last:
        summary.plan_ytd = sum((s.plan_ytd for s in schemes if s.plan_ytd is not None), ZERO)
        summary.actual_ytd = sum((s.actual_ytd for s in schemes if s.actual_ytd is not None), ZERO)
    summary.complete_through = complete_through(schemes, last)
    # Month by month across the schemes, in pence: a missing month adds nothing.
    plan_by_month, actual_by_month = [0] * 12, [0] * 12
    for s in schemes:
        for n, (p, a) in enumerate(zip(s.plan_hundredths, s.actual_hundredths)):
            if p is not None:
                plan_by_month[n] += p
            if a is not None:
                actual_by_month[n] += a
    running_plan, running_actual = 0, 0
    for n in range(12):
        running_plan += plan_by_month[n]
        summary.cumulative_plan.append(_hundredths(running_plan))
        # Actual to date is drawn only through months every scheme has reported: a line that ran on
        # through a month some schemes have not entered would show their gap as an underspend.
        if summary.complete_through and n < summary.complete_through:
            running_actual += actual_by_month[n]
            summary.cumulative_actual.append(_hundredths(running_actual))
        else:
            summary.cumulative_actual.append(None)
    return summary


def complete_through(schemes, last: int | None) -> int | None:
    """The last month up to which no scheme is missing a month (every month before it is in too), or None."""
    first_missing = min((s.missing_months[0] for s in schemes if s.missing_months), default=None)
    last = last or 0
    if first_missing is not None:
        last = min(last, first_missing - 1)
    return last or None


NOT_PLANNED = "not_planned"


def scheme_month_states(s: SchemeSpend, through: int | None) -> list[str]:
    """Each month's state for a scheme: in, missing (up to ``through``, the area's last month with spend
    unless a quarter's sign-off asks to its end: a plan but no actual), not due yet (after it), or
    not planned (no plan and no actual)."""
    through = through or 0
    return [
        completeness.IN
        if s.actual_hundredths[n - 1] is not None
        else completeness.NOT_DUE
        if n > through
        else completeness.MISSING
        if s.plan_hundredths[n - 1] is not None
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
        sum(1 for s in active if s.plan_hundredths[last - 1] is not None),
        sum(1 for s in active if s.actual_hundredths[last - 1] is not None),
    )


def _complete(s: SchemeSpend, last: int | None) -> None:
    """The scheme over its own months: year to date over the months with an actual (a gap compares
    nothing), the forecast its actuals plus its plan for every month without one, and the months
    up to the area's last month with spend (``last``) where it has a plan but no actual."""
    plan, actual = s.plan_hundredths, s.actual_hundredths
    reported = [n for n, v in enumerate(actual) if v is not None]
    s.as_of = reported[-1] + 1 if reported else None
    s.missing_months = [n + 1 for n in range(last or 0) if actual[n] is None and plan[n] is not None]
    if reported:
        s.plan_ytd = _hundredths(sum(plan[n] or 0 for n in reported))
        s.actual_ytd = _hundredths(sum(actual[n] for n in reported))
        s.status = performance.status(
            plan=s.plan_ytd, actual=s.actual_ytd, better="lower", tolerance_pct=SPEND_TOLERANCE_PCT
        )
    if s.has_override:
        s.forecast_outturn = s.scheme_year.forecast_override
    else:
        s.forecast_outturn = _hundredths(sum(a if a is not None else (p or 0) for p, a in zip(plan, actual)))


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
