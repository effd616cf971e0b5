"""The quarterly summary tells board members in one sentence per metric where the year is heading."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from bcf_dashboard.core.models import Area
from bcf_dashboard.quarterly.document import build_document
from tests.support.pages import text


@pytest.fixture
def demo(personas):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return personas


def headings(code, year, quarter):
    document = build_document(Area.objects.get(code=code), year, quarter, narrative={})
    return {code: shown["heading"] for code, shown in document["shown"]["metrics"].items()}


def test_bromley_at_q2_one_sentence_per_metric(demo):
    found = headings("E09000006", 2016, 2)
    # NEA: 26,001.5 projected (shown whole) against 25,758 is 0.94% above: within the 2% tolerance.
    assert found["NEA"] == (
        "On 6 months of figures the year is heading for 26,002 against a plan of 25,758 "
        "(0.9% above): at risk by the year-end."
    )
    assert found["DTOC"].endswith("not on track by the year-end.")
    assert found["REA"] is None  # no actual until March


def test_too_early_and_the_year_ended(demo):
    # At the year-end the card shows the outturn itself: no sentence.
    assert headings("E09000006", 2016, 4)["NEA"] is None
    # Southwark's Q1 2014/15 has quarterly figures only: never three months to project from.
    southwark = headings("E09000028", 2014, 1)
    assert southwark["RES"] == "Too early to say where the year is heading: fewer than three months of figures so far."


def test_the_summary_page_shows_the_sentence(client, demo):
    client.force_login(demo.hwb_a)
    page = text(client.get(reverse("quarter_summary", args=["E09000006", 2016, 2])))
    assert "Where the year is heading:" in page
    assert "the year is heading for 26,002 against a plan of 25,758" in page


def test_the_year_end_calls_a_plan_to_date_the_years_plan_only_with_every_month_in(demo):
    """Bromley's NEA has all twelve months of 2016/17: at Q4 its plan to date is the plan for the year.
    With November's actual not returned, it compares eleven months (formats section 2) and says so."""
    from bcf_dashboard.quarterly.page import summary_page
    from metrics.models import MetricValue

    bromley = Area.objects.get(code="E09000006")

    def nea():
        page = summary_page(demo.hwb_a, bromley, 2016, 4, draft=True)
        return next(block for block in page.metrics if block.metric["code"] == "NEA")

    assert nea().whole_year is True
    MetricValue.objects.filter(area=bromley, metric__code="NEA", kind="actual", period__code="2016-11").delete()
    block = nea()
    assert block.whole_year is False
    assert block.metric["as_of"] == "2017-03"  # the year's last month is in; November is not
