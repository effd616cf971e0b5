"""The changed pages as a finance officer, a commissioner and a board member see them, at 1366×768 and 375 px:
nothing clipped or scrolling sideways, statuses in words, variances coloured by meaning. Screenshots go to
$BCF_SCREENSHOTS when it is set, for a person to look at."""

import os
from pathlib import Path

import pytest

from tests.browser.demo_site import demo_site, sign_in  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

BROMLEY, YEAR = "E09000006", 2016
PEOPLE = ["bromley.finance", "bromley.commissioner", "bromley.hwb"]
PAGES = {
    "home": "/",
    "area": f"/areas/{BROMLEY}/{YEAR}/",
    "metric": f"/areas/{BROMLEY}/metrics/NEA/",
    "summary": f"/areas/{BROMLEY}/{YEAR}/q4/summary/",
    "scheme": f"/areas/{BROMLEY}/schemes/B3/?year={YEAR}",
    "signoff": f"/areas/{BROMLEY}/sign-off/{YEAR}/",
}
WIDTHS = [(1366, 768), (375, 812)]


@pytest.mark.parametrize("username", PEOPLE)
@pytest.mark.parametrize("width, height", WIDTHS)
def test_changed_pages_fit_each_person_at_laptop_and_phone_width(browser, demo_site, username, width, height):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, locale="en-GB")
    page = context.new_page()
    sign_in(page, demo_site.url, username)
    out = os.environ.get("BCF_SCREENSHOTS")
    for name, path in PAGES.items():
        response = page.goto(f"{demo_site.url}{path}")
        if response.status == 404:  # sign-off is for those who work on the figures
            assert name == "signoff" and username == "bromley.hwb", (name, username)
            continue
        assert response.status == 200, (name, username, response.status)
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, username, width)
        # Chips and statuses are never cut off: their words fit inside their own box (wide tables may scroll
        # inside theirs, never the page).
        clipped = page.evaluate("""() => [...document.querySelectorAll('.status, .chips li, .national')].filter(
            e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim()).slice(0, 5)""")
        assert not clipped, (name, username, width, clipped)
        if out:
            Path(out).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{out}/{username}-{name}-{width}.png", full_page=True)
    context.close()
