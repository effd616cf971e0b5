"""The overview page: every visible area's headline, filters, sorting, access and query count."""

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from bcf_dashboard.core.formats import gbp, pounds_variance
from bcf_dashboard.core.models import Area, Membership
from bcf_dashboard.engine.summary import area_year_summary
from tests.support import builders as b
from tests.support.dashboard_data import YEAR, fill_area, make_areas
from tests.support.pages import inline_scripts, queries, table_rows, text
from tests.support.personas import make_user

URL = reverse("home")


@pytest.fixture
def filled(personas):
    fill_area(personas.area_a, schemes=4)
    fill_area(personas.area_b, schemes=2, risk=False)
    return personas


def test_each_member_of_a_sees_only_a(client, filled):
    for user in filled.all_members_of_a():
        client.force_login(user)
        rows = table_rows(client.get(URL), "overview-table")
        assert [r[0].split(" E09")[0] for r in rows] == ["Bromley"], user
    client.force_login(filled.user_b)
    page = text(client.get(URL))
    assert "Southwark" in page and "Bromley" not in page
    client.force_login(filled.staff)
    assert len(table_rows(client.get(URL), "overview-table")) == 2


def test_headline_figures_are_the_engines(client, filled):
    client.force_login(filled.staff)
    response = client.get(URL)
    assert response.context["page"].year == YEAR
    row = next(r for r in table_rows(response, "overview-table") if r[0].startswith("Bromley"))
    summary = area_year_summary(filled.area_a, YEAR)
    spend = summary.spend
    assert row[3] == gbp(spend.budget, pennies=False)
    assert row[4].startswith(gbp(spend.actual_ytd, pennies=False)) and row[4].endswith("to Sep 2017")
    assert row[5] == strip_tags(pounds_variance(spend.variance_ytd))
    assert row[6].startswith(strip_tags(pounds_variance(spend.forecast_variance)))
    assert f"{len(summary.funding.failing_checks)} failing" in row[7]
    assert row[8].startswith(gbp(summary.risk_share.ytd.uncovered_cost, pennies=False))
    completeness = summary.completeness
    missing = completeness.missing_scheme_months + completeness.missing_metric_months
    assert missing and row[10].startswith(f"{missing} missing")  # the same count as the area's own page
    assert f"{completeness.missing_scheme_months} scheme month" in row[10]
    for m in summary.headline_metrics():
        # The chip names the metric as people know it, not by its upper-case code.
        assert f"{m.definition.label}: {m.status_label}" in row[2]
        assert m.code not in row[2].split()
    assert inline_scripts(response) == []


def test_filters_by_region_status_and_year(client, filled):
    filled.area_b.region = "South East"
    filled.area_b.save()
    b.scheme(filled.area_a, "OLD", 2016, "1000")
    client.force_login(filled.staff)
    rows = table_rows(client.get(URL, {"region": "South East"}), "overview-table")
    assert [r[0].split(" ")[0] for r in rows] == ["Southwark"]
    statuses = {h.area.name: h.status for h in client.get(URL).context["page"].headlines}
    for status in set(statuses.values()):
        listed = client.get(URL, {"status": status}).context["page"].headlines
        assert {h.area.name for h in listed} == {n for n, s in statuses.items() if s == status}
    older = client.get(URL, {"year": "2016/17"})
    assert older.context["page"].year == 2016 and "2016/17" in text(older)
    assert client.get(URL, {"year": "nonsense"}).context["page"].year == YEAR


def test_sorting_by_budget_and_status(client, filled):
    make_areas(3, schemes=2)
    client.force_login(filled.staff)
    budgets = [h.spend.budget for h in client.get(URL, {"sort": "-budget"}).context["table"].data]
    assert budgets == sorted(budgets, reverse=True)
    names = [r[0].split(" E0")[0] for r in table_rows(client.get(URL, {"sort": "area"}), "overview-table")]
    assert names == sorted(names)
    ranks = [h.status_rank for h in client.get(URL, {"sort": "-status"}).context["table"].data]
    assert ranks == sorted(ranks, reverse=True)


def test_empty_states(client, db, personas):
    nobody = make_user("nobody")
    client.force_login(nobody)
    assert "You have no areas yet" in text(client.get(URL))
    client.force_login(personas.finance_a)  # Bromley, with nothing entered
    page = text(client.get(URL))
    assert "None of your areas has any figures yet" in page and "the Upload page" in page


def test_anonymous_is_sent_to_sign_in(client, db):
    assert client.get(URL).status_code == 302


def test_query_count_does_not_grow_with_areas(client, db):
    areas = make_areas(20, schemes=3)
    few = make_user("few", area=areas[0], role=Membership.Role.COMMISSIONER)
    Membership.objects.create(user=few, area=areas[1], role=Membership.Role.COMMISSIONER)
    many = make_user("many")
    Membership.objects.bulk_create([Membership(user=many, area=a, role="commissioner") for a in Area.objects.all()])
    client.force_login(few)
    small, response = queries(client, URL)
    assert len(response.context["page"].headlines) == 2
    client.force_login(many)
    large, response = queries(client, URL)
    assert len(response.context["page"].headlines) == 20
    assert small == large


def test_a_year_of_plans_only_points_to_the_last_year_with_actuals(client, filled):
    b.scheme(filled.area_a, "NEXT", YEAR + 1, "1000", plan=[100] * 12)
    client.force_login(filled.staff)
    assert client.get(URL).context["page"].year == YEAR  # opens on the latest year with actuals
    response = client.get(URL, {"year": YEAR + 1})
    assert response.context["page"].year == YEAR + 1  # a year of plans, when chosen…
    assert response.context["page"].earlier_actuals_year == YEAR  # …says where the actuals are
    assert "The latest year with actuals is" in text(response)
    assert client.get(URL, {"year": YEAR}).context["page"].earlier_actuals_year is None


def test_areas_come_a_page_at_a_time_sorted_across_every_page(client, db, personas, monkeypatch):
    monkeypatch.setattr("bcf_dashboard.dashboards.views.AREAS_PER_PAGE", 4)
    make_areas(7, schemes=1)  # and the personas' two areas: nine
    client.force_login(personas.staff)
    pages = [client.get(URL, {"sort": "-area", "page": n}) for n in (1, 2, 3)]
    names = [row[0].split(" E0")[0] for response in pages for row in table_rows(response, "overview-table")]
    assert len(names) == 9 and names == sorted(names, reverse=True)
    assert [len(table_rows(response, "overview-table")) for response in pages] == [4, 4, 1]
    assert "Rows 1–4 of 9" in text(pages[0]) and "Rows 9–9 of 9" in text(pages[2])
    assert "sort=-area&amp;page=2" in text(pages[0])  # the next page keeps the order
    # The tiles above the table total every area listed, not only this page's.
    assert 'Areas listed</h3><p class="big">9</p>' in text(pages[2])


def test_areas_with_figures_made_up_for_the_demo_are_named_on_the_overview(client, filled):
    from metrics.models import MetricValue

    client.force_login(filled.staff)
    assert "Illustrative figures." not in client.get(URL).content.decode()
    value = MetricValue.objects.filter(area=filled.area_a, kind="actual").first()
    value.note = "Illustrative: made up for the demo"
    value.save()  # the admin's path: the version moves and the next page works the headline out again
    page = client.get(URL).content.decode()
    assert "Illustrative figures." in page and "Bromley: some figures or populations here are made up" in page
