"""Read queries for metrics: each area-year's metrics, plan against actual, and one metric over every year.

The arithmetic is ``performance``'s; this module reads the values and hands them over."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Population
from metrics import performance
from metrics.models import MetricDefinition, MetricValue
from metrics.performance import MetricPerformance, nearest_populations, perform


def metrics_for(area, year: int) -> list[MetricDefinition]:
    """National metrics in force that year and the area's own local metrics."""
    return [
        m
        for m in MetricDefinition.objects.filter(Q(area__isnull=True) | Q(area=area)).select_related("parent")
        if m.applies_in(year)
    ]


def populations_by_area(area_ids, year: int) -> dict[int, dict[str, int]]:
    rows = defaultdict(list)
    for area_id, band, est_year, population in Population.objects.filter(area_id__in=area_ids).values_list(
        "area_id", "band", "year", "population"
    ):
        rows[area_id].append((band, est_year, population))
    return {area_id: nearest_populations(rows[area_id], year) for area_id in area_ids}


def population_for(area, year: int) -> dict[str, int]:
    return populations_by_area([area.id], year)[area.id]


def _empty_pair():
    return {"plan": performance.Values(), "actual": performance.Values()}


def _ends(period_kind: str, number: int) -> int:
    """The month number (1-12) a month, quarter or year value runs to."""
    return number if period_kind == periods.MONTH else 3 * number if period_kind == periods.QUARTER else 12


def metric_performances(
    area_ids, year: int, *, through: int = 12, populations: dict | None = None
) -> dict[int, list[MetricPerformance]]:
    """Each area's metrics for the year, keyed by area id, in the same four queries for any number of areas.

    ``through`` (a month number) leaves out actuals for later months: a quarter's figures as they
    stood at its end. ``populations`` (``populations_by_area``) saves reading them again.
    """
    area_ids = list(area_ids)
    definitions = [
        d
        for d in MetricDefinition.objects.filter(Q(area__isnull=True) | Q(area_id__in=area_ids)).select_related(
            "parent"
        )
        if d.applies_in(year)
    ]
    values = defaultdict(lambda: defaultdict(_empty_pair))
    rows = (
        MetricValue.objects.filter(area_id__in=area_ids, period__financial_year=year)
        .order_by()
        .values_list("area_id", "metric_id", "kind", "period__kind", "period__number", "value")
    )
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
            performances.append(perform(definition, year, pair["plan"], pair["actual"], populations.get(area_id, {})))
        result[area_id] = performances
    return result


# How many years before the one shown give a metric its seasonal shape: enough to average out a
# freak winter, few enough that the query stays the size of a handful of area-years.
HISTORY_YEARS = 5


def metric_histories(area_ids, year: int, *, years_back: int = HISTORY_YEARS) -> dict[int, dict[int, dict]]:
    """Each area's monthly actuals of the years before ``year``, in one query for any number of areas:
    ``{area id: {metric id: {financial year: {month number: value}}}}``, as entered (counts stay counts:
    a seasonal shape is a ratio and needs no population). Only months: a year without twelve of them
    gives no shape (``metrics.projection.seasonal_index``)."""
    found: dict = defaultdict(lambda: defaultdict(lambda: defaultdict(dict)))
    rows = (
        MetricValue.objects.filter(
            area_id__in=list(area_ids),
            kind="actual",
            period__kind=periods.MONTH,
            period__financial_year__gte=year - years_back,
            period__financial_year__lt=year,
        )
        .order_by()
        .values_list("area_id", "metric_id", "period__financial_year", "period__number", "value")
    )
    for area_id, metric_id, fy, number, value in rows:
        found[area_id][metric_id][fy][number] = value
    return found


def metric_series(area_ids=None) -> dict[tuple[int, int], dict[int, dict]]:
    """Every area's monthly actuals and plans of every metric and year, for a backtest (one query):
    ``{(area id, metric id): {financial year: {"actual": {month: value}, "plan": performance.Values}}}``.
    ``area_ids`` None reads every area (the benchmark command, never a page)."""
    values = MetricValue.objects.order_by()
    if area_ids is not None:
        values = values.filter(area_id__in=list(area_ids))
    found: dict = defaultdict(lambda: defaultdict(lambda: {"actual": {}, "plan": performance.Values()}))
    for area_id, metric_id, fy, kind, period_kind, number, value in values.values_list(
        "area_id", "metric_id", "period__financial_year", "kind", "period__kind", "period__number", "value"
    ):
        year = found[(area_id, metric_id)][fy]
        if kind == "actual":
            if period_kind == periods.MONTH:
                year["actual"][number] = value
        elif period_kind == periods.MONTH:
            year["plan"].months[number] = value
        elif period_kind == periods.QUARTER:
            year["plan"].quarters[number] = value
        else:
            year["plan"].year = value
    return found


def metric_performance(area, year: int, *, through: int = 12) -> list[MetricPerformance]:
    return metric_performances([area.id], year, through=through)[area.id]


@dataclass
class MetricYear:
    year: int
    performance: MetricPerformance
    in_force: bool  # False for a baseline year before the metric applied (e.g. a 2015/16 outturn)

    @property
    def year_label(self) -> str:
        return periods.year_label(self.year)


def metric_years(area, definition) -> list[MetricYear]:
    """Each year with values, oldest first, built as ``metric_performance`` builds one year (two queries)."""
    values = defaultdict(lambda: {"plan": performance.Values(), "actual": performance.Values()})
    rows = MetricValue.objects.filter(area=area, metric=definition).values_list(
        "period__financial_year", "kind", "period__kind", "period__number", "value"
    )
    for year, kind, period_kind, number, value in rows:
        found = values[year][kind]
        if period_kind == periods.MONTH:
            found.months[number] = value
        elif period_kind == periods.QUARTER:
            found.quarters[number] = value
        else:
            found.year = value
    population_rows = (
        list(Population.objects.filter(area=area).values_list("band", "year", "population"))
        if definition.entered_as == "count"
        else []
    )
    return [
        MetricYear(
            year=year,
            in_force=definition.applies_in(year),
            performance=perform(
                definition,
                year,
                values[year]["plan"],
                values[year]["actual"],
                nearest_populations(population_rows, year),
            ),
        )
        for year in sorted(values)
    ]
