"""The area dashboard says what is in and what is missing, month by month, and never shows a gap as spend."""

import html
import re

import pytest
from django.urls import reverse

from bcf_dashboard.core.statuses import NO_DATA, STATUS_LABEL
from tests.support import builders as b
from tests.support.pages import table_rows, text

YEAR = 2017


@pytest.fixture
def october_for_one(personas):
    """Three schemes reported April to September in line with plan; October entered for one of them."""
    area = personas.area_a
    b.scheme(area, "A1", YEAR, "1200000", plan=[100000] * 12, actual=[100000] * 7, name="Reablement")
    b.scheme(area, "A2", YEAR, "600000", plan=[50000] * 12, actual=[50000] * 6, name="Home care")
    b.scheme(area, "A3", YEAR, "240000", plan=[20000] * 12, actual=[20000] * 6, name="Carers' breaks")
    nea = b.metric("NEA")
    b.metric_values(area, nea, "plan", {f"{YEAR}-{m:02d}": 1260 for m in range(4, 13)})
    b.metric_values(area, nea, "actual", {f"{YEAR}-{m:02d}": 1250 for m in (4, 5, 6, 7)})  # August not in
    return personas


def grid_rows(response):
    page = text(response)
    start = page.index('class="returns-grid"')
    body = page[page.index("<tbody", start) : page.index("</tbody>", start)]
    return {
        cells[0]: cells[1:]
        for cells in (
            [
                " ".join(html.unescape(re.sub(r"<[^>]+>", " ", c)).split())
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            ]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
        )
    }


def test_the_page_says_how_many_schemes_reported_the_latest_month(client, october_for_one):
    client.force_login(october_for_one.commissioner_a)
    response = client.get(reverse("area_year", args=[october_for_one.area_a.code, YEAR]))
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text(response))).split())
    assert "Figures to the end of Oct 2017. 1 of 3 schemes have reported Oct 2017" in page
    # The headline compares each scheme over its own months: two silent schemes' October is not an underspend.
    assert "Spend to date £1,120,000 against a plan of £1,120,000" in page
    assert "2 scheme months and 1 metric month are missing" in page


def test_the_grid_says_in_missing_and_not_due_in_words(client, october_for_one):
    client.force_login(october_for_one.commissioner_a)
    rows = grid_rows(client.get(reverse("area_year", args=[october_for_one.area_a.code, YEAR])))
    assert rows["A1 Reablement"] == ["In"] * 7 + ["0"]
    assert rows["A2 Home care"] == ["In"] * 6 + ["Missing", "1"]
    # NEA is due two months after the month: August's figure by October, September's not yet.
    assert rows["Non-elective admissions"] == ["In"] * 4 + ["Missing", "Not due yet", "Not due yet", "1"]


def test_a_scheme_that_has_not_reported_is_not_green_and_its_gap_is_not_spend(client, october_for_one):
    client.force_login(october_for_one.commissioner_a)
    response = client.get(reverse("area_year", args=[october_for_one.area_a.code, YEAR]))
    rows = {r[0]: r for r in table_rows(response, "schemes-table")}
    a2 = rows["A2"]
    assert "£300,000" in a2[5] and "to Sep 2017; 1 month missing" in a2[5]  # not £300,000 against £350,000
    assert a2[-1] == STATUS_LABEL["on_track"]  # on plan over the months it reported
    assert STATUS_LABEL[NO_DATA] not in rows["A1"][-1]
