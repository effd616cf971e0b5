"""Where one metric's year is heading: ``metrics.projection`` applied to an area-year's figures.

Pure, like the projection itself: the engine hands over a ``MetricPerformance`` and the area's
earlier years of monthly actuals (``metrics.selectors.metric_histories``) and gets back a
``MetricForesight``: the projected year-end in the metric's own unit, its variance and status
against the year's plan (the same rule as ``status``), its range and, where the year-end misses
the plan, the month the projection first crossed the line.

The range ("low", "high") is the projection's own backtest error, chosen in this order:

1. **The area's own history**: with at least ``MIN_OWN_YEARS`` complete earlier years of the
   metric, each of those years but the first is projected from its first 3, 6 and 9 months
   with the years before it as seasonal history, and the largest error at each horizon is the
   range. The first year is left out because it has no history to project with, so its error
   says nothing about the seasonal method the area's projection uses.
2. **The demo data's backtest**: otherwise, ``DEMO_WORST_ERRORS_PCT``, the largest error at each
   horizon of the national metrics' complete years in the demo data (``bench/backtest.py``
   prints them; ``tests/metrics/test_backtest.py`` fails if they drift from what it finds).

Either way it is the worst error, not the median: a board member reads the range as "could end
anywhere in here", so it should rarely be too narrow. For the same reason (``widened``) a
projection made from fewer months never gets a narrower range than one made from more, and no
range is narrower than ``MIN_RANGE_PCT`` either side: a handful of years that happened to follow
their shape closely do not show that the next one will.
"""

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bcf_dashboard.core.statuses import AT_RISK, NOT_ON_TRACK
from metrics import projection as pj

MIN_OWN_YEARS = 2
MIN_RANGE_PCT = Decimal("0.5")
# Worst error (percent) at 3, 6 and 9 months of the national metrics' complete years in the demo
# data (Bromley 2016/17: NEA, DTOC, RES), as bench/backtest.py prints them; ``widened`` for use.
DEMO_WORST_ERRORS_PCT = {3: Decimal("0.59"), 6: Decimal("1.22"), 9: Decimal("0.48")}
OWN_HISTORY, DEMO_BACKTEST = "own_history", "demo_backtest"
MISSES = (AT_RISK, NOT_ON_TRACK)


@dataclass(frozen=True)
class MetricForesight:
    """A metric's projected year-end against its plan for the year, in the metric's own unit."""

    projection: pj.Projection
    plan_year: Decimal | None
    variance_pct: Decimal | None
    status: str
    range_basis: str
    crossed: int | None = None  # month number the projection first missed the plan (and has since)

    @property
    def year_end(self) -> Decimal:
        return self.projection.year_end

    @property
    def low(self) -> Decimal | None:
        return self.projection.low

    @property
    def high(self) -> Decimal | None:
        return self.projection.high

    @property
    def method(self) -> str:
        return self.projection.method

    @property
    def misses_plan(self) -> bool:
        return self.status in MISSES


def _shown(performance, values: list) -> list | None:
    """Counts entered for a rate become the rate, as the engine's own figures are."""
    d = performance.definition
    if d.entered_as != "count":
        return values
    if not performance.population:
        return None
    return [None if v is None else v / performance.population * d.per_population for v in values]


def plan_months(performance) -> list | None:
    """The year's plan month by month as the engine reads it (a sum takes its share of a quarter's
    or the year's plan, a mean or latest value stands as it is); None unless all twelve are known."""
    pro_rate = performance.definition.rollup == "sum"
    values = [performance.plan_values.month_plan(n, pro_rate=pro_rate) for n in range(1, 13)]
    if any(v is None for v in values):
        return None
    return _shown(performance, values)


def actual_months(performance) -> dict[int, Decimal]:
    return {f.period.number: f.actual for f in performance.months if f.actual is not None}


def range_errors(history: Mapping[int, Mapping[int, Decimal]], rollup: str) -> tuple[dict, str]:
    """The errors (percent by horizon) the range is drawn from, and which backtest gave them."""
    complete = {y: v for y, v in history.items() if len(pj.as_months(v)) == 12}
    if len(complete) >= MIN_OWN_YEARS:
        first = min(complete)
        tested = pj.backtest(complete, rollup=rollup)
        errors = {
            h: max(abs(e) for y, e in by_year.items() if y != first)
            for h, by_year in tested.errors.items()
            if any(y != first for y in by_year)
        }
        if errors:
            return widened(errors), OWN_HISTORY
    return widened(DEMO_WORST_ERRORS_PCT), DEMO_BACKTEST


def widened(errors: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Each horizon's error at least that of every later horizon, and at least ``MIN_RANGE_PCT``."""
    return {h: max([MIN_RANGE_PCT] + [abs(e) for k, e in errors.items() if k >= h]) for h in errors}


def foresee(
    performance, *, history: Mapping[int, Mapping[int, Decimal]] | None = None, area: str = "the area"
) -> MetricForesight | None:
    """The metric's projected year-end, or None before three months of actuals."""
    d = performance.definition
    actuals = actual_months(performance)
    if len(actuals) < pj.MIN_MONTHS:
        return None
    history = history or {}
    plan = plan_months(performance)
    errors, basis = range_errors(history, d.rollup)

    def project(months):
        return pj.project_year_end(
            months, rollup=d.rollup, history=history, plan_months=plan, area=area, errors_pct=errors
        )

    def status_of(found):
        return pj.projection_status(found.year_end, performance.plan_year, d.better, d.tolerance_pct)

    found = project(actuals)
    status = status_of(found)
    crossed = None
    if status in MISSES:
        # Walk back from the latest month while the projection made then missed as well.
        seen = sorted(actuals)
        for i in range(len(seen), pj.MIN_MONTHS - 1, -1):
            earlier = project({m: actuals[m] for m in seen[:i]})
            if status_of(earlier) not in MISSES:
                break
            crossed = seen[i - 1]
    return MetricForesight(
        projection=found,
        plan_year=performance.plan_year,
        variance_pct=pj.projection_variance_pct(found.year_end, performance.plan_year),
        status=status,
        range_basis=basis,
        crossed=crossed,
    )


@dataclass
class PooledBacktest:
    """Backtest errors (percent, signed) of many series pooled by horizon, with their median and worst
    absolute value; ``years`` counts the series-years tested."""

    errors: dict[int, list[Decimal]] = field(default_factory=dict)
    series: int = 0

    def median(self, horizon: int) -> Decimal | None:
        sizes = [abs(e) for e in self.errors.get(horizon, [])]
        return Decimal(statistics.median(sizes)).quantize(pj.HUNDREDTHS, rounding=ROUND_HALF_UP) if sizes else None

    def worst(self, horizon: int) -> Decimal | None:
        sizes = [abs(e) for e in self.errors.get(horizon, [])]
        return max(sizes) if sizes else None

    def years(self, horizon: int) -> int:
        return len(self.errors.get(horizon, []))


def pooled_backtest(
    series: Iterable[tuple[str, Mapping[int, Mapping], Mapping[int, list | None]]], *, horizons=pj.HORIZONS
) -> PooledBacktest:
    """Backtest each series ``(rollup, {year: monthly actuals}, {year: twelve monthly plans or None})``
    as the dashboard projects (earlier complete years as history, else the year's plan) and pool the errors."""
    pooled = PooledBacktest(errors={h: [] for h in horizons})
    for rollup, actuals_by_year, plans_by_year in series:
        plans = {y: p for y, p in plans_by_year.items() if p is not None}
        tested = pj.backtest(actuals_by_year, plans, rollup=rollup, horizons=horizons)
        if any(tested.errors[h] for h in horizons):
            pooled.series += 1
        for h in horizons:
            pooled.errors[h].extend(tested.errors[h].values())
    return pooled
