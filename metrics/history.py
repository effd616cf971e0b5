"""One metric for one area over every year it has figures: the engine's year, year after year."""

from collections import defaultdict
from dataclasses import dataclass

from bcf_dashboard import periods
from bcf_dashboard.models import Population
from metrics.selectors import nearest_populations

from . import performance
from .models import MetricValue
from .selectors import MetricPerformance, _perform


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
        "period__financial_year", "kind", "period__kind", "period__number", "value")
    for year, kind, period_kind, number, value in rows:
        found = values[year][kind]
        if period_kind == periods.MONTH:
            found.months[number] = value
        elif period_kind == periods.QUARTER:
            found.quarters[number] = value
        else:
            found.year = value
    population_rows = (list(Population.objects.filter(area=area).values_list("band", "year", "population"))
                       if definition.entered_as == "count" else [])
    return [MetricYear(year=year, in_force=definition.applies_in(year),
                       performance=_perform(definition, year, values[year]["plan"], values[year]["actual"],
                                            nearest_populations(population_rows, year)))
            for year in sorted(values)]
