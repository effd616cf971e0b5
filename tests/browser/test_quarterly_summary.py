"""The quarterly summary in a real browser: charts drawn, and on A4 paper none is cut or pushed off the page."""

import pytest

from tests.browser.charts import draw_every_chart
from tests.browser.conftest import sign_in
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_LINE_PX = 703  # 210 mm less the print stylesheet's 12 mm margins, at 96 px to the inch


def test_every_chart_fits_the_printed_line(page, live_server, personas):
    fill_area(personas.area_a, schemes=4)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "hwb_a", PASSWORD)
    page.goto(f"{live_server.url}/areas/E09000006/{YEAR}/q2/summary/")
    charts = page.locator("[data-figure]").count()
    assert charts >= 4
    draw_every_chart(page)
    # Lay the page out as Chromium prints it: print media on a line as wide as A4's.
    page.set_viewport_size({"width": A4_LINE_PX, "height": 1000})
    page.emulate_media(media="print")
    overflow = page.evaluate("""() => [...document.querySelectorAll('.summary-metric')].map(card => {
        const box = card.getBoundingClientRect();
        const svg = card.querySelector('.main-svg');
        return svg ? svg.getBoundingClientRect().right - box.right : -1;
    }).filter(past => past > 0)""")
    assert overflow == []
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_LINE_PX
    assert page.locator(".site-header").is_hidden() and page.locator(".summary-actions").is_hidden()
    assert not errors


def test_an_officer_writes_the_narrative_and_a_comment_and_saves_them(page, live_server, personas):
    """The text boxes sit in the cached page and name the layout's form (which holds the CSRF token)
    with form=: the browser sends them all, and the next view shows them."""
    fill_area(personas.area_a, schemes=4)
    sign_in(page, live_server, "finance_a", PASSWORD)
    url = f"{live_server.url}/areas/E09000006/{YEAR}/q2/summary/"
    page.goto(url)
    page.get_by_label("Challenges").fill("Two care homes closed in August.")
    page.locator("textarea[name=comment_NEA]").fill("Above plan since July.")
    page.get_by_role("button", name="Save the narrative").click()
    page.wait_for_url(url + "#narrative")
    assert "is saved" in page.locator(".messages, [role=status]").first.inner_text()
    page.goto(url)
    assert page.get_by_label("Challenges").input_value() == "Two care homes closed in August."
    assert page.locator("textarea[name=comment_NEA]").input_value() == "Above plan since July."
