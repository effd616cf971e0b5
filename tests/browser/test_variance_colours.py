"""A variance's colour says good or bad news in the figure's own direction, never its sign."""

import pytest

from bcf_dashboard.engine.summary import area_year_summary
from tests.browser.conftest import sign_in
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RED, GREEN = "rgb(213, 40, 27)", "rgb(0, 127, 59)"  # --red and --green of app.css


def colour(page, selector):
    return page.eval_on_selector(selector, "e => getComputedStyle(e).color")


def test_better_than_plan_is_green_and_worse_is_red(page, live_server, personas):
    fill_area(personas.area_a, schemes=4, scale=2)  # NEA below plan (better), delays above it (worse)
    summary = area_year_summary(personas.area_a, YEAR)
    verdicts = {}
    for m in summary.headline_metrics():
        if m.variance_ytd:
            verdicts.setdefault("better" if (m.variance_ytd < 0) == (m.definition.better == "lower") else "worse", m)
    assert set(verdicts) == {"better", "worse"}, "the data must have a metric each side of plan"
    sign_in(page, live_server, "commissioner_a", PASSWORD)
    page.goto(f"{live_server.url}/areas/E09000006/{YEAR}/")
    for kind, m in verdicts.items():
        selector = f"#metric-{m.code.lower()} .figures dd .nowrap"
        assert page.eval_on_selector(selector, "e => e.className").split()[0] == kind, m.code
        assert colour(page, selector) == (GREEN if kind == "better" else RED), (kind, m.code, m.variance_ytd)
        # Never colour alone: the words are on the card.
        assert f"{kind} than plan" in page.inner_text(f"#metric-{m.code.lower()}")
