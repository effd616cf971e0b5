"""Figures for spend: the area's cumulative plan against actual, and one scheme's months."""

from bcf_dashboard.core import charts


def cumulative_spend_figure(spend) -> dict:
    """Year-to-date spend against the cumulative plan, with the budget and forecast outturn for the year."""
    labels = charts.month_labels(spend.year)
    data = [
        {
            "type": "bar",
            "name": "Actual to date",
            "x": labels,
            "y": [charts.num(v) for v in spend.cumulative_actual],
            "marker": {"color": charts.ACTUAL_COLOUR},
            "hovertemplate": charts.hover("money", "Actual to date"),
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Plan to date",
            "x": labels,
            "y": [charts.num(v) for v in spend.cumulative_plan],
            "line": {"color": charts.PLAN_COLOUR, "dash": "dash", "width": 2.5},
            "hovertemplate": charts.hover("money", "Plan to date"),
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Forecast outturn",
            "x": [labels[-1]],
            "y": [charts.num(spend.forecast_outturn)],
            "marker": {"color": charts.OVER_COLOUR, "symbol": "diamond", "size": 12},
            "hovertemplate": charts.hover("money", "Forecast outturn"),
        },
    ]
    shapes, annotations = charts.quarter_bands()
    shapes.append(
        {
            "type": "line",
            "xref": "paper",
            "x0": 0,
            "x1": 1,
            "yref": "y",
            "y0": charts.num(spend.budget),
            "y1": charts.num(spend.budget),
            "line": {"color": "#4c6272", "width": 1.5, "dash": "dot"},
        }
    )
    annotations.append(
        {
            "xref": "paper",
            "x": 0,
            "xanchor": "left",
            "yref": "y",
            "y": charts.num(spend.budget),
            "yanchor": "bottom",
            "text": "Budget",
            "showarrow": False,
            "font": {"size": 11, "color": "#4c6272"},
        }
    )
    layout = charts.base_layout(height=360, shapes=shapes, annotations=annotations)
    layout["yaxis"].update(charts.axis_format("money"))
    layout["xaxis"].update(charts.category_ticks(labels))
    layout["legend"]["y"] = -0.2
    layout["margin"]["b"] = 70
    return charts.figure(data, layout)


def scheme_spend_figure(scheme_spend, year: int) -> dict:
    return charts.plan_actual_months(
        labels=charts.month_labels(year),
        plan=scheme_spend.plan_months,
        actual=scheme_spend.actual_months,
        kind="money",
        plan_name="Planned spend" if scheme_spend.profiled else "Budget spread evenly",
        actual_name="Actual spend",
        bands=charts.quarter_bands(),
    )


def scheme_activity_figure(scheme_spend, year: int) -> dict | None:
    if not any(v is not None for v in scheme_spend.activity_plan + scheme_spend.activity_actual):
        return None
    return charts.plan_actual_months(
        labels=charts.month_labels(year),
        plan=scheme_spend.activity_plan,
        actual=scheme_spend.activity_actual,
        kind="count",
        plan_name="Planned activity",
        actual_name="Actual activity",
        bands=charts.quarter_bands(),
    )
