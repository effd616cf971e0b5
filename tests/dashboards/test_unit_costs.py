"""What each pound buys: unit costs on the scheme page and in the schemes table (Bromley's Figure 10)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.support.pages import text


@pytest.fixture
def demo(personas, client):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    client.force_login(personas.commissioner_a)
    return client


def test_the_scheme_page_shows_what_each_pound_buys(demo):
    page = text(demo.get(reverse("scheme", args=["E09000006", "B6"]) + "?year=2016"))
    assert "What each pound buys" in page
    # £600,000 planned for Figure 10's 161 admissions avoided; 149 achieved for about £612,000.
    assert "149 achieved" in page and "of 161 planned" in page
    assert "£3,726.71" in page and "£4,107.38" in page
    assert "£419,104.61" in page and "of £452,858 planned to date" in page
    assert "The risk share assumes" in page and "£2,795.43" in page


def test_a_scheme_without_activity_has_no_unit_costs(demo):
    page = text(demo.get(reverse("scheme", args=["E09000006", "B1"]) + "?year=2016"))
    assert "What each pound buys" not in page


def refs_in_order(page):
    body = page.split('class="data-table schemes-table"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<a href="/areas/E09000006/schemes/(B\d+)/', body)


def test_schemes_sort_by_cost_per_admission_avoided_beside_the_risk_shares(demo):
    url = reverse("area_year", args=["E09000006", 2016])
    page = text(demo.get(url + "?sort=cost_per_unit_actual"))
    assert "Actual cost per unit" in page and "Planned cost per unit" in page
    # B9 £2,787.88, B8 £3,888.89, B6 £4,107.38, B7 £4,798.03; schemes without activity after them.
    assert refs_in_order(page)[:4] == ["B9", "B8", "B6", "B7"]
    assert "The risk share assumes £2,795.43 an emergency admission" in page
    descending = text(demo.get(url + "?sort=-cost_per_unit_actual"))
    assert [r for r in refs_in_order(descending) if r in ("B6", "B7", "B8", "B9")] == ["B7", "B6", "B8", "B9"]


def test_the_export_carries_unit_costs(demo):
    response = demo.get(reverse("area_year", args=["E09000006", 2016]) + "?export=csv")
    lines = response.content.decode().splitlines()
    assert "Actual cost per unit" in lines[0]
    b6 = next(line for line in lines if line.startswith("B6,"))
    assert "4107.38" in b6 and "3726.71" in b6


def test_the_risk_share_card_shows_the_projected_year_end(demo):
    page = text(demo.get(reverse("area_year", args=["E09000006", 2016])))
    # The whole year: 330 admissions over plan, £922,490.80 of the £1,323,000 contingency.
    section = page.split('id="risk-share"', 1)[1]
    assert "At the projected year-end" in section and "lasts the year" in section
    assert "£922,490.80" in section


def test_the_risk_share_card_says_when_the_contingency_runs_out(demo):
    from metrics.models import MetricValue

    # 60 admissions over plan every month: the contingency runs out in November (tests/engine/test_foresight).
    for value in MetricValue.objects.filter(
        area__code="E09000006", metric__code="NEA", kind="plan", period__kind="month", period__financial_year=2016
    ):
        MetricValue.objects.filter(area=value.area, metric=value.metric, period=value.period, kind="actual").update(
            value=value.value + 60
        )
    section = text(demo.get(reverse("area_year", args=["E09000006", 2016]))).split('id="risk-share"', 1)[1]
    assert "runs out in Nov 2016" in section and "£689,707.20" in section
