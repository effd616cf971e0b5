"""A chart's text alternative: every number the figure draws, as a table, read back from the figure itself.

Built from the very figure dict the chart is drawn from, so the table cannot disagree with the chart."""

import re
from dataclasses import dataclass

from bcf_dashboard.core.charts import TICK_FORMAT

KIND_OF_TICK_FORMAT = {tick: kind for kind, tick in TICK_FORMAT.items()}
MONTH_LABEL = re.compile(r"^[A-Z][a-z]{2} \d{4}$")  # Apr 2017
QUARTER_LABEL = re.compile(r"^Q[1-4]( |$)")  # Q1, Q1 2017/18
YEAR_LABEL = re.compile(r"^\d{4}/\d{2}$")  # 2017/18


@dataclass
class FigureTable:
    """What a figure draws, trace by trace: one row per category, one column per trace."""

    category: str  # the row headers' heading: Month, Quarter, Year…
    kind: str  # count, rate, percent or money: how the values are written
    columns: list[str]  # the traces' names, in legend order
    rows: list[tuple[str, list]]  # (category, [value or None per column])


def is_horizontal(fig: dict) -> bool:
    """Categories up the y axis and values along x, as ``ranked_bars`` draws them (every trace alike)."""
    return any(trace.get("orientation") == "h" for trace in fig["data"])


def value_kind_of(fig: dict) -> str:
    """The kind of number a figure draws, read back from its value axis (set by ``axis_format``)."""
    axis = fig["layout"].get("xaxis" if is_horizontal(fig) else "yaxis", {})
    return KIND_OF_TICK_FORMAT.get(axis.get("tickformat"), "rate")


def category_name(labels: list[str], default: str) -> str:
    if labels and all(MONTH_LABEL.match(label) for label in labels):
        return "Month"
    if labels and all(QUARTER_LABEL.match(label) for label in labels):
        return "Quarter"
    if labels and all(YEAR_LABEL.match(label) for label in labels):
        return "Year"
    return default


def column_name(trace: dict) -> str:
    """A trace's column in the figure's table: its name, unless it says otherwise (``meta.column``)."""
    return (trace.get("meta") or {}).get("column") or trace.get("name", "")


def table_of(fig: dict, *, category: str = "Category") -> FigureTable:
    """Every number the figure draws, by category (x, or y for horizontal bars) and trace."""
    horizontal = is_horizontal(fig)
    order: list[str] = []
    columns, values = [], []
    for trace in fig["data"]:
        categories = trace.get("y" if horizontal else "x") or []
        numbers = trace.get("x" if horizontal else "y") or []
        by_category = dict(zip(categories, numbers))
        for label in categories:
            if label not in order:
                order.append(label)
        columns.append(column_name(trace))
        values.append(by_category)
    # Months a projection stands for are marked in the table as they are drawn dotted in the chart.
    projected = set(fig.get("layout", {}).get("meta", {}).get("projected", []))
    rows = [
        (f"{label} (projected)" if label in projected else label, [by_category.get(label) for by_category in values])
        for label in order
    ]
    return FigureTable(category=category_name(order, category), kind=value_kind_of(fig), columns=columns, rows=rows)
