"""The summary's small charts: one metric's plan against actual to the end of the quarter.

Fixed in size, so a chart drawn on the screen is the chart printed: a page printed from the
browser or made into a PDF never cuts one (plotly leaves a chart with a set width and height
alone when the window or the paper changes).
"""

from bcf_dashboard.core import charts, periods
from metrics.charts import has_months, spread_plan, value_kind

WIDTH = 300
HEIGHT = 196
QUARTER_END_COLOUR = "#4c6272"


def metric_figure(performance, year: int, quarter: int) -> dict | None:
    """Plan for the whole year against actuals to the end of ``quarter`` (the engine has already left
    later actuals out); None when there is nothing to draw."""
    kind = value_kind(performance.definition)
    if has_months(performance):
        labels = charts.month_labels(year)
        plan = [f.plan for f in performance.months]
        actual = [f.actual for f in performance.months]
        reference = spread_plan(performance)
        end = 3 * quarter - 0.5
        tick_every = 3
    elif performance.quarters:
        by_number = {f.period.number: f for f in performance.quarters}
        labels = [f"Q{q}" for q in range(1, 5)]
        plan = [by_number[q].plan if q in by_number else None for q in range(1, 5)]
        actual = [by_number[q].actual if q in by_number else None for q in range(1, 5)]
        reference = spread_plan(performance, quarters=True)
        end = quarter - 0.5
        tick_every = 1
    else:
        return None
    figure = charts.plan_actual_months(
        labels=labels, plan=plan, actual=actual, kind=kind, height=HEIGHT, tick_every=tick_every, reference=reference
    )
    return _small(figure, end=end, last=len(labels) - 1)


def _small(figure: dict, *, end: float, last: int) -> dict:
    layout = figure["layout"]
    layout.update(width=WIDTH, height=HEIGHT, margin={"l": 48, "r": 8, "t": 14, "b": 56}, bargap=0.25)
    layout["font"] = dict(layout["font"], size=10)
    layout["legend"].update(y=-0.32, font={"size": 10})
    if end < last:
        # Where "to date" stops: the months after it are plan only.
        layout["shapes"] = layout.get("shapes", []) + [
            {
                "type": "line",
                "xref": "x",
                "yref": "paper",
                "x0": end,
                "x1": end,
                "y0": 0,
                "y1": 1,
                "line": {"color": QUARTER_END_COLOUR, "width": 1, "dash": "dot"},
            }
        ]
        layout["annotations"] = layout.get("annotations", []) + [
            {
                "xref": "x",
                "yref": "paper",
                "x": end,
                "y": 1,
                "xanchor": "right",
                "yanchor": "bottom",
                "text": "to date",
                "showarrow": False,
                "font": {"size": 9, "color": QUARTER_END_COLOUR},
            }
        ]
    return figure


def figure_label(name: str, year: int, quarter: int, status_label: str) -> str:
    """The chart's text alternative."""
    return (
        f"Chart of {name}, {periods.year_label(year)}: the plan as a dashed line, actuals to the end of "
        f"Q{quarter} as bars. {status_label}."
    )
