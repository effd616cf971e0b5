"""The area dashboard's metric chart draws the projection after the last actual, unmistakable from actuals."""

import pytest
from django.core.management import call_command

from bcf_dashboard.core import figure_tables
from bcf_dashboard.core.models import Area
from bcf_dashboard.engine.summary import area_year_summary
from metrics.charts import year_figure


@pytest.fixture
def bromley(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return Area.objects.get(code="E09000006")


def nea_figure(area, through):
    summary = area_year_summary(area, 2016, through=through)
    return year_figure(summary.metric("NEA"), 2016)


def trace(fig, name):
    return next(t for t in fig["data"] if t["name"] == name)


def test_the_projection_is_a_dotted_line_over_a_shaded_range_after_the_last_actual(bromley):
    fig = nea_figure(bromley, through=6)
    projected = trace(fig, "Projected")
    assert projected["line"]["dash"] == "dot" and projected["mode"] == "lines+markers"
    # It starts at September's actual, so the line joins the bars, and runs to March.
    assert projected["x"] == ["Sep 2016", "Oct 2016", "Nov 2016", "Dec 2016", "Jan 2017", "Feb 2017", "Mar 2017"]
    actual = trace(fig, "Actual")
    assert projected["y"][0] == actual["y"][5]
    assert all(v is None for v in actual["y"][6:])  # no actual bars after September
    low, high = (t for t in fig["data"] if t["name"] == "Projected range")
    assert not low["showlegend"] and "showlegend" not in high  # one legend entry for the band
    assert high["fill"] == "tonexty" and low["x"] == high["x"] == projected["x"]
    assert all(lo < p < hi for lo, p, hi in zip(low["y"][1:], projected["y"][1:], high["y"][1:]))
    assert "Projected year-end 26,002 (At risk)" in fig["layout"]["title"]["text"]


def test_the_figures_table_marks_projected_months(bromley):
    table = figure_tables.table_of(nea_figure(bromley, through=6))
    labels = [label for label, _ in table.rows]
    assert labels[5] == "Sep 2016"  # the last actual, not projected
    assert labels[6:] == [
        f"{m} (projected)" for m in ("Oct 2016", "Nov 2016", "Dec 2016", "Jan 2017", "Feb 2017", "Mar 2017")
    ]
    assert table.columns[-3:] == ["Projected range: low", "Projected range: high", "Projected"]


def test_a_complete_year_draws_no_projection(bromley):
    fig = nea_figure(bromley, through=12)
    assert not [t for t in fig["data"] if t["name"].startswith("Projected")]
    assert "Projected" not in fig["layout"]["title"]["text"]
