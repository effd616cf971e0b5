"""The metric page: every year's plan and actual for an area, its definition in words, access."""

from django.urls import reverse

from bcf_dashboard.dashboards.metric_page import explain
from bcf_dashboard.engine.summary import area_year_summary
from tests.support import builders as b
from tests.support.dashboard_data import YEAR, fill_area, months
from tests.support.pages import figures, inline_scripts, queries, text


def url(area, code):
    return reverse("metric", args=[area.code, code])


def test_every_persona_sees_only_their_own_areas_metrics(client, personas):
    fill_area(personas.area_a)
    fill_area(personas.area_b)
    for user in personas.all_members_of_a():
        client.force_login(user)
        assert client.get(url(personas.area_a, "NEA")).status_code == 200
        assert client.get(url(personas.area_a, "LOCAL-E09000006")).status_code == 200
        assert client.get(url(personas.area_b, "NEA")).status_code == 404
        assert client.get(url(personas.area_a, "LOCAL-E09000028")).status_code == 404  # Southwark's own
        assert client.get(url(personas.area_a, "NOPE")).status_code == 404
    client.force_login(personas.user_b)
    assert client.get(url(personas.area_a, "NEA")).status_code == 404
    assert client.get(url(personas.area_b, "NEA")).status_code == 200


def test_each_year_is_the_engines_year(client, personas):
    area = personas.area_a
    fill_area(area, year=2016)
    fill_area(area, year=YEAR, schemes=0)
    client.force_login(personas.commissioner_a)
    response = client.get(url(area, "NEA"))
    years = response.context["page"].years
    assert [y.year for y in years] == [2016, 2017]
    for y in years:
        engine = area_year_summary(area, y.year).metric("NEA")
        mine = y.performance
        assert (
            mine.plan_year,
            mine.stated_plan_year,
            mine.plan_ytd,
            mine.actual_ytd,
            mine.variance_ytd,
            mine.status,
            mine.as_of,
        ) == (
            engine.plan_year,
            engine.stated_plan_year,
            engine.plan_ytd,
            engine.actual_ytd,
            engine.variance_ytd,
            engine.status,
            engine.as_of,
        )
    for code in ("RES", "DTOC", "REA"):  # a rate from counts, a mean, a latest value
        for y in client.get(url(area, code)).context["page"].years:
            engine = area_year_summary(area, y.year).metric(code)
            assert (y.performance.plan_ytd, y.performance.actual_ytd, y.performance.status) == (
                engine.plan_ytd,
                engine.actual_ytd,
                engine.status,
            )
    actual, plan, *projected = figures(response)["figure-metric-years"]["data"]
    assert [t["name"] for t in projected] == ["Projected range", "Projected range", "Projected"]
    assert len(actual["x"]) == 24 and actual["x"][0] == "Apr 2016" and actual["x"][12] == "Apr 2017"
    page = text(response)
    assert "Lower is better." in page and "Source:" in page and "15,087" in page
    assert inline_scripts(response) == []


def test_definition_in_words():
    res = b.METRICS["RES"]
    from metrics.models import MetricDefinition

    words = " ".join(
        explain(MetricDefinition(code="RES", first_year=2014, per_population=100000, tolerance_pct=2, **res))
    )
    assert "per 100,000 people aged 65+" in words and "Lower is better." in words
    assert "at risk when worse by no more than 2%" in words and "Reported from 2014/15." in words


def test_query_count_does_not_grow_with_years(client, personas):
    b.metric_values(personas.area_a, b.metric("NEA"), "plan", months([100] * 12, 2017))
    for year in range(2014, 2020):
        b.metric_values(personas.area_b, b.metric("NEA"), "plan", months([100] * 12, year))
        b.metric_values(personas.area_b, b.metric("NEA"), "actual", months([90] * 12, year))
    client.force_login(personas.staff)
    one, _ = queries(client, url(personas.area_a, "NEA"))
    six, response = queries(client, url(personas.area_b, "NEA"))
    assert one == six and len(response.context["page"].years) == 6


def test_the_latest_year_is_projected_as_on_the_dashboard(client, personas):
    fill_area(personas.area_a)
    client.force_login(personas.hwb_a)
    years = figures(client.get(url(personas.area_a, "NEA")))["figure-metric-years"]
    dashboard = figures(client.get(reverse("area_year", args=[personas.area_a.code, YEAR])))["figure-metric-nea"]
    names = [t["name"] for t in years["data"]]
    assert names[-3:] == ["Projected range", "Projected range", "Projected"]
    # The same projection, month for month, as the engine's on the dashboard's chart of the year.
    for on_page, on_dashboard in zip(years["data"][-3:], dashboard["data"][-3:], strict=True):
        assert on_page["y"] == on_dashboard["y"] and len(on_page["x"]) == len(on_dashboard["x"])
    assert years["data"][-1]["x"][-1].endswith("2018")  # to the March that ends the latest year
