"""Bromley (area A) with a year of figures to September 2017, and the sign-off steps as helpers."""

import html
import re

import pytest

from bcf_dashboard.signoff.services import open_quarters_before, take_step
from tests.support.dashboard_data import YEAR, fill_area


@pytest.fixture
def filled(personas):
    fill_area(personas.area_a, schemes=4)
    fill_area(personas.area_b, schemes=2)
    return personas


# fill_area's schemes report to different months, so a quarter is submitted with returns missing: a reason.
LATE = "Two schemes' providers invoice late; their returns follow next month"


def step(personas, user, action, quarter=2, reason=""):
    if action == "submit":
        reason = reason or LATE
        # Quarters are submitted in order: the earlier ones still open go first.
        for earlier in open_quarters_before(personas.area_a, YEAR, quarter):
            take_step(
                user=user, area=personas.area_a, financial_year=YEAR, quarter=earlier, action="submit", reason=LATE
            )
    return take_step(
        user=user, area=personas.area_a, financial_year=YEAR, quarter=quarter, action=action, reason=reason
    )


def approve(personas, quarter=2):
    step(personas, personas.finance_a, "submit", quarter)
    return step(personas, personas.approver_a, "approve", quarter)


def url(area, quarter=2, year=YEAR, suffix="summary/"):
    return f"/areas/{area.code}/{year}/q{quarter}/{suffix}"


def plain(response) -> str:
    """The page's text without tags, whitespace collapsed: what a reader sees."""
    body = response.content.decode()
    body = re.sub(r"<script.*?</script>|<style.*?</style>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def section(response, element_id: str) -> str:
    """The text of the element with this id (up to its closing tag of the same name)."""
    body = response.content.decode()
    match = re.search(rf'<(\w+)[^>]*\bid="{re.escape(element_id)}"', body)
    assert match, element_id
    tag = match.group(1)
    end = body.index(f"</{tag}>", match.end())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body[match.start() : end])).split())
