"""A metric's page for one area: what it measures, in words, and every year's plan against actual."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from bcf_dashboard.core import periods
from bcf_dashboard.engine import foresight
from bcf_dashboard.engine.illustrative import illustrative_in
from metrics.charts import years_figure
from metrics.models import MetricDefinition
from metrics.selectors import MetricYear, metric_histories, metric_years


@dataclass
class MetricPage:
    area: object
    definition: MetricDefinition
    years: list[MetricYear]
    figure: dict | None
    selected_year: int | None

    illustrative: dict = None  # engine.illustrative.illustrative_in for the latest year shown

    @property
    def explanation(self) -> list[str]:
        return explain(
            self.definition, populations_illustrative=bool(self.illustrative and self.illustrative["populations"])
        )

    @property
    def latest(self) -> MetricYear | None:
        return self.years[-1] if self.years else None


def build_metric_page(area, code: str, *, year: int | None = None) -> MetricPage:
    """404 for a metric that is neither national nor this area's own."""
    definition = (
        MetricDefinition.objects.filter(code=code)
        .filter(Q(area__isnull=True) | Q(area=area))
        .select_related("parent", "area")
        .first()
    )
    if definition is None:
        raise Http404("No such metric for this area")
    years = metric_years(area, definition)
    if years:  # the latest year's year-end, projected as the engine projects it for the dashboard
        latest = years[-1]
        histories = metric_histories([area.id], latest.year).get(area.id, {})
        foresight.project_metrics(area, [latest.performance], histories)
    shown_year = year or (years[-1].year if years else None)
    return MetricPage(
        area=area,
        definition=definition,
        years=years,
        figure=years_figure(definition, years),
        selected_year=year,
        illustrative=illustrative_in(area, shown_year) if shown_year else None,
    )


def _band(band: str) -> str:
    return "of all ages" if band == "all" else f"aged {band}"


def explain(d: MetricDefinition, *, populations_illustrative: bool = False) -> list[str]:
    """The definition in plain sentences, for people who have not read the national guidance."""
    words = []
    if d.area_id:
        words.append(f"A local metric that {d.area.name} set itself.")
    if d.parent_id:
        words.append(f"Part of {d.parent.code} ({d.parent.name}).")
    if d.entered_as == "count":
        source = (
            "an illustrative population (a round value made up for the demo, not an ONS estimate)"
            if populations_illustrative
            else "the ONS mid-year population estimate"
        )
        words.append(
            f"Entered as a count and shown per {d.per_population:,} people {_band(d.population_band)}, "
            f"using {source} for the year (or the nearest earlier one)."
        )
    elif d.unit == "rate" and d.population_band:
        words.append(f"A rate per {d.per_population:,} people {_band(d.population_band)}.")
    elif d.unit == "percent":
        words.append("A percentage.")
    else:
        words.append("A count.")
    words.append({"lower": "Lower is better.", "higher": "Higher is better."}[d.better])
    words.append(
        {
            "sum": "A year's figure is its months added up; a plan set only for a quarter or the year is spread "
            "evenly over its months when comparing the year so far.",
            "mean": "A year's figure is the average of its months; the year so far is the average of the months "
            "reported.",
            "latest": "The latest value reported stands for the year, compared with the plan for that period.",
        }[d.rollup]
    )
    tolerance = f"{Decimal(d.tolerance_pct).normalize():f}%"
    words.append(
        f"On track when at or better than plan; at risk when worse by no more than {tolerance} of the "
        f"plan; not on track when worse by more. No actual yet means data not available."
    )
    span = f"from {periods.year_label(d.first_year)}"
    if d.last_year:
        span += f" to {periods.year_label(d.last_year)}"
    words.append(f"Reported {span}.")
    return words
