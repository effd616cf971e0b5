"""Read queries for metrics: each area-year's metrics, plan against actual."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from bcf_dashboard import periods
from bcf_dashboard.models import Population

from . import performance
from .models import MetricDefinition, MetricValue


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
    plan_values: performance.Values = field(default_factory=performance.Values)  # as entered, for checks
    actual_values: performance.Values = field(default_factory=performance.Values)

    @property
    def code(self):
        return self.definition.code

    @property
    def status_label(self):
        return performance.STATUS_LABEL[self.status]

    @property
    def national_status(self):
        return performance.NATIONAL_WORDING[self.status]


def metrics_for(area, year: int) -> list[MetricDefinition]:
    """National metrics in force that year and the area's own local metrics."""
    return [
        m for m in MetricDefinition.objects.filter(Q(area__isnull=True) | Q(area=area)).select_related("parent")
        if m.applies_in(year)
    ]


def population_for(area, year: int) -> dict[str, int]:
    """Each band's population for the year: that mid-year's estimate, else the nearest earlier one, else later."""
    best: dict[str, tuple[int, int]] = {}
    for band, est_year, population in Population.objects.filter(area=area).values_list("band", "year", "population"):
        distance = (0 if est_year <= year else 1000) + abs(year - est_year)
        if band not in best or distance < best[band][0]:
            best[band] = (distance, population)
    return {band: population for band, (_, population) in best.items()}


def _values_by_metric(area, year: int) -> dict[int, dict[str, performance.Values]]:
    found: dict[int, dict[str, performance.Values]] = defaultdict(
        lambda: {"plan": performance.Values(), "actual": performance.Values()})
    rows = MetricValue.objects.filter(area=area, period__financial_year=year).values_list(
        "metric_id", "kind", "period__kind", "period__number", "value")
    for metric_id, kind, period_kind, number, value in rows:
        values = found[metric_id][kind]
        if period_kind == periods.MONTH:
            values.months[number] = value
        elif period_kind == periods.QUARTER:
            values.quarters[number] = value
        else:
            values.year = value
    return found


def metric_performance(area, year: int) -> list[MetricPerformance]:
    definitions = metrics_for(area, year)
    values = _values_by_metric(area, year)
    populations = population_for(area, year) if any(d.entered_as == "count" for d in definitions) else {}
    result = []
    for definition in definitions:
        pair = values.get(definition.id)
        if definition.parent_id and pair is None:
            continue  # a component (e.g. the NHS share of delays) shows only where the area reports it
        pair = pair or {"plan": performance.Values(), "actual": performance.Values()}
        result.append(_perform(definition, year, pair["plan"], pair["actual"], populations))
    return result


def _perform(definition, year, plan, actual, populations) -> MetricPerformance:
    rollup = definition.rollup
    last = performance.last_month_covered(actual)
    plan_ytd = performance.rollup_plan(rollup, plan, last) if last else None
    actual_ytd = performance.rollup_actual(rollup, actual, last) if last else None
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
        counts = {"plan_year": performance.plan_for_year(rollup, plan), "stated_plan_year": plan.year,
                  "plan_ytd": plan_ytd, "actual_ytd": actual_ytd}
    plan_ytd_shown, actual_ytd_shown = shown(plan_ytd), shown(actual_ytd)
    variance = actual_ytd_shown - plan_ytd_shown if None not in (plan_ytd_shown, actual_ytd_shown) else None
    months = [MonthFigure(periods.month(year, n), shown(plan.months.get(n)), shown(actual.months.get(n)))
              for n in range(1, 13)]
    quarter_numbers = sorted(set(plan.quarters) | set(actual.quarters))
    quarters = [MonthFigure(periods.quarter(year, q), shown(plan.quarters.get(q)), shown(actual.quarters.get(q)))
                for q in quarter_numbers]
    return MetricPerformance(
        definition=definition,
        as_of=periods.month(year, last) if last else None,
        plan_year=shown(performance.plan_for_year(rollup, plan)),
        stated_plan_year=shown(plan.year),
        plan_ytd=plan_ytd_shown,
        actual_ytd=actual_ytd_shown,
        variance_ytd=variance,
        variance_pct=performance.variance_pct(plan_ytd_shown, variance),
        status=performance.status(plan=plan_ytd_shown, actual=actual_ytd_shown, better=definition.better,
                                  tolerance_pct=definition.tolerance_pct) if last else performance.NO_DATA,
        months=months,
        quarters=quarters,
        population=population,
        counts=counts,
        plan_values=plan,
        actual_values=actual,
    )
