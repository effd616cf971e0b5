"""Plan against actual for one metric in one financial year: pure arithmetic, no queries.

Values arrive as *segments*: a monthly value covers one month, a quarterly value
three, a whole-year value twelve. Actuals use the finest segments entered (a quarter's
value counts only where none of its months has one). Plans are read month by month:
a month's plan is its own value, else its quarter's, else the year's, "as it stands"
for means and latest values and pro-rated (a third, a twelfth) for sums.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from bcf_dashboard.core import periods
from bcf_dashboard.core.statuses import AT_RISK, NATIONAL_WORDING, NO_DATA, NOT_ON_TRACK, ON_TRACK, STATUS_LABEL  # noqa: F401  (the status words travel with the figures)

if TYPE_CHECKING:
    from metrics.models import MetricDefinition


@dataclass(frozen=True)
class Segment:
    first_month: int
    last_month: int
    value: Decimal

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1


@dataclass
class Values:
    """One kind (plan or actual) of a metric's values for a year, by period kind."""

    months: dict[int, Decimal] = field(default_factory=dict)  # month number -> value
    quarters: dict[int, Decimal] = field(default_factory=dict)  # quarter number -> value
    year: Decimal | None = None

    def is_empty(self) -> bool:
        return not self.months and not self.quarters and self.year is None

    def segments(self) -> list[Segment]:
        """Finest-grained coverage, without counting any month twice."""
        found = [Segment(m, m, v) for m, v in self.months.items()]
        for q, v in self.quarters.items():
            span = range(3 * q - 2, 3 * q + 1)
            if not any(m in self.months for m in span):
                found.append(Segment(span[0], span[-1], v))
        if self.year is not None and not found:
            found.append(Segment(1, 12, self.year))
        return sorted(found, key=lambda s: (s.last_month, s.months))

    def month_plan(self, month: int, *, pro_rate: bool) -> Decimal | None:
        """The plan for one month: its own value, else its quarter's, else the year's."""
        if month in self.months:
            return self.months[month]
        quarter = (month - 1) // 3 + 1
        if quarter in self.quarters:
            return self.quarters[quarter] / 3 if pro_rate else self.quarters[quarter]
        if self.year is not None:
            return self.year / 12 if pro_rate else self.year
        return None


def last_month_covered(values: Values) -> int | None:
    segments = values.segments()
    return max((s.last_month for s in segments), default=None)


def rollup_actual(rollup: str, values: Values, through: int) -> Decimal | None:
    segments = [s for s in values.segments() if s.last_month <= through]
    if not segments:
        return None
    if rollup == "sum":
        return sum((s.value for s in segments), Decimal(0))
    if rollup == "mean":
        weight = sum(s.months for s in segments)
        return sum((s.value * s.months for s in segments), Decimal(0)) / weight
    # latest: the value whose period ends last; the finest wins a tie (a month over its quarter)
    return segments[-1].value


def months_covered(values: Values, through: int) -> set[int]:
    """The month numbers up to ``through`` that the values cover: a month's own, or its quarter's or year's."""
    return {m for s in values.segments() if s.last_month <= through for m in range(s.first_month, s.last_month + 1)}


def rollup_plan(rollup: str, values: Values, through: int, *, months: set[int] | None = None) -> Decimal | None:
    """The plan to the end of month ``through``; with ``months`` (``months_covered`` of the actuals), over
    those months only: a month without an actual is missing, so its plan is left out of the comparison
    rather than set against nothing (as a scheme's spend is compared over its own months)."""
    wanted = [m for m in range(1, through + 1) if months is None or m in months]
    if rollup == "latest":
        return values.month_plan(through, pro_rate=False)
    if rollup == "mean":
        known = [v for v in (values.month_plan(m, pro_rate=False) for m in wanted) if v is not None]
        return sum(known, Decimal(0)) / len(known) if known else None
    # A sum pro-rates a quarter's or the year's plan by the months it covers, multiplying
    # once (167 x 3 / 12 = 41.75 exactly) rather than adding up repeating twelfths.
    total, found = Decimal(0), False
    quarter_months: dict[int, int] = {}
    year_months = 0
    for m in wanted:
        quarter = (m - 1) // 3 + 1
        if m in values.months:
            total += values.months[m]
        elif quarter in values.quarters:
            quarter_months[quarter] = quarter_months.get(quarter, 0) + 1
        elif values.year is not None:
            year_months += 1
        else:
            continue
        found = True
    total += sum((values.quarters[q] * n / 3 for q, n in quarter_months.items()), Decimal(0))
    if year_months:
        total += values.year * year_months / 12
    return total if found else None


def plan_for_year(rollup: str, values: Values) -> Decimal | None:
    """The annual plan worked out from the finest plan entered (months, else quarters, else the year)."""
    if values.months:
        ordered = [values.months[m] for m in sorted(values.months)]
    elif values.quarters:
        ordered = [values.quarters[q] for q in sorted(values.quarters)]
    else:
        return values.year
    if rollup == "sum":
        return sum(ordered, Decimal(0))
    if rollup == "mean":
        return sum(ordered, Decimal(0)) / len(ordered)
    return ordered[-1]


def status(*, plan: Decimal | None, actual: Decimal | None, better: str, tolerance_pct: Decimal) -> str:
    """The product's rule: at or better than plan is on track; worse within tolerance at risk."""
    if plan is None or actual is None:
        return NO_DATA
    worse_by = actual - plan if better == "lower" else plan - actual
    if worse_by <= 0:
        return ON_TRACK
    if worse_by <= abs(plan) * tolerance_pct / 100:
        return AT_RISK
    return NOT_ON_TRACK


def variance_pct(plan: Decimal | None, variance: Decimal | None) -> Decimal | None:
    if plan in (None, 0) or variance is None:
        return None
    return (variance / plan * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class MonthFigure:
    period: periods.PeriodRef
    plan: Decimal | None
    actual: Decimal | None


@dataclass
class MetricPerformance:
    """One metric's year for one area, in the metric's own unit (rates derived from counts)."""

    definition: MetricDefinition
    as_of: periods.PeriodRef | None
    plan_year: Decimal | None
    stated_plan_year: Decimal | None
    plan_ytd: Decimal | None
    actual_ytd: Decimal | None
    variance_ytd: Decimal | None
    variance_pct: Decimal | None
    status: str
    months: list[MonthFigure]
    quarters: list[MonthFigure]
    population: int | None = None
    counts: dict = field(default_factory=dict)  # for metrics entered as counts: the counts behind the rates
    plan_values: Values = field(default_factory=Values)  # as entered, for checks
    actual_values: Values = field(default_factory=Values)
    # Where the year is heading (``metrics.foresight.MetricForesight``), set by the engine; None
    # before three months of actuals.
    projection: object = None

    @property
    def code(self):
        return self.definition.code

    @property
    def status_label(self):
        return STATUS_LABEL[self.status]

    @property
    def national_status(self):
        return NATIONAL_WORDING[self.status]


def nearest_populations(rows, year: int) -> dict[str, int]:
    """Each band's population for the year from (band, estimate year, population) rows: that
    mid-year's estimate, else the nearest earlier one, else the nearest later one."""
    best: dict[str, tuple[int, int]] = {}
    for band, est_year, population in rows:
        distance = (0 if est_year <= year else 1000) + abs(year - est_year)
        if band not in best or distance < best[band][0]:
            best[band] = (distance, population)
    return {band: population for band, (_, population) in best.items()}


def perform(definition, year: int, plan: Values, actual: Values, populations: dict) -> MetricPerformance:
    """One metric's year from its plan and actual values: year to date over the metric's own months,
    the variance and the status. ``populations`` (band -> people) turns counts into rates."""
    rollup = definition.rollup
    last = last_month_covered(actual)
    plan_ytd = rollup_plan(rollup, plan, last, months=months_covered(actual, last)) if last else None
    actual_ytd = rollup_actual(rollup, actual, last) if last else None
    population = populations.get(definition.population_band) if definition.entered_as == "count" else None

    def shown(value):
        """Counts entered for a rate become the rate; None stays None."""
        if value is None or definition.entered_as != "count":
            return value
        if not population:
            return None
        return value / population * definition.per_population

    counts = {}
    if definition.entered_as == "count":
        counts = {
            "plan_year": plan_for_year(rollup, plan),
            "stated_plan_year": plan.year,
            "plan_ytd": plan_ytd,
            "actual_ytd": actual_ytd,
        }
    plan_ytd_shown, actual_ytd_shown = shown(plan_ytd), shown(actual_ytd)
    variance = actual_ytd_shown - plan_ytd_shown if None not in (plan_ytd_shown, actual_ytd_shown) else None
    months = [
        MonthFigure(periods.month(year, n), shown(plan.months.get(n)), shown(actual.months.get(n)))
        for n in range(1, 13)
    ]
    quarter_numbers = sorted(set(plan.quarters) | set(actual.quarters))
    quarters = [
        MonthFigure(periods.quarter(year, q), shown(plan.quarters.get(q)), shown(actual.quarters.get(q)))
        for q in quarter_numbers
    ]
    return MetricPerformance(
        definition=definition,
        as_of=periods.month(year, last) if last else None,
        plan_year=shown(plan_for_year(rollup, plan)),
        stated_plan_year=shown(plan.year),
        plan_ytd=plan_ytd_shown,
        actual_ytd=actual_ytd_shown,
        variance_ytd=variance,
        variance_pct=variance_pct(plan_ytd_shown, variance),
        status=status(
            plan=plan_ytd_shown,
            actual=actual_ytd_shown,
            better=definition.better,
            tolerance_pct=definition.tolerance_pct,
        )
        if last
        else NO_DATA,
        months=months,
        quarters=quarters,
        population=population,
        counts=counts,
        plan_values=plan,
        actual_values=actual,
    )
