"""Figures for metrics: a year's months (or quarters) of plan against actual, and every year."""

from decimal import Decimal

from bcf_dashboard.core import charts, periods
from bcf_dashboard.core.formats import metric_figure
from bcf_dashboard.core.statuses import STATUS_LABEL


def value_kind(definition) -> str:
    """How the metric's numbers are written on an axis: count, rate or percent."""
    return definition.unit if definition.unit in charts.NUMBER_FORMAT else "rate"


def axis_title(definition) -> str:
    if definition.unit == "percent":
        return "Per cent"
    if definition.unit == "rate" and definition.population_band:
        band = "all ages" if definition.population_band == "all" else f"aged {definition.population_band}"
        return f"Per {definition.per_population:,} people {band}"
    if definition.unit == "rate":
        return "Rate"
    return "Number"


def year_title(performance) -> str:
    """The stated annual figure and status, written on the chart as well as beside it."""
    d = performance.definition
    parts = []
    if performance.plan_year is not None:
        text = f"Plan for the year {metric_figure(performance.plan_year, d.unit)}"
        stated = performance.stated_plan_year
        if stated is not None and metric_figure(stated, d.unit) != metric_figure(performance.plan_year, d.unit):
            text += f" (stated {metric_figure(stated, d.unit)})"
        parts.append(text)
    parts.append(f"Status: {STATUS_LABEL[performance.status]}")
    found = performance.projection
    if found is not None and found.projection.basis != "actual":
        year_end = found.year_end.quantize(Decimal(1)) if d.unit == "count" else found.year_end
        parts.append(f"Projected year-end {metric_figure(year_end, d.unit)} ({STATUS_LABEL[found.status]})")
    return " · ".join(parts)


def has_months(performance) -> bool:
    return any(f.plan is not None or f.actual is not None for f in performance.months)


def _as_shown(performance, values):
    """Counts entered for a rate become the rate, as the engine's own figures are."""
    d = performance.definition
    if d.entered_as != "count":
        return values
    if not performance.population:
        return None
    return [None if v is None else v / performance.population * d.per_population for v in values]


def spread_plan(performance, *, quarters: bool = False) -> tuple[str, list] | None:
    """A plan set only for quarters or the year, read month by month (or quarter by quarter).

    Read as the engine reads it (``Values.month_plan``): sums take a share of a longer
    period's plan, means and latest values stand as they are. None when the periods drawn
    have their own plan or there is no plan.
    """
    d = performance.definition
    own = performance.quarters if quarters else performance.months
    if any(f.plan is not None for f in own) or performance.plan_values.is_empty():
        return None
    pro_rate = d.rollup == "sum"
    plan = performance.plan_values
    if quarters:
        spans = [range(3 * q - 2, 3 * q + 1) for q in range(1, 5)]
        values = [
            sum(plan.month_plan(m, pro_rate=True) or 0 for m in span)
            if pro_rate
            else plan.month_plan(span[-1], pro_rate=False)
            for span in spans
        ]
    else:
        values = [plan.month_plan(n, pro_rate=pro_rate) for n in range(1, 13)]
    values = _as_shown(performance, values)
    if values is None:
        return None
    return ("Plan spread over the period" if pro_rate else "Plan (for the period)"), values


def _with_projection(fig: dict, performance, labels: list[str], kind: str, *, offset: int = 0) -> dict:
    """The months after the last actual as the projection has them, dotted, over its range's band.

    ``offset``: where the year's April is among ``labels`` (a chart of several years draws the
    projection of its last)."""
    found = performance.projection
    if found is None or not found.projection.months:
        return fig
    months = found.projection.months
    last = max(f.period.number for f in performance.months if f.actual is not None)
    projected = [months.get(n) if n >= last else None for n in range(1, 13)]
    low = high = None
    if found.low is not None and found.year_end:
        low = [None if v is None else v * found.low / found.year_end for v in projected]
        high = [None if v is None else v * found.high / found.year_end for v in projected]

    def placed(values):
        return None if values is None else [None] * offset + values + [None] * (len(labels) - offset - 12)

    return charts.with_projection(
        fig,
        labels=labels,
        projected=placed(projected),
        low=placed(low),
        high=placed(high),
        last_actual=offset + last - 1,
        kind=kind,
    )


def year_figure(performance, year: int) -> dict | None:
    """Twelve months (or four quarters, where only quarters were entered); None when there is nothing to draw.

    Where the engine projected the year-end (``performance.projection``), the months after the last
    actual are drawn dotted as "Projected" over a shaded band of the projection's range.
    """
    kind = value_kind(performance.definition)
    if has_months(performance):
        labels = charts.month_labels(year)
        fig = charts.plan_actual_months(
            labels=labels,
            plan=[f.plan for f in performance.months],
            actual=[f.actual for f in performance.months],
            kind=kind,
            title=year_title(performance),
            bands=charts.quarter_bands(),
            reference=spread_plan(performance),
        )
        return _with_projection(fig, performance, labels, kind)
    if performance.quarters:
        by_number = {f.period.number: f for f in performance.quarters}
        figures = [by_number.get(q) for q in range(1, 5)]
        return charts.plan_actual_months(
            labels=[periods.quarter(year, q).label for q in range(1, 5)],
            plan=[f.plan if f else None for f in figures],
            actual=[f.actual if f else None for f in figures],
            kind=kind,
            title=year_title(performance),
            reference=spread_plan(performance, quarters=True),
        )
    return None


def years_figure(definition, years: list) -> dict | None:
    """Every year the area has figures for: all months in a row, or one pair of bars a year.

    Where the last year's year-end is projected (``performance.projection``), its months after the
    last actual are drawn dotted over the projection's range, as on the dashboard's chart of the year."""
    kind = value_kind(definition)
    monthly = [y for y in years if has_months(y.performance)]
    if monthly:
        # Years with only an annual figure (a baseline outturn) are in the table, not the monthly chart.
        years = monthly
        labels, plan, actual = [], [], []
        for y in years:
            labels += [ref.label for ref in periods.months_of_year(y.year)]
            plan += [f.plan for f in y.performance.months]
            actual += [f.actual for f in y.performance.months]
        # Every third month (Apr, Jul, Oct, Jan) keeps several years' ticks readable.
        fig = charts.plan_actual_months(
            labels=labels,
            plan=plan,
            actual=actual,
            kind=kind,
            height=360,
            bands=charts.year_bands([y.year for y in years]),
            tick_every=3,
        )
        return _with_projection(fig, years[-1].performance, labels, kind, offset=len(labels) - 12)
    if not years:
        return None
    labels = [periods.year_label(y.year) for y in years]
    return charts.plan_actual_months(
        labels=labels,
        plan=[y.performance.plan_year for y in years],
        actual=[y.performance.actual_ytd for y in years],
        kind=kind,
        plan_name="Plan for the year",
        actual_name="Actual (latest or to date)",
    )
