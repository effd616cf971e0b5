"""The overview's early warning: areas whose projected year-end misses the plan, and since when."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from bcf_dashboard.core.models import Area
from bcf_dashboard.dashboards.overview import AreaHeadline
from bcf_dashboard.digests.services import up_to_date_headlines
from bcf_dashboard.engine.headlines import Headline, headline_of
from bcf_dashboard.engine.summary import area_year_summary
from tests.support.pages import text


@pytest.fixture
def demo(personas):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    return personas


def row(code, year, through=12):
    area = Area.objects.get(code=code)
    headline = headline_of(area_year_summary(area, year, through=through), populations={})
    return AreaHeadline(area=area, summary=Headline.read(headline))


def test_bromley_is_flagged_with_the_month_its_projection_first_missed(demo):
    # By September 2016 delays ran about 3% over plan and admissions about 1% over: DTOC's projected
    # year-end is not on track and NEA's at risk, both from the first projection, in June. The
    # Dementia Support Hub, launched in July, has supported fewer than the 125 a month planned since.
    bromley = row("E09000006", 2016, through=6)
    assert [(m.code, m.projection_status, m.first_missed.code) for m in bromley.warnings] == [
        ("DTOC", "not_on_track", "2016-06"),
        ("NEA", "at_risk", "2016-06"),
        ("BROMLEY-DEMENTIA-HUB", "not_on_track", "2016-07"),
    ]
    assert bromley.warning_rank == 33


def test_an_area_on_course_or_too_early_is_not_flagged(demo):
    westminster = row("E09000033", 2017)  # NEA and DTOC under plan
    assert westminster.has_projections and not westminster.warnings
    early = row("E09000006", 2016, through=2)  # two months: nothing to project yet
    assert not early.has_projections and not early.warnings


def test_old_headlines_without_projections_read_as_none_yet(demo):
    area = Area.objects.get(code="E09000006")
    stored = headline_of(area_year_summary(area, 2016), populations={})
    for metric in stored["metrics"]:
        del metric["projection"]
    assert not AreaHeadline(area=area, summary=Headline.read(stored)).warnings


def test_the_overview_shows_the_warning(client, demo):
    client.force_login(demo.staff)
    page = text(client.get(reverse("home") + "?year=2016"))
    assert "Year-end heading" in page and "Heading off plan" in page
    assert "since Jun 2016" in page
    assert up_to_date_headlines(Area.objects.filter(code="E09000006"), 2016)
