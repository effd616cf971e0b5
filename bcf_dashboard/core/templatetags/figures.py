"""The text alternative of a chart: the figure's own numbers as a table, written as the pages write them.

Built from the very figure dict the chart is drawn from, so the table cannot disagree with the chart.
"""

from decimal import Decimal

from django import template

from bcf_dashboard.core import figure_tables
from bcf_dashboard.core.formats import DASH, metric_figure, pounds

register = template.Library()


def written(value, kind: str) -> str:
    if value is None:
        return DASH
    # str() first: the float's shortest form is the decimal it was made from (12.35, not 12.3499…).
    value = Decimal(str(value))
    return pounds(value) if kind == "money" else metric_figure(value, kind)


@register.simple_tag
def figure_table(figure, category="Category"):
    """``{% figure_table figure "Area" as table %}``: columns, and rows of (category, written values)."""
    table = figure_tables.table_of(figure, category=category)
    rows = [(label, [written(value, table.kind) for value in values]) for label, values in table.rows]
    return {"category": table.category, "columns": table.columns, "rows": rows}
