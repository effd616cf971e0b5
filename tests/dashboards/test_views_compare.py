"""The comparison page: one metric across the user's areas, as rates, ranked, each with its own plan."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from bcf_dashboard.core.models import Area, Membership
from bcf_dashboard.engine.summary import area_year_summary
from tests.support.dashboard_data import YEAR, fill_area, make_areas
from tests.support.pages import figures, inline_scripts, queries, table_rows
from tests.support.personas import make_user

URL = reverse("compare")


def test_nea_is_compared_per_100000_people_and_ranked_best_first(client, db):
    areas = make_areas(3)
    staff = make_user("boss", is_staff=True)
    client.force_login(staff)
    response = client.get(URL, {"metric": "NEA", "year": YEAR})
    page = response.context["page"]
    assert page.per_population and page.basis.startswith("year-to-date count per 100,000")
    expected = {}
    for area in areas:
        nea = area_year_summary(area, YEAR).metric("NEA")
        people = area.populations.get(year=YEAR, band="all").population
        expected[area.name] = (nea.actual_ytd / people * 100000, nea.plan_ytd / people * 100000)
    ranked = sorted(expected, key=lambda name: expected[name][0])  # lower is better
    assert [r.area.name for r in page.ranked] == ranked
    bars, plans = figures(response)["figure-comparison"]["data"]
    assert bars["y"] == plans["y"] == ranked and bars["orientation"] == "h"
    assert bars["x"] == [float(expected[name][0]) for name in ranked]
    assert plans["x"] == [float(expected[name][1]) for name in ranked]
    rows = table_rows(response, "comparison-table")
    assert [r[0] for r in rows] == ["1", "2", "3"]
    assert rows[0][3] == f"{expected[ranked[0]][0]:,.1f}"
    assert inline_scripts(response) == []


def test_a_rate_is_compared_as_the_engine_gives_it(client, db):
    areas = make_areas(2)
    client.force_login(make_user("boss", is_staff=True))
    page = client.get(URL, {"metric": "DTOC", "year": YEAR}).context["page"]
    assert not page.per_population
    assert [r.actual for r in page.rows] == [
        area_year_summary(a, YEAR).metric("DTOC").actual_ytd for a in sorted(areas, key=lambda a: a.name)
    ]


def test_only_the_users_areas_are_compared(client, personas):
    fill_area(personas.area_a)
    fill_area(personas.area_b)
    for user in personas.all_members_of_a():
        client.force_login(user)
        page = client.get(URL, {"metric": "NEA"}).context["page"]
        assert [r.area.code for r in page.rows] == ["E09000006"]
        # Southwark's local metric is not Bromley's to see.
        assert client.get(URL, {"metric": "LOCAL-E09000028"}).status_code == 404
        assert client.get(URL, {"metric": "LOCAL-E09000006"}).status_code == 200
    client.force_login(personas.user_b)
    assert [r.area.code for r in client.get(URL).context["page"].rows] == ["E09000028"]
    assert client.get(URL, {"metric": "NOPE"}).status_code == 404


def test_query_count_does_not_grow_with_areas(client, db):
    areas = make_areas(20, schemes=1)
    few, many = make_user("few"), make_user("many")
    Membership.objects.bulk_create([Membership(user=few, area=a, role="commissioner") for a in areas[:2]])
    Membership.objects.bulk_create([Membership(user=many, area=a, role="commissioner") for a in Area.objects.all()])
    client.force_login(few)
    small, _ = queries(client, f"{URL}?metric=NEA")
    client.force_login(many)
    large, response = queries(client, f"{URL}?metric=NEA")
    assert small == large and len(response.context["page"].ranked) == 20


@pytest.mark.parametrize("actual, better, first", [(Decimal(1), "lower", "A"), (Decimal(1), "higher", "B")])
def test_ranking_follows_the_better_direction(actual, better, first):
    from bcf_dashboard.dashboards.comparison import ComparisonRow, _rank

    rows = [
        ComparisonRow(area=Area(name="A"), performance=None, actual=actual),
        ComparisonRow(area=Area(name="B"), performance=None, actual=actual + 1),
        ComparisonRow(area=Area(name="C"), performance=None, actual=None),
    ]
    _rank(rows, better)
    assert rows[0].area.name == first and rows[-1].area.name == "C" and rows[-1].rank is None


def test_the_ranking_comes_a_page_at_a_time_and_the_chart_has_every_area(client, db, monkeypatch):
    monkeypatch.setattr("bcf_dashboard.dashboards.views.AREAS_PER_PAGE", 2)
    make_areas(5)
    client.force_login(make_user("boss", is_staff=True))
    pages = [client.get(URL, {"metric": "NEA", "year": YEAR, "page": n}) for n in (1, 2, 3)]
    ranks = [row[0] for response in pages for row in table_rows(response, "comparison-table")]
    assert ranks == ["1", "2", "3", "4", "5"]
    ranked = [r.area.name for r in pages[0].context["page"].ranked]
    assert [row[1] for row in table_rows(pages[1], "comparison-table")] == ranked[2:4]
    assert "Rows 3–4 of 5" in pages[1].content.decode()
    assert re.search(
        r'href="\?[^"]*metric=NEA[^"]*page=2"', pages[0].content.decode()
    )  # the next page keeps the metric
    for response in pages:
        bars, _ = figures(response)["figure-comparison"]["data"]
        assert bars["y"] == ranked


def test_populations_made_up_for_the_demo_are_marked_as_such_not_called_ons_estimates(client, db):
    areas = make_areas(2)
    client.force_login(make_user("boss", is_staff=True))
    page = client.get(URL, {"metric": "NEA", "year": YEAR}).content.decode()
    assert "ONS mid-year estimate" not in page and "Illustrative populations" not in page
    areas[0].populations.update(source="Illustrative: plausible round value, not an ONS mid-year estimate")
    areas[0].save()  # a change to the area moves its version, so the cached comparison is drawn again
    page = client.get(URL, {"metric": "NEA", "year": YEAR}).content.decode()
    assert "Illustrative populations:" in page
