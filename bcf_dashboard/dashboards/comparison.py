"""One metric across every area a person may see, ranked, each against its own plan.

Areas differ in size, so counts are compared as rates: a metric the engine already
shows per 100,000 (DTOC, RES) is used as it stands; a plain count (NEA) is divided by the
area's all-ages population (the same nearest mid-year estimate the engine uses).
The figures are the engine's, as the digest table keeps them (``bcf_dashboard.digests.headlines``): one
small row per area, not every area's monthly values.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.http import Http404

from bcf_dashboard.core import charts, periods
from bcf_dashboard.core.access import areas_for
from bcf_dashboard.core.limits import LAST_YEAR
from bcf_dashboard.core.models import Area, Population
from bcf_dashboard.dashboards.overview import visible_areas
from bcf_dashboard.digests import selectors as digests
from bcf_dashboard.engine.headlines import HeadlineMetric
from bcf_dashboard.engine.illustrative import MARK as ILLUSTRATIVE
from metrics.models import MetricDefinition

PER = 100_000


@dataclass
class ComparisonRow:
    area: Area
    performance: HeadlineMetric | None
    population: int | None = None  # only where the comparison divides a count by it
    actual: Decimal | None = None  # as compared: the engine's YTD, or per 100,000 where a count
    plan: Decimal | None = None
    plan_year: Decimal | None = None
    rank: int | None = None

    @property
    def status(self):
        return self.performance.status if self.performance else "no_data"

    @property
    def as_of(self):
        return self.performance.as_of if self.performance else None

    @property
    def variance_pct(self):
        return self.performance.variance_pct if self.performance else None


@dataclass
class Comparison:
    definition: MetricDefinition
    year: int | None
    years: list[int]
    regions: list[str]
    region: str
    choices: list[MetricDefinition]
    rows: list[ComparisonRow]  # ranked rows first, then areas without actuals
    per_population: bool  # True when counts were turned into rates here
    unit: str  # the unit of the compared figures: count, rate or percent
    illustrative_populations: bool = False  # a population divided by is made up (the demo's), not published

    @property
    def ranked(self):
        return [r for r in self.rows if r.rank is not None]

    @property
    def year_label(self):
        return periods.year_label(self.year) if self.year else None

    @property
    def basis(self) -> str:
        """In words: what the bars show."""
        d = self.definition
        if self.per_population:
            return f"year-to-date count per {PER:,} people of all ages"
        if d.unit == "rate" and d.population_band:
            band = "all ages" if d.population_band == "all" else f"aged {d.population_band}"
            return f"year-to-date rate per {d.per_population:,} people {band}"
        if d.unit == "percent":
            return "latest or year-to-date percentage"
        return "year-to-date figure"

    @property
    def months_differ(self) -> bool:
        return len({r.as_of for r in self.ranked}) > 1

    def figure(self) -> dict | None:
        ranked = self.ranked
        if not ranked:
            return None
        kind = "percent" if self.unit == "percent" else ("count" if self.unit == "count" else "rate")
        return charts.ranked_bars(
            names=[r.area.name for r in ranked],
            actual=[r.actual for r in ranked],
            plan=[r.plan for r in ranked],
            kind=kind,
            axis_title=self.basis[0].upper() + self.basis[1:],
            actual_name="Actual to date",
            plan_name="Own plan to date",
        )


def metric_choices(visible, year):
    """National headline metrics in force in the year, then the visible areas' local ones."""
    found = MetricDefinition.objects.filter(
        Q(area__isnull=True) | Q(area__in=visible.values("id")), parent__isnull=True
    ).select_related("area")
    return [d for d in found if year is None or d.applies_in(year)]


@dataclass
class ComparisonFrame:
    """What the comparison lists, before any figure: cheap, and all its cache key needs (views.compare)."""

    definition: MetricDefinition
    year: int | None
    years: list[int]
    regions: list[str]
    choices: list[MetricDefinition]
    areas: list[Area]


def comparison_frame(user, code: str, *, flags, year: int | None = None, region: str = "") -> ComparisonFrame:
    """404 for a metric none of the user's areas has. ``flags``: ``digests.services.up_to_date_flags``
    of the areas the user may see."""
    visible = areas_for(user)
    years = digests.years_with_data(flags)
    if year not in years:
        # As the overview: the latest year with actuals unless another is asked for.
        year = digests.latest_year_with_actuals(flags, LAST_YEAR + 1) or (years[0] if years else None)
    choices = metric_choices(visible, year)
    definition = next((d for d in choices if d.code == code), None)
    if definition is None:
        definition = (
            MetricDefinition.objects.filter(code=code)
            .filter(Q(area__isnull=True) | Q(area__in=visible.values("id")))
            .first()
        )
    if definition is None:
        raise Http404("No such metric for your areas")
    areas = visible_areas(visible)
    regions = sorted({a.region for a in areas if a.region})
    areas = [a for a in areas if (not region or a.region == region) and definition.area_id in (None, a.id)]
    return ComparisonFrame(definition=definition, year=year, years=years, regions=regions, choices=choices, areas=areas)


def build_comparison(*, frame: ComparisonFrame, headlines: dict, region: str = "") -> Comparison:
    """The frame's metric across its areas. ``headlines``: ``digests.services.up_to_date_headlines`` of
    the frame's areas and year. One query of its own, where counts are divided by populations: whether
    any of them is illustrative, so the page says so."""
    definition, year, areas = frame.definition, frame.year, frame.areas
    per_population = definition.unit == "count"
    rows = []
    for area in areas:
        headline = headlines.get(area.id)
        performance = headline.metric(definition.code) if headline else None
        row = ComparisonRow(area=area, performance=performance)
        if performance is not None:
            row.actual, row.plan, row.plan_year = performance.actual_ytd, performance.plan_ytd, performance.plan_year
            if per_population:
                row.population = headline.populations.get(definition.population_band or "all")
                row.actual, row.plan, row.plan_year = (
                    _per(v, row.population) for v in (row.actual, row.plan, row.plan_year)
                )
        rows.append(row)
    _rank(rows, definition.better)
    illustrative = (
        per_population
        and Population.objects.filter(area__in=[a.id for a in areas], source__startswith=ILLUSTRATIVE).exists()
    )
    return Comparison(
        illustrative_populations=illustrative,
        definition=definition,
        year=year,
        years=frame.years,
        regions=frame.regions,
        region=region,
        choices=frame.choices,
        rows=rows,
        per_population=per_population,
        unit="rate" if per_population else definition.unit,
    )


def _per(value, population):
    if value is None or not population:
        return None
    return value / population * PER


def _rank(rows: list[ComparisonRow], better: str) -> None:
    """Best first in the metric's better direction; areas without an actual after, by name."""
    with_actual = sorted(
        (r for r in rows if r.actual is not None),
        key=lambda r: (r.actual if better == "lower" else -r.actual, r.area.name),
    )
    for i, row in enumerate(with_actual, start=1):
        row.rank = i
    rest = sorted((r for r in rows if r.actual is None), key=lambda r: r.area.name)
    rows[:] = with_actual + rest
