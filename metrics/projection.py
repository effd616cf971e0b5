"""Projected year-end of a metric from its months of actuals: pure arithmetic, no queries.

Months are financial-year month numbers, 1 (April) to 12 (March). A month's values may be
given as a dict ``{month: value}`` or as a list of twelve values (April first) with ``None``
where there is no value. Values are ``Decimal`` (ints are accepted; floats go through ``str``).

The year-end follows the metric's roll-up, as ``metrics.performance`` does:
``"sum"`` adds the twelve months (counts such as emergency admissions), ``"mean"`` averages
them (rates such as delayed transfers), ``"latest"`` is the value for the last month, March
(a percent measured as it stands, such as reablement).

The months that have no actual ("months to come", and any gap) are projected by the first
method that applies:

1. **Seasonal**: the area has earlier complete years (twelve months of actuals) of the
   metric. Each earlier year gives every month an index, its value over the year's monthly
   mean (for a sum the index is twelve times the month's share of the year's total); the
   indices are averaged over the years. This year's level is the actuals over the indices
   of the same months, and a month to come is its index times that level. Emergency
   admissions peak in winter, so spring and summer months alone under-project a straight line.
2. **Plan**: no history, but a plan for each of the twelve months. A month to come is its
   plan times the ratio of actuals to plan over the months seen, so a series 1.5% above a
   seasonal plan projects 1.5% above it. Where both the plan and the actuals are zero over the
   months seen (a service that starts in July), a month to come is its plan as it stands.
3. **Run rate**: neither. A month to come is the mean of the months seen.

The scaling (level or ratio) is taken over all the months seen for ``"sum"`` and ``"mean"``,
and over the latest month seen alone for ``"latest"``, whose earlier values are superseded
(so the run rate for a ``"latest"`` metric carries its latest actual forward).

A projection needs at least ``MIN_MONTHS`` months of actuals; before that it is ``None``.
Year-ends are exact ``Decimal``; rounding for display (counts to whole numbers, rates to two
places) is the caller's.
"""

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from metrics import performance

MIN_MONTHS = 3
HORIZONS = (3, 6, 9)
ROLLUPS = ("sum", "mean", "latest")
SEASONAL, PLAN, RUN_RATE, ACTUAL = "seasonal", "plan", "run_rate", "actual"
MONTH_NAMES = (
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
)
HUNDREDTHS = Decimal("0.01")

MonthValues = Mapping[int, object] | Sequence[object]


@dataclass(frozen=True)
class Projection:
    """A metric's projected year-end.

    ``months`` holds all twelve months: the actuals where there are any, the projected
    values elsewhere. ``basis`` names the method (``"seasonal"``, ``"plan"``, ``"run_rate"``,
    or ``"actual"`` for a complete year) and ``method`` says it in plain words.
    ``low`` and ``high`` are the range from backtest errors, ``None`` when none were given.
    """

    year_end: Decimal
    method: str
    basis: str
    months_of_actuals: int
    months: dict[int, Decimal] = field(default_factory=dict)
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def range(self) -> tuple[Decimal, Decimal] | None:
        return None if self.low is None else (self.low, self.high)


@dataclass(frozen=True)
class Backtest:
    """Errors of projections made part-way through years whose outturn is known.

    ``errors[h][year]`` is the signed error in percent, two places, of the projection made
    from the first ``h`` months of ``year``: (projected - actual) / actual x 100.
    ``median[h]`` and ``worst[h]`` are the median and the largest of their absolute values;
    a horizon with no year has neither. Pass ``worst`` (or ``median``) to
    ``project_year_end(errors_pct=...)`` for a range.
    """

    errors: dict[int, dict[int, Decimal]]
    median: dict[int, Decimal]
    worst: dict[int, Decimal]


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value)) if isinstance(value, float) else Decimal(value)


def as_months(values: MonthValues | None) -> dict[int, Decimal]:
    """``{month: Decimal}`` for the months 1-12 that have a value, from a dict or a list of twelve."""
    if values is None:
        return {}
    items = values.items() if isinstance(values, Mapping) else enumerate(values, start=1)
    return {int(m): _dec(v) for m, v in items if v is not None and 1 <= int(m) <= 12}


def year_value(rollup: str, months: Mapping[int, Decimal]) -> Decimal:
    """The year's figure from all twelve months, by the roll-up."""
    if rollup == "sum":
        return sum((months[m] for m in range(1, 13)), Decimal(0))
    if rollup == "mean":
        return sum((months[m] for m in range(1, 13)), Decimal(0)) / 12
    if rollup == "latest":
        return months[12]
    raise ValueError(f"unknown roll-up {rollup!r}; expected one of {ROLLUPS}")


def seasonal_index(history: Iterable[MonthValues] | Mapping[int, MonthValues]) -> tuple[dict[int, Decimal], int]:
    """Each month's value over its year's monthly mean, averaged over the complete years.

    ``history`` is a list of years (or a dict year -> months); years without all twelve
    months, or whose mean is not above zero, are left out. Returns the indices (empty when
    no year qualifies) and the number of years used.
    """
    years = history.values() if isinstance(history, Mapping) else history
    indices: list[dict[int, Decimal]] = []
    for year in years:
        months = as_months(year)
        if len(months) < 12:
            continue
        mean = sum(months.values(), Decimal(0)) / 12
        if mean <= 0:
            continue
        indices.append({m: v / mean for m, v in months.items()})
    if not indices:
        return {}, 0
    return {m: sum((i[m] for i in indices), Decimal(0)) / len(indices) for m in range(1, 13)}, len(indices)


def _pct(ratio: Decimal) -> str:
    pct = ((ratio - 1) * 100).quantize(HUNDREDTHS, rounding=ROUND_HALF_UP)
    if pct == 0:
        return "on plan"
    return f"{abs(pct)}% {'above' if pct > 0 else 'below'} plan"


def _years(n: int) -> str:
    return f"{n} earlier year" if n == 1 else f"{n} earlier years"


def _error_for(errors_pct: Mapping[int, object] | None, months_seen: int) -> Decimal | None:
    """The error at the largest backtested horizon not beyond the months seen (fewer months err more)."""
    if not errors_pct:
        return None
    horizons = [h for h, e in errors_pct.items() if h <= months_seen and e is not None]
    return abs(_dec(errors_pct[max(horizons)])) if horizons else None


def project_year_end(
    actuals: MonthValues,
    *,
    rollup: str,
    history: Iterable[MonthValues] | Mapping[int, MonthValues] = (),
    plan_months: MonthValues | None = None,
    area: str = "the area",
    errors_pct: Mapping[int, object] | None = None,
) -> Projection | None:
    """Project the year-end from this year's actuals; ``None`` with fewer than three months of them.

    - ``actuals``: this year's monthly actuals (dict month -> value, or twelve values with None).
    - ``rollup``: ``"sum"``, ``"mean"`` or ``"latest"``, the metric's roll-up.
    - ``history``: the area's earlier years of monthly actuals for the metric (only complete
      years are used); with any, the seasonal method is used.
    - ``plan_months``: this year's plan for each month; used (without history) only when all
      twelve months are planned and the plan over the months seen is not zero. A quarterly
      or annual plan can be turned into months with ``performance.Values.month_plan``.
    - ``area``: the area's name, for the method's wording.
    - ``errors_pct``: backtest errors in percent by horizon (months of actuals), e.g.
      ``Backtest.worst``; the range is year_end x (1 -/+ error), using the error of the largest
      horizon not beyond the months seen, and no range before the first horizon.
    """
    if rollup not in ROLLUPS:
        raise ValueError(f"unknown roll-up {rollup!r}; expected one of {ROLLUPS}")
    seen = as_months(actuals)
    count = len(seen)
    if count < MIN_MONTHS:
        return None
    error = _error_for(errors_pct, count)
    to_come = [m for m in range(1, 13) if m not in seen]
    if not to_come:
        year_end = year_value(rollup, seen)
        return Projection(
            year_end=year_end,
            basis=ACTUAL,
            months_of_actuals=12,
            months=dict(sorted(seen.items())),
            method="All twelve months have actuals: the year-end is the year's actual.",
            low=None if error is None else year_end,
            high=None if error is None else year_end,
        )

    latest = max(seen)
    basis_months = [latest] if rollup == "latest" else sorted(seen)
    seen_total = sum((seen[m] for m in basis_months), Decimal(0))
    scaled_to = (
        f"the latest actual ({MONTH_NAMES[latest - 1]})"
        if rollup == "latest"
        else f"this year's {count} months of actuals"
    )

    indices, years_used = seasonal_index(history)
    plan = as_months(plan_months)
    index_seen = sum((indices[m] for m in basis_months), Decimal(0)) if indices else Decimal(0)
    plan_seen = sum((plan[m] for m in basis_months), Decimal(0)) if len(plan) == 12 else Decimal(0)
    if index_seen > 0:
        level = seen_total / index_seen
        projected = {m: indices[m] * level for m in to_come}
        basis = SEASONAL
        method = f"Months to come follow {area}'s own seasonal pattern in {_years(years_used)}, scaled to {scaled_to}"
    elif plan_seen != 0:
        ratio = seen_total / plan_seen
        projected = {m: plan[m] * ratio for m in to_come}
        basis = PLAN
        method = f"Months to come follow this year's monthly plan, scaled by {scaled_to} against it ({_pct(ratio)})"
    elif len(plan) == 12 and seen_total == 0 and any(plan[m] for m in to_come):
        # A service that starts part-way through the year: nothing planned and nothing happened
        # yet, so no ratio to scale by; the plan as it stands says more than a run rate of zero.
        projected = {m: plan[m] for m in to_come}
        basis = PLAN
        method = (
            "Months to come follow this year's monthly plan as it stands "
            "(nothing was planned or happened in the months seen, so there is no ratio to scale it by)"
        )
    else:
        level = seen_total / len(basis_months)
        projected = {m: level for m in to_come}
        basis = RUN_RATE
        if rollup == "latest":
            method = (
                f"The latest actual ({MONTH_NAMES[latest - 1]}) is carried to the year-end "
                "(no earlier complete years or monthly plan to show how it moves)"
            )
        else:
            method = (
                f"Months to come repeat the average of {scaled_to} "
                "(no earlier complete years or monthly plan to give a seasonal shape)"
            )

    months = dict(sorted({**seen, **projected}.items()))
    year_end = year_value(rollup, months)
    low = high = None
    if error is not None:
        low, high = year_end * (1 - error / 100), year_end * (1 + error / 100)
    return Projection(
        year_end=year_end, method=method, basis=basis, months_of_actuals=count, months=months, low=low, high=high
    )


def projection_status(year_end: Decimal | None, plan_year: Decimal | None, better: str, tolerance_pct: Decimal) -> str:
    """The status the year-end would have against the year's plan, by the same rule as ``status``."""
    return performance.status(plan=plan_year, actual=year_end, better=better, tolerance_pct=tolerance_pct)


def projection_variance_pct(year_end: Decimal | None, plan_year: Decimal | None) -> Decimal | None:
    """(year_end - plan_year) as a percent of the plan, two places, as ``performance.variance_pct``."""
    if year_end is None or plan_year is None:
        return None
    return performance.variance_pct(plan_year, year_end - plan_year)


def backtest(
    complete_years: Mapping[int, MonthValues],
    plan_by_year: Mapping[int, MonthValues] | None = None,
    history: bool = True,
    *,
    rollup: str = "sum",
    horizons: Sequence[int] = HORIZONS,
) -> Backtest:
    """How far projections made part-way through past years fell from their actual year-ends.

    ``complete_years`` maps a year (its starting calendar year) to its monthly actuals; years
    without all twelve months, or whose actual year-end is zero, are skipped. For each year
    and each horizon ``h`` the year-end is projected from its first ``h`` months, with the
    years before it (in ``complete_years``) as seasonal history when ``history`` is true, and
    that year's monthly plan from ``plan_by_year`` when given. ``history=False`` leaves the
    earlier years out, to test the plan or run-rate method on its own.
    """
    plans = plan_by_year or {}
    years = {y: as_months(v) for y, v in sorted(complete_years.items())}
    years = {y: v for y, v in years.items() if len(v) == 12}
    errors: dict[int, dict[int, Decimal]] = {h: {} for h in horizons}
    for year, months in years.items():
        actual = year_value(rollup, months)
        if actual == 0:
            continue
        earlier = [v for y, v in years.items() if y < year] if history else []
        for h in horizons:
            projection = project_year_end(
                {m: months[m] for m in range(1, h + 1)}, rollup=rollup, history=earlier, plan_months=plans.get(year)
            )
            if projection is None:
                continue
            error = (projection.year_end - actual) / abs(actual) * 100
            errors[h][year] = error.quantize(HUNDREDTHS, rounding=ROUND_HALF_UP)
    median, worst = {}, {}
    for h, by_year in errors.items():
        sizes = [abs(e) for e in by_year.values()]
        if sizes:
            median[h] = Decimal(statistics.median(sizes)).quantize(HUNDREDTHS, rounding=ROUND_HALF_UP)
            worst[h] = max(sizes)
    return Backtest(errors=errors, median=median, worst=worst)
