"""Every chart's text alternative: a name, and a table under it with the very numbers it draws."""

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bcf_dashboard.core import charts, figure_tables
from bcf_dashboard.core.templatetags.figures import figure_table
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.pages import figures, text

FIGURE_TABLE = re.compile(r'<table data-figure-table="([^"]+)">(.*?)</table>', re.S)
CELL = re.compile(r"<t([hd])[^>]*>(.*?)</t[hd]>", re.S)


def tables_by_figure(response) -> dict:
    """{figure id: (column headings, [(row heading, [cell texts])])} for each chart's table."""
    found = {}
    for figure_id, body in FIGURE_TABLE.findall(text(response)):
        rows = []
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
            rows.append(
                [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for _, cell in CELL.findall(row)]
            )
        head, *body_rows = rows
        found[figure_id] = (head[1:], [(cells[0], cells[1:]) for cells in body_rows])
    return found


def number(cell: str) -> tuple[Decimal, Decimal] | None:
    """A written figure (``£1,234``, ``-£12``, ``9.5``, ``12.3%``) as (value, the most writing it may round away)."""
    if cell == "–":
        return None
    digits = cell.replace("£", "").replace("%", "").replace(",", "")
    value = Decimal(digits)
    return value, Decimal(1).scaleb(value.as_tuple().exponent) / 2


def assert_same_numbers(figure_id, figure, table):
    columns, rows = table
    assert columns == [figure_tables.column_name(trace) for trace in figure["data"]], figure_id
    # A projected month's row says so after its label; it is the same category.
    by_label = {label.removesuffix(" (projected)"): cells for label, cells in rows}
    horizontal = figure_tables.is_horizontal(figure)
    drawn = 0
    for column, trace in enumerate(figure["data"]):
        categories, values = (trace["y"], trace["x"]) if horizontal else (trace["x"], trace["y"])
        for category, value in zip(categories, values):
            assert category in by_label, f"{figure_id}: {category} has no row"
            written = number(by_label[category][column])
            if value is None:
                assert written is None, f"{figure_id}: {trace['name']} {category} drawn as nothing, written {written}"
                continue
            shown, tolerance = written
            assert abs(shown - Decimal(str(value))) <= tolerance, (
                f"{figure_id}: {trace['name']} {category}: drawn {value}, written {by_label[category][column]}"
            )
            drawn += 1
    assert drawn, f"{figure_id} draws nothing"


@pytest.fixture
def filled(personas):
    fill_area(personas.area_a, schemes=4)
    fill_area(personas.area_b, schemes=2, scale=2)
    return personas


@pytest.mark.parametrize(
    "who, address",
    [
        ("commissioner_a", reverse("area_year", args=["E09000006", YEAR])),
        ("commissioner_a", reverse("scheme", args=["E09000006", "S1"]) + f"?year={YEAR}"),
        ("commissioner_a", reverse("metric", args=["E09000006", "NEA"])),
        ("commissioner_a", reverse("metric", args=["E09000006", "DTOC"])),
        ("staff", reverse("compare") + f"?metric=NEA&year={YEAR}"),
        ("hwb_a", reverse("quarter_summary", args=["E09000006", YEAR, 2])),
    ],
)
def test_every_chart_has_a_name_and_a_table_of_its_numbers(client, filled, who, address):
    client.force_login(getattr(filled, who))
    response = client.get(address)
    assert response.status_code == 200
    drawn, tables = figures(response), tables_by_figure(response)
    assert drawn, "the page has charts"
    assert set(tables) == set(drawn), "one table per chart"
    page = text(response)
    for figure_id, figure in drawn.items():
        assert f'<figure class="chart-figure" aria-labelledby="{figure_id}-label">' in page
        assert re.search(f'<figcaption id="{figure_id}-label"[^>]*>[^<]{{20,}}</figcaption>', page), figure_id
        assert_same_numbers(figure_id, figure, tables[figure_id])


def test_a_ranked_bar_chart_is_read_by_area_and_its_missing_plan_is_a_dash():
    figure = charts.ranked_bars(
        names=["Bromley", "Southwark"],
        actual=[Decimal("1262.4"), Decimal("998")],
        plan=[Decimal("1300"), None],
        kind="rate",
        axis_title="Per 100,000",
    )
    table = figure_table(figure, "Area")
    assert table["category"] == "Area" and table["columns"] == ["Actual", "Plan"]
    assert table["rows"] == [("Bromley", ["1,262.4", "1,300.0"]), ("Southwark", ["998.0", "–"])]


@pytest.mark.parametrize(
    "kind, value, written",
    [("money", 1234.5, "£1,234"), ("count", 1262.0, "1,262"), ("percent", 12.35, "12.4%"), ("rate", 9.45, "9.4")],
)
def test_numbers_are_written_as_the_dashboards_write_them(kind, value, written):
    figure = charts.plan_actual_months(labels=["Apr 2017"], plan=[None], actual=[value], kind=kind)
    table = figure_table(figure)
    assert table["category"] == "Month"
    assert table["rows"] == [("Apr 2017", [written, "–"])]


@pytest.mark.parametrize(
    "labels, category", [(["Q1", "Q2"], "Quarter"), (["2016/17", "2017/18"], "Year"), (["Bromley"], "Category")]
)
def test_the_rows_are_named_after_what_they_are(labels, category):
    figure = charts.plan_actual_months(labels=labels, plan=[1] * len(labels), actual=[2] * len(labels), kind="count")
    assert figure_tables.table_of(figure).category == category
