"""Keyboard only, with the demo data: the finance officer's upload and the HWB member's quarterly summary.

Only Tab, Shift+Tab, Enter, Space and typing move through the pages. The one exception is the
operating system's file dialog, which a browser test cannot drive: the file goes into the
focused file input with ``set_input_files``. At every stop the focus must be visible (an outline
or a focus shadow) and must move forward through the page in reading order.
"""

import csv
import io

import pytest

from tests.browser.demo_site import demo_site  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]  # plain django_db: see tests/browser/demo_site.py

BROMLEY = "E09000006"
PASSWORD = "better-care-demo"

FOCUSED = """() => {
    const element = document.activeElement;
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    return {
        tag: element.tagName.toLowerCase(), id: element.id, type: element.getAttribute('type') || '',
        text: (element.innerText || element.value || element.getAttribute('aria-label') || '')
          .replace(/\\s+/g, ' ').trim(),
        position: [...document.querySelectorAll('*')].indexOf(element),
        inMain: !!element.closest('main'),
        outlined: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
        shadowed: style.boxShadow !== 'none',
        onScreen: box.width > 0 && box.height > 0 && box.right > 0 && box.bottom > 0,
    };
}"""


def focused(page):
    return page.evaluate(FOCUSED)


def assert_seen(stop):
    assert stop["onScreen"] and (stop["outlined"] or stop["shadowed"]), f"focus is not visible on {stop}"


def tab_to(page, wanted, limit=120, key="Tab"):
    """Press Tab until the focused element's text is ``wanted`` (or it satisfies it, if callable).

    Every stop on the way must show its focus and come after the last one in the page (Shift+Tab:
    before it). Returns the stops.
    """
    matches = wanted if callable(wanted) else (lambda stop: stop["text"] == wanted)
    stops = []
    for _ in range(limit):
        page.keyboard.press(key)
        stop = focused(page)
        if stop["tag"] == "body":
            continue
        assert_seen(stop)
        if stops:
            forward = stop["position"] > stops[-1]["position"]
            assert forward == (key == "Tab"), f"focus jumped from {stops[-1]} to {stop}"
        stops.append(stop)
        if matches(stop):
            return stops
    raise AssertionError(f"{key} never reached {wanted!r}; last stops: {[s['text'][:40] for s in stops[-8:]]}")


def skip_to_main(page):
    """The first Tab on a page reaches the skip link, shown when focused; Enter takes focus into <main>."""
    page.keyboard.press("Tab")
    stop = focused(page)
    assert stop["text"] == "Skip to main content"
    assert_seen(stop)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def sign_in_by_keyboard(page, url, username):
    page.goto(f"{url}/accounts/login/")
    assert focused(page)["id"] == "id_username"  # the sign-in form puts the focus in its first box
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{url}/")


def enter(page):
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_finance_officer_uploads_a_file_by_keyboard(page, demo_site, tmp_path):
    file = tmp_path / "february.csv"
    out = io.StringIO()
    csv.writer(out).writerows(
        [
            ["area_code", "period", "measure", "kind", "value", "note"],
            [BROMLEY, "2017-02", "NEA", "actual", "999", "Corrected by keyboard"],
            [BROMLEY, "2017-02", "spend:B1", "actual", "1234.50", ""],
        ]
    )
    file.write_bytes(out.getvalue().encode())

    sign_in_by_keyboard(page, demo_site.url, "bromley.finance")
    # Home: past the header's links to the area in the overview table.
    stops = tab_to(page, "Bromley")
    assert not stops[0]["inMain"] and stops[-1]["inMain"], "the header comes before the page's content"
    enter(page)
    assert page.url.startswith(f"{demo_site.url}/areas/{BROMLEY}/")
    skip_to_main(page)
    tab_to(page, "Upload a file")
    enter(page)
    assert page.locator("h1").inner_text() == "Upload a returns file"

    skip_to_main(page)
    stops = tab_to(page, lambda stop: stop["id"] == "id_file")
    page.set_input_files("#id_file", str(file))  # the one step the OS dialog would take
    assert focused(page)["id"] == "id_file"
    tab_to(page, "Check the file")
    # Shift+Tab goes back the same way, and Tab forward again.
    tab_to(page, lambda stop: stop["id"] == "id_file", key="Shift+Tab")
    tab_to(page, "Check the file")
    enter(page)

    assert page.locator("h1").inner_text() == "Check the changes, then confirm"
    assert "£1,234.50" in page.locator("main").inner_text()
    # The form was sent from .../upload/#main (the skip link's target), and the preview opens there:
    # focus is already in <main>, past the header.
    assert page.url.endswith("/#main") and page.evaluate("document.activeElement.id") == "main"
    tab_to(page, "Confirm and save 2 changes")
    enter(page)

    page.wait_for_url("**/history/?batch=*")
    assert "Applied february.csv: 0 new, 2 changed" in page.get_by_role("status").first.inner_text()
    assert "Corrected by keyboard" in page.locator("main table").first.inner_text()


def test_hwb_member_reads_a_quarterly_summary_by_keyboard(page, demo_site):
    sign_in_by_keyboard(page, demo_site.url, "bromley.hwb")
    stops = tab_to(page, "Quarterly summaries")  # in the header's navigation
    assert not stops[-1]["inMain"]
    enter(page)
    assert page.locator("h1").inner_text() == "Quarterly summaries"
    skip_to_main(page)
    tab_to(page, lambda stop: stop["text"].startswith("Draft summary for Q4 2016/17"))
    enter(page)
    assert "/2016/q4/summary/" in page.url
    page.locator(".chart-drawn .main-svg").first.wait_for(state="attached")

    headings = page.evaluate(
        "[...document.querySelectorAll('main h1, main h2, main h3')].map(h => [+h.tagName[1], h.innerText])"
    )
    assert [level for level, _ in headings].count(1) == 1 and headings[0][0] == 1
    assert all(b <= a + 1 for (a, _), (b, _) in zip(headings, headings[1:])), f"a heading level is skipped: {headings}"

    # The first chart's text alternative: its table, opened from the keyboard.
    skip_to_main(page)
    tab_to(page, "Figures behind the chart")
    details = page.locator("details.figures-table").first
    assert not details.evaluate("d => d.open")
    page.keyboard.press("Space")
    assert details.evaluate("d => d.open")
    table = details.locator("table")
    assert table.is_visible()
    first_metric = page.locator(".summary-metric").first
    assert details.evaluate("(d, metric) => metric.contains(d)", first_metric.element_handle())
    rows = table.locator("tbody tr")
    assert rows.count() >= 4 and "Actual" in table.locator("thead").inner_text()
    # Reading on, the focus leaves the table for the next metric's controls, still in order.
    tab_to(page, "Figures behind the chart")
    assert page.locator("details.figures-table").nth(1).evaluate("d => d.contains(document.activeElement)")
