"""axe-core over every kind of page, with the demo data, in Debian's chromium: no WCAG 2.2 A or AA violation.

axe-core comes from the pinned ``axe-playwright-python`` package (its bundled axe.min.js), so
nothing is fetched at test time. Each page is checked with every WCAG 2.2 A/AA rule as laid out
on a laptop (1366×768), then at phone width (375) with the rules whose outcome depends on the
layout (a whole second run would double the time: colour contrast alone is most of it). Every
<details> is opened first, so the tables behind the charts are checked too. Django's admin is
left out: it is Django's own, for staff only.
"""

import csv
import io

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.core.exceptions import PermissionDenied
from django.urls import path

from bcf_dashboard.urls import urlpatterns as site_urlpatterns
from tests.browser.charts import draw_every_chart
from tests.browser.demo_site import demo_site, sign_in  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db]  # plain django_db: see tests/browser/demo_site.py

WCAG_22_AA = {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}
# What a narrow screen can break: tables that scroll sideways, targets squeezed together, reflow.
# (No colour changes with the width in static/css, so colour contrast is checked once.)
PHONE_RULES = {
    "type": "rule",
    "values": ["scrollable-region-focusable", "target-size", "meta-viewport", "css-orientation-lock"],
}
BROMLEY = "E09000006"
WESTMINSTER = "E09000033"  # bromley.finance has no role there
YEAR = 2016  # the demo's last year with actuals
RESET_USER = "westminster.hwb"  # nobody signs in as them here, so their reset link stays valid


def _refused(request):
    raise PermissionDenied


# Nothing in the site refuses with 403 today (no role answers 404), so the 403 page is reached here.
urlpatterns = [*site_urlpatterns, path("refused-for-the-test/", _refused)]


def demo_paths():
    """Run by the demo_site fixture while the database is open: a password-reset link for RESET_USER."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    user = get_user_model().objects.get(username=RESET_USER)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return {
        "reset_link": f"/accounts/password/reset/{uid}/{default_token_generator.make_token(user)}/",
        "reset_email": user.email,
    }


def returns_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area_code", "period", "measure", "kind", "value", "note"])
    writer.writerows(rows)
    return out.getvalue().encode()


def upload(page, site, tmp_path, name, rows):
    file = tmp_path / name
    file.write_bytes(returns_csv(rows))
    page.goto(f"{site.url}/areas/{BROMLEY}/upload/")
    page.set_input_files("#id_file", str(file))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    return page.locator("h1").inner_text()


def failed_sign_in(page, site, username):
    page.goto(f"{site.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def lock_out(page, site, tmp_path):
    for _ in range(6):
        failed_sign_in(page, site, "no.such.person")
        if "Too many attempts" in page.locator("h1").inner_text():
            return
    raise AssertionError("six failed sign-ins did not show the lock-out page")


def upload_with_mistakes(page, site, tmp_path):
    upload(
        page,
        site,
        tmp_path,
        "bad.csv",
        [[BROMLEY, "2017-02", "NEA", "actual", "12a", ""], [BROMLEY, "2017-02", "spend:B1", "actual", "1.005", ""]],
    )
    assert "2 problems in bad.csv" in page.get_by_role("alert").inner_text()


def upload_to_preview(page, site, tmp_path):
    heading = upload(
        page,
        site,
        tmp_path,
        "feb.csv",
        [
            [BROMLEY, "2017-02", "NEA", "actual", "999", "Corrected"],
            [BROMLEY, "2017-02", "spend:B1", "actual", "1234.50", ""],
        ],
    )
    assert heading == "Check the changes, then confirm"


def expired_form(page, site, tmp_path):
    """A form sent without its CSRF token, as one left open past a sign-in elsewhere is: Django's 403."""
    page.goto(f"{site.url}/accounts/login/")
    page.evaluate("document.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(e => e.remove())")
    page.get_by_label("Username").fill("anyone")
    page.get_by_label("Password").fill("anything")
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        page.get_by_role("button", name="Sign in").click()
    assert sent.value.status == 403
    page.wait_for_load_state()


def reset_sent(page, site, tmp_path):
    page.goto(f"{site.url}/accounts/password/reset/")
    page.get_by_label("Email").fill(site.paths["reset_email"] or "someone@example.org")
    page.get_by_role("button").last.click()
    page.wait_for_url("**/reset/done/")


def entry_errors(page, site, tmp_path):
    page.goto(f"{site.url}/areas/{BROMLEY}/entry/2017-02/")
    page.locator("form[method=post] input[type=text]:not([readonly])").first.fill("12a")
    page.get_by_role("button", name="Save figures").click()
    page.wait_for_load_state()
    assert page.locator(".error-summary, .field-error").count(), "the form showed no error"


def password_change_errors(page, site, tmp_path):
    page.goto(f"{site.url}/accounts/password/")
    page.locator("form[method=post] button[type=submit], form[method=post] input[type=submit]").last.click()
    page.wait_for_load_state()


def go(address):
    return lambda page, site, tmp_path: page.goto(site.url + address)


# id: (who, how to get there[, what part of the page axe checks: all of it unless given]). None signs in nobody.
PAGES = {
    "sign-in": (None, go("/accounts/login/")),
    "sign-in-refused": (None, lambda page, site, tmp_path: failed_sign_in(page, site, "kensington.hwb")),
    "lock-out": (None, lock_out),
    "password-reset": (None, go("/accounts/password/reset/")),
    "password-reset-sent": (None, reset_sent),
    "password-reset-new-password": (None, lambda page, site, tmp_path: page.goto(site.url + site.paths["reset_link"])),
    "password-reset-bad-link": (None, go("/accounts/password/reset/MQ/not-a-token/")),
    "password-reset-complete": (None, go("/accounts/password/reset/complete/")),
    "form-expired-403": (None, expired_form),
    "password-change": ("bromley.finance", go("/accounts/password/")),
    "password-change-errors": ("bromley.finance", password_change_errors),
    "password-change-done": ("bromley.finance", go("/accounts/password/done/")),
    "overview": ("bromley.finance", go("/")),
    "overview-five-areas": ("london.commissioner", go(f"/?year={YEAR}")),
    "compare": ("london.commissioner", go(f"/compare/?metric=NEA&year={YEAR}")),
    "area-year": ("bromley.commissioner", go(f"/areas/{BROMLEY}/")),  # the area's latest year
    "area-year-no-actuals": ("bromley.commissioner", go(f"/areas/{BROMLEY}/{YEAR + 1}/")),
    "scheme": ("bromley.finance", go(f"/areas/{BROMLEY}/schemes/B1/?year={YEAR}")),
    "scheme-history": ("bromley.finance", go(f"/areas/{BROMLEY}/schemes/B1/history/")),
    "metric": ("bromley.finance", go(f"/areas/{BROMLEY}/metrics/NEA/")),
    "entry": ("bromley.finance", go(f"/areas/{BROMLEY}/entry/2017-02/")),
    "entry-errors": ("bromley.finance", entry_errors),
    "plan-entry": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/2017-04/")),
    "upload-choose": ("admin", go("/upload/")),
    "upload-several-areas": ("admin", go("/upload/all-areas/")),
    "upload": ("bromley.finance", go(f"/areas/{BROMLEY}/upload/")),
    "upload-errors": ("bromley.finance", upload_with_mistakes),
    "upload-preview": ("bromley.finance", upload_to_preview),
    "history": ("bromley.finance", go(f"/areas/{BROMLEY}/history/")),
    "sign-off": ("bromley.finance", go(f"/areas/{BROMLEY}/sign-off/{YEAR}/")),
    "plan-start": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/")),
    "plan": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/{YEAR}/")),
    "plan-income": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/{YEAR}/income/")),
    "plan-expenditure": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/{YEAR}/expenditure/")),
    "plan-scheme": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/{YEAR}/expenditure/B1/")),
    "plan-metrics": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/{YEAR}/metrics/")),
    "plan-risk-share": ("bromley.finance", go(f"/areas/{BROMLEY}/plan/{YEAR}/risk-share/")),
    "people": ("admin", go("/people/")),
    "summaries-choose": ("london.commissioner", go("/summaries/")),
    "summaries": ("bromley.hwb", go(f"/areas/{BROMLEY}/summaries/")),
    "quarterly-summary": ("bromley.hwb", go(f"/areas/{BROMLEY}/{YEAR}/q4/summary/")),
    # The same page with the officers' boxes: only what differs is checked again (the page is the largest).
    "quarterly-summary-officer": (
        "bromley.finance",
        go(f"/areas/{BROMLEY}/{YEAR}/q4/summary/"),
        {"include": [[".comment-field"], ["#narrative"], [".summary-actions"]]},
    ),
    "not-found-404": ("bromley.finance", go(f"/areas/{WESTMINSTER}/{YEAR}/")),
    "forbidden-403": ("bromley.finance", go("/refused-for-the-test/")),
}


@pytest.fixture(scope="module")
def contexts(browser, demo_site):
    """One browser context per person, signed in before any test (so no test's rollback undoes it)."""
    made = {}
    for username in sorted({who for who, *_ in PAGES.values()}, key=str):
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="en-GB")
        if username:
            page = context.new_page()
            sign_in(page, demo_site.url, username)
            page.close()
        made[username] = context
    yield made
    for context in made.values():
        context.close()


def axe_violations(page, run_only, context="document") -> list:
    # Open every <details>, then let their toggle handlers (tables.js) run before checking.
    page.evaluate("""() => new Promise(done => {
        document.querySelectorAll('details').forEach(d => { d.open = true; });
        setTimeout(done, 0);
    })""")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate(
        "([context, runOnly]) => axe.run(context === 'document' ? document : context,"
        " {runOnly, resultTypes: ['violations']})",
        [context, run_only],
    )
    return results["violations"]


def described(violations, width) -> list[str]:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(node["target"]) for node in v["nodes"][:8])
        lines.append(f"[{width}px] {v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return lines


def wait_for_charts(page):
    draw_every_chart(page)


@pytest.mark.parametrize("page_id", list(PAGES))
def test_page_has_no_wcag_22_aa_violations(contexts, demo_site, tmp_path, page_id):
    username, visit, *part = PAGES[page_id]
    context_of_axe = part[0] if part else "document"
    context = contexts[username]
    if username is None:
        context.clear_cookies()
    page = context.new_page()
    try:
        response = visit(page, demo_site, tmp_path)
        if response is not None:
            assert response.status == int(page_id[-3:]) if page_id[-3:] in ("403", "404") else response.status == 200
        if username:
            assert "/accounts/login/" not in page.url, f"{username} is no longer signed in"
        wait_for_charts(page)
        found = described(axe_violations(page, WCAG_22_AA, context_of_axe), 1366)
        page.set_viewport_size({"width": 375, "height": 812})
        page.wait_for_timeout(250)  # plotly and tables.js redraw and re-mark after a resize
        found += described(axe_violations(page, PHONE_RULES, context_of_axe), 375)
        assert page.locator("h1").count() == 1, "every page has one main heading"
        assert not found, f"{page_id} at {page.url}:\n" + "\n".join(found)
    finally:
        page.close()
