"""The area-year dashboard's data: the engine's summary plus its figures, ready for the template."""

from dataclasses import dataclass, field

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Area
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.engine.illustrative import illustrative_in
from bcf_dashboard.engine.summary import AreaYearSummary
from metrics.charts import year_figure
from metrics.performance import MetricPerformance
from schemes.charts import cumulative_spend_figure


@dataclass
class MetricCard:
    performance: MetricPerformance
    figure: dict | None
    figure_id: str
    components: list[MetricPerformance] = field(default_factory=list)

    @property
    def definition(self):
        return self.performance.definition

    @property
    def has_quarters_only(self) -> bool:
        return self.figure is not None and not any(
            f.plan is not None or f.actual is not None for f in self.performance.months
        )

    @property
    def figure_label(self) -> str:
        by = "quarter" if self.has_quarters_only else "month"
        return (
            f"Chart of {self.definition.name} by {by}: plan as a dashed line, actual as bars. "
            f"Status: {self.performance.status_label}."
        )


STATE_WORDS = {"in": "In", "missing": "Missing", "not_due": "Not due yet", "not_planned": "Not planned"}
# A month's cell in the returns table, one per state: a 400-scheme area's table has 4,800 cells, and
# putting each together (a template loop, or format_html) took 30-40 ms of the page.
STATE_CELL = {state: format_html('<td class="return-{}">{}</td>', state, words) for state, words in STATE_WORDS.items()}


@dataclass
class ReturnsRow:
    """One scheme's spend or one metric, month by month: what is in and what is missing."""

    measure: str
    label: str
    cells: list[tuple[str, str]]  # (state, words) for each month shown
    missing: int

    @property
    def cells_html(self) -> str:
        """The month cells as HTML (``STATE_CELL``)."""
        return mark_safe("".join(STATE_CELL[state] for state, _ in self.cells))  # nosec B308 B703  # escaped cells


def returns_body(rows: list[ReturnsRow]) -> str:
    """The returns table's rows as HTML: a template loop over a 400-scheme area's lines took 5 ms."""
    html = "\n".join(
        f'<tr><th scope="row">{conditional_escape(row.label)}</th>{row.cells_html}'
        f'<td class="num">{row.missing}</td></tr>'
        for row in rows
    )
    return mark_safe(html)  # nosec B308 B703  # the label escaped, the cells escaped, the count a number


def returns_grid(summary: AreaYearSummary) -> tuple[list[periods.PeriodRef], list[ReturnsRow]]:
    """The months to the area's last month with spend and each line's state in each: a table, in words."""
    through = summary.completeness.through
    if through is None:
        return [], []
    months = [periods.month(summary.year, n) for n in range(1, through.number + 1)]
    rows = [
        ReturnsRow(
            line.measure,
            line.label,
            [(state, STATE_WORDS[state]) for state in line.states[: through.number]],
            len(line.missing),
        )
        for line in summary.completeness.lines
    ]
    return months, rows


@dataclass
class AreaYearPage:
    area: Area
    year: int
    years: list[int]
    summary: AreaYearSummary
    metric_cards: list[MetricCard]
    spend_figure: dict | None
    spend_by_type: list[dict]
    returns_months: list = field(default_factory=list)
    returns_rows: list = field(default_factory=list)

    @property
    def completeness(self):
        return self.summary.completeness

    @property
    def returns_body(self) -> str:
        return returns_body(self.returns_rows)

    illustrative: dict = None  # engine.illustrative.illustrative_in: made-up figures and populations

    @property
    def year_label(self) -> str:
        return periods.year_label(self.year)

    @property
    def has_any_data(self) -> bool:
        s = self.summary
        return bool(
            s.spend.schemes
            or s.funding.contributions
            or s.risk_share
            or any(m.plan_year is not None or m.as_of for m in s.metrics)
        )

    @property
    def previous_year(self):
        earlier = [y for y in self.years if y < self.year]
        return max(earlier) if earlier else None

    @property
    def next_year(self):
        later = [y for y in self.years if y > self.year]
        return min(later) if later else None


def build_area_year(area: Area, year: int, *, years_with_data: list[int]) -> AreaYearPage:
    """Everything the area-year dashboard shows; the caller has checked access (load_area).

    A fixed number of queries whatever the number of schemes, metrics or months: the
    benchmark times this function.
    """
    summary = area_year_summary(area, year)
    years = sorted(set(years_with_data) | {year})
    components: dict[int, list] = {}
    for m in summary.metrics:
        if m.definition.parent_id:
            components.setdefault(m.definition.parent_id, []).append(m)
    cards = [
        MetricCard(
            performance=m,
            figure=year_figure(m, year),
            figure_id=f"figure-metric-{m.code.lower()}",
            components=components.get(m.definition.id, []),
        )
        for m in summary.headline_metrics()
    ]
    spend = summary.spend
    returns_months, returns_rows = returns_grid(summary)
    return AreaYearPage(
        area=area,
        year=year,
        years=years,
        summary=summary,
        metric_cards=cards,
        spend_figure=cumulative_spend_figure(spend) if spend.schemes else None,
        spend_by_type=spend.by_type(),
        returns_months=returns_months,
        returns_rows=returns_rows,
        illustrative=illustrative_in(area, year),
    )
