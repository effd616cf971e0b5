"""Plotly figures as plain dicts, one shape for all: ``{"data": [...], "layout": {...}}``.

Figures reach the page through ``json_script`` and are drawn by static/js/charts.js, so no
page carries inline script. Numbers go out as floats: charts only draw them. Every chart has
the table of its numbers under it (``table_of``, templates/includes/figure.html), written as
the pages write figures, as its text alternative.
"""

from bcf_dashboard.core import periods

PLAN_COLOUR = "#003087"  # NHS dark blue
ACTUAL_COLOUR = "#41b6e6"  # NHS light blue
OVER_COLOUR = "#d5281b"
BAND_COLOUR = "#f0f4f5"
TEXT_COLOUR = "#212b32"

# d3-format strings for hover and ticks, by what the number is.
NUMBER_FORMAT = {"count": ",.0f", "rate": ",.1f", "percent": ".1f", "money": ",.0f"}


def num(value) -> float | None:
    return None if value is None else float(value)


def figure(data: list, layout: dict) -> dict:
    return {"data": data, "layout": layout}


def base_layout(*, height: int = 300, **extra) -> dict:
    layout = {
        "height": height,
        "margin": {"l": 64, "r": 16, "t": 28, "b": 40},
        "font": {"family": "Arial, Helvetica, sans-serif", "size": 13, "color": TEXT_COLOUR},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "separators": ".,",
        "hovermode": "x unified",
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -0.12,
            "yanchor": "top",
            "xanchor": "left",
            "bgcolor": "rgba(255,255,255,0)",
        },
        "yaxis": {"gridcolor": "#d8dde0", "zerolinecolor": "#aeb7bd", "rangemode": "tozero", "automargin": True},
        "xaxis": {"automargin": True},
    }
    layout.update(extra)
    return layout


# Ticks drop trailing zeros (500, not 500.0; 7.5 stays 7.5).
TICK_FORMAT = {"count": ",~r", "rate": ",.1~f", "percent": ".1~f", "money": ",.0f"}


def axis_format(kind: str) -> dict:
    """Tick format (and £ or % suffix) for an axis showing ``kind`` (count, rate, percent, money)."""
    found = {"tickformat": TICK_FORMAT[kind]}
    if kind == "money":
        found["tickprefix"] = "£"
    if kind == "percent":
        found["ticksuffix"] = "%"
    return found


def hover(kind: str, name: str) -> str:
    prefix = "£" if kind == "money" else ""
    suffix = "%" if kind == "percent" else ""
    return f"{name}: {prefix}%{{y:{NUMBER_FORMAT[kind]}}}{suffix}<extra></extra>"


def category_ticks(labels: list[str], every: int = 1) -> dict:
    """Axis ticks for month or quarter categories: ``Apr`` over ``2017`` on two lines, so twelve fit."""
    shown = labels[::every]
    return {
        "type": "category",
        "tickangle": 0,
        "tickmode": "array",
        "tickvals": shown,
        "ticktext": [label.replace(" ", "<br>", 1) for label in shown],
    }


def month_labels(year: int) -> list[str]:
    """``Apr 2017`` … ``Mar 2018``."""
    return [ref.label for ref in periods.months_of_year(year)]


def quarter_bands(*, first_index: int = 0, year: int | None = None, prefix_year: bool = False) -> tuple[list, list]:
    """Shaded Q2 and Q4 bands behind twelve monthly categories, with Q1-Q4 written above them.

    On a category axis the categories sit at 0, 1, 2…, so a quarter spans index -0.5 to 2.5.
    """
    shapes, annotations = [], []
    for q in range(1, 5):
        start = first_index + 3 * (q - 1) - 0.5
        if q % 2 == 0:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": start,
                    "x1": start + 3,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": BAND_COLOUR,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        label = f"Q{q}" if not prefix_year or year is None else f"Q{q} {periods.year_label(year)}"
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": start + 1.5,
                "y": 1,
                "yanchor": "bottom",
                "text": label,
                "showarrow": False,
                "font": {"size": 11, "color": "#4c6272"},
            }
        )
    return shapes, annotations


def year_bands(years: list[int]) -> tuple[list, list]:
    """Alternate shading for consecutive financial years of twelve months each, labelled 2016/17…"""
    shapes, annotations = [], []
    for i, year in enumerate(years):
        start = 12 * i - 0.5
        if i % 2 == 1:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": start,
                    "x1": start + 12,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": BAND_COLOUR,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
        annotations.append(
            {
                "xref": "x",
                "yref": "paper",
                "x": start + 6,
                "y": 1,
                "yanchor": "bottom",
                "text": periods.year_label(year),
                "showarrow": False,
                "font": {"size": 11, "color": "#4c6272"},
            }
        )
    return shapes, annotations


def plan_actual_months(
    *,
    labels: list[str],
    plan: list,
    actual: list,
    kind: str,
    plan_name: str = "Plan",
    actual_name: str = "Actual",
    height: int = 320,
    title: str | None = None,
    bands: tuple[list, list] | None = None,
    tick_every: int = 1,
    reference: tuple[str, list] | None = None,
) -> dict:
    """Actual as bars, plan as a line, over monthly (or quarterly) categories.

    ``reference`` (name, values) is a dotted line standing in for a plan that was set only
    for the quarter or the year.
    """
    data = [
        {
            "type": "bar",
            "name": actual_name,
            "x": labels,
            "y": [num(v) for v in actual],
            "marker": {"color": ACTUAL_COLOUR},
            "hovertemplate": hover(kind, actual_name),
        },
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": plan_name,
            "x": labels,
            "y": [num(v) for v in plan],
            "line": {"color": PLAN_COLOUR, "width": 2.5, "dash": "dash"},
            "marker": {"size": 6},
            "connectgaps": False,
            "hovertemplate": hover(kind, plan_name),
        },
    ]
    if reference:
        name, values = reference
        data[1] = {
            "type": "scatter",
            "mode": "lines",
            "name": name,
            "x": labels,
            "y": [num(v) for v in values],
            "line": {"color": PLAN_COLOUR, "width": 2, "dash": "dot"},
            "hovertemplate": hover(kind, name),
        }
    shapes, annotations = bands if bands else ([], [])
    layout = base_layout(height=height, shapes=shapes, annotations=annotations)
    layout["yaxis"].update(axis_format(kind))
    layout["xaxis"].update(category_ticks(labels, tick_every))
    layout["legend"]["y"] = -0.2
    layout["margin"]["b"] = 70
    if title:
        layout["title"] = {"text": title, "font": {"size": 13}, "x": 0, "xanchor": "left", "y": 0.97, "yanchor": "top"}
        layout["margin"]["t"] = 56
    return figure(data, layout)


PROJECTED_NAME = "Projected"
RANGE_NAME = "Projected range"
RANGE_FILL = "rgba(65, 182, 230, 0.18)"


def with_projection(
    fig: dict, *, labels: list[str], projected: list, low: list | None, high: list | None, last_actual: int, kind: str
) -> dict:
    """Add a projection to a monthly figure: a dotted line from the last actual (index ``last_actual``,
    whose value starts it) through the months to come, over a shaded band of its range.

    ``projected``, ``low`` and ``high`` hold a value for each label (None where nothing is drawn).
    The months after the last actual are listed in the layout's ``meta`` so the figure's table marks
    its rows as projected (``table_of``).
    """
    drawn = [i for i, v in enumerate(projected) if v is not None and i >= last_actual]
    if len(drawn) < 2:
        return fig
    xs = [labels[i] for i in drawn]
    if low is not None and high is not None:
        fig["data"] += [
            {
                "type": "scatter",
                "mode": "lines",
                "name": RANGE_NAME,
                "x": xs,
                "y": [num(low[i]) for i in drawn],
                "line": {"width": 0, "color": ACTUAL_COLOUR},
                "showlegend": False,
                "legendgroup": "projected-range",
                "hovertemplate": hover(kind, f"{RANGE_NAME} (low)"),
            },
            {
                "type": "scatter",
                "mode": "lines",
                "name": RANGE_NAME,
                "x": xs,
                "y": [num(high[i]) for i in drawn],
                "line": {"width": 0, "color": ACTUAL_COLOUR},
                "fill": "tonexty",
                "fillcolor": RANGE_FILL,
                "legendgroup": "projected-range",
                "hovertemplate": hover(kind, f"{RANGE_NAME} (high)"),
            },
        ]
        # One legend entry, "Projected range"; the figure's table names the two edges apart.
        fig["data"][-2]["meta"] = {"column": f"{RANGE_NAME}: low"}
        fig["data"][-1]["meta"] = {"column": f"{RANGE_NAME}: high"}
    fig["data"].append(
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": PROJECTED_NAME,
            "x": xs,
            "y": [num(projected[i]) for i in drawn],
            "line": {"color": ACTUAL_COLOUR, "width": 2.5, "dash": "dot"},
            "marker": {"size": 6, "symbol": "circle-open"},
            "hovertemplate": hover(kind, PROJECTED_NAME),
        }
    )
    fig["layout"]["meta"] = {**fig["layout"].get("meta", {}), "projected": xs[1:]}
    return fig


def ranked_bars(
    *,
    names: list[str],
    actual: list,
    plan: list,
    kind: str,
    axis_title: str,
    actual_name: str = "Actual",
    plan_name: str = "Plan",
) -> dict:
    """One bar per area, best first from the top, with each area's own plan as a marker."""
    height = max(220, 90 + 34 * len(names))
    data = [
        {
            "type": "bar",
            "orientation": "h",
            "name": actual_name,
            "y": names,
            "x": [num(v) for v in actual],
            "marker": {"color": ACTUAL_COLOUR},
            "hovertemplate": f"%{{y}}: %{{x:{NUMBER_FORMAT[kind]}}}<extra>{actual_name}</extra>",
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": plan_name,
            "y": names,
            "x": [num(v) for v in plan],
            "marker": {"color": PLAN_COLOUR, "symbol": "line-ns-open", "size": 22, "line": {"width": 3}},
            "hovertemplate": f"%{{y}}: %{{x:{NUMBER_FORMAT[kind]}}}<extra>{plan_name}</extra>",
        },
    ]
    layout = base_layout(height=height, hovermode="closest", bargap=0.35)
    layout["margin"] = {"l": 12, "r": 24, "t": 40, "b": 48}
    layout["legend"] = {"orientation": "h", "x": 0, "y": 1.01, "yanchor": "bottom"}
    layout["yaxis"] = {"autorange": "reversed", "automargin": True, "type": "category"}
    layout["xaxis"] = {
        "title": {"text": axis_title},
        "gridcolor": "#d8dde0",
        "rangemode": "tozero",
        "automargin": True,
        **axis_format(kind),
    }
    return figure(data, layout)


# --- The chart's text alternative: its figures as a table -------------------------------------
