"""The strict Content-Security-Policy in a real browser: the dashboards, a scheme page and the
quarterly summary draw their charts with nothing blocked."""

import pytest

from tests.browser.charts import draw_every_chart
from tests.browser.conftest import sign_in
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any of the page's own code; the browser fires this event for every blocked resource,
# inline script, eval or style.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
  window.__cspViolations.push(
    event.violatedDirective + ' ' + (event.blockedURI || 'inline') + ' ' + (event.sourceFile || ''));
});
"""

PAGES = [
    (f"/areas/E09000006/{YEAR}/", "area-year dashboard"),
    (f"/areas/E09000006/schemes/S1/?year={YEAR}", "scheme page"),
    (f"/areas/E09000006/{YEAR}/q2/summary/", "quarterly summary"),
]


def test_pages_draw_their_charts_under_the_policy(page, live_server, personas):
    fill_area(personas.area_a, schemes=4)
    page.add_init_script(RECORD_VIOLATIONS)
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(str(error)))
    sign_in(page, live_server, "commissioner_a", PASSWORD)
    for path, name in PAGES:
        response = page.goto(f"{live_server.url}{path}")
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        charts = page.locator("[data-figure]").count()
        assert charts >= 1, name
        draw_every_chart(page)
        assert page.locator(".js-plotly-plot svg").count() >= charts, name
        assert page.evaluate("window.__cspViolations") == [], name
    assert not [line for line in console if "Content Security Policy" in line or "Content-Security-Policy" in line]


def test_a_script_smuggled_into_the_page_does_not_run(page, live_server, personas):
    """What an attacker's markup would get if it ever slipped past escaping: blocked, and reported
    (which also shows the listener above does see violations)."""
    page.add_init_script(RECORD_VIOLATIONS)
    sign_in(page, live_server, "hwb_a", PASSWORD)
    page.evaluate("""() => {
        const script = document.createElement('script');
        script.textContent = 'window.smuggled = true';
        document.body.appendChild(script);
        const image = document.createElement('img');
        image.src = 'http://127.0.0.2:9/steal.png';
        document.body.appendChild(image);
    }""")
    page.wait_for_function("window.__cspViolations.length >= 2")
    assert page.evaluate("window.smuggled") is None
    blocked = page.evaluate("window.__cspViolations")
    assert any(v.startswith("script-src") for v in blocked) and any(v.startswith("img-src") for v in blocked)
