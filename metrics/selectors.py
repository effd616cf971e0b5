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


def nearest_populations(rows, year: int) -> dict[str, int]:
    """Each band's population for the year from (band, estimate year, population) rows: that
    mid-year's estimate, else the nearest earlier one, else the nearest later one."""
    best: dict[str, tuple[int, int]] = {}
    for band, est_year, population in rows:
        distance = (0 if est_year <= year else 1000) + abs(year - est_year)
        if band not in best or distance < best[band][0]:
            best[band] = (distance, population)
    return {band: population for band, (_, population) in best.items()}


def populations_by_area(area_ids, year: int) -> dict[int, dict[str, int]]:
    rows = defaultdict(list)
    for area_id, band, est_year, population in Population.objects.filter(area_id__in=area_ids).values_list(
            "area_id", "band", "year", "population"):
        rows[area_id].append((band, est_year, population))
    return {area_id: nearest_populations(rows[area_id], year) for area_id in area_ids}


def population_for(area, year: int) -> dict[str, int]:
    return populations_by_area([area.id], year)[area.id]


def _empty_pair():
    return {"plan": performance.Values(), "actual": performance.Values()}


def _ends(period_kind: str, number: int) -> int:
    """The month number (1-12) a month, quarter or year value runs to."""
    return number if period_kind == periods.MONTH else 3 * number if period_kind == periods.QUARTER else 12


def metric_performances(area_ids, year: int, *, through: int = 12,
                        populations: dict | None = None) -> dict[int, list[MetricPerformance]]:
    """Each area's metrics for the year, keyed by area id, in the same four queries for any number of areas.

    ``through`` (a month number) leaves out actuals for later months: a quarter's figures as they
    stood at its end. ``populations`` (``populations_by_area``) saves reading them again.
    """
    area_ids = list(area_ids)
    definitions = [d for d in MetricDefinition.objects.filter(Q(area__isnull=True) | Q(area_id__in=area_ids))
                   .select_related("parent") if d.applies_in(year)]
    values = defaultdict(lambda: defaultdict(_empty_pair))
    rows = MetricValue.objects.filter(area_id__in=area_ids, period__financial_year=year).order_by().values_list(
        "area_id", "metric_id", "kind", "period__kind", "period__number", "value")
    for area_id, metric_id, kind, period_kind, number, value in rows:
        if kind == "actual" and _ends(period_kind, number) > through:
            continue
        found = values[area_id][metric_id][kind]
        if period_kind == periods.MONTH:
            found.months[number] = value
        elif period_kind == periods.QUARTER:
            found.quarters[number] = value
        else:
            found.year = value
    if populations is None:
        needs_population = any(d.entered_as == "count" for d in definitions)
        populations = populations_by_area(area_ids, year) if needs_population else {}
    result = {}
    for area_id in area_ids:
        area_values = values.get(area_id, {})
        performances = []
        for definition in definitions:
            if definition.area_id not in (None, area_id):
                continue  # another area's local metric
            pair = area_values.get(definition.id)
            if definition.parent_id and pair is None:
                continue  # a component (e.g. the NHS share of delays) shows only where the area reports it
            pair = pair or _empty_pair()
            performances.append(_perform(definition, year, pair["plan"], pair["actual"],
                                         populations.get(area_id, {})))
        result[area_id] = performances
    return result


def metric_performance(area, year: int, *, through: int = 12) -> list[MetricPerformance]:
    return metric_performances([area.id], year, through=through)[area.id]


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
