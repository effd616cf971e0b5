"""A finance officer's upload, by keyboard: choose the file, check it, read the preview, confirm."""

import pytest

from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.returns.models import PendingUpload
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.browser.conftest import sign_in
from tests.support.personas import PASSWORD
from tests.support.world import BROMLEY, csv_bytes, world  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page, text, limit=40):
    """Press Tab until the focused element's text contains ``text``; fail if it never does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if text in (page.evaluate("document.activeElement.innerText || document.activeElement.value || ''")):
            return
    raise AssertionError(f"Tab never reached '{text}'")


def test_an_officer_uploads_previews_and_confirms_with_the_keyboard(page, live_server, world, tmp_path):
    path = tmp_path / "may.csv"
    path.write_bytes(
        csv_bytes(
            [
                [BROMLEY, "2017-05", "NEA", "actual", "1,262", "SUS May"],
                [BROMLEY, "2017-05", "spend:A1", "actual", "£10,000.50", ""],
            ]
        )
    )
    sign_in(page, live_server, "finance_a", PASSWORD)
    page.goto(f"{live_server.url}/areas/{BROMLEY}/upload/")
    page.set_input_files("#id_file", str(path))
    page.focus("#id_file")
    tab_to(page, "Check the file")
    page.keyboard.press("Enter")
    page.wait_for_url("**/upload/*/")
    assert page.locator("h1").inner_text() == "Check the changes, then confirm"
    assert "2 new values" in " ".join(page.locator(".counts").inner_text().split())
    assert "£10,000.50" in page.locator("main").inner_text()
    assert not MetricValue.objects.exists() and PendingUpload.objects.count() == 1
    page.focus("body")
    tab_to(page, "Confirm and save 2 changes")
    page.keyboard.press("Enter")
    page.wait_for_url("**/history/?batch=*")
    assert "Applied may.csv: 2 new, 0 changed, 0 unchanged." in page.get_by_role("status").first.inner_text()
    assert "SUS May" in page.locator("table").inner_text()
    assert MetricValue.objects.get().note == "SUS May" and SchemeValue.objects.count() == 1
    assert ImportBatch.objects.get().user.username == "finance_a" and not PendingUpload.objects.exists()


def test_a_file_with_mistakes_lists_each_one_and_saves_nothing(page, live_server, world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(
        csv_bytes(
            [[BROMLEY, "2017-05", "NEA", "actual", "12a", ""], [BROMLEY, "2017-05", "spend:A1", "actual", "1.005", ""]]
        )
    )
    sign_in(page, live_server, "finance_a", PASSWORD)
    page.goto(f"{live_server.url}/areas/{BROMLEY}/upload/")
    page.set_input_files("#id_file", str(path))
    page.focus("#id_file")
    tab_to(page, "Check the file")
    page.keyboard.press("Enter")
    alert = page.get_by_role("alert")
    text = alert.inner_text()
    assert "2 problems in bad.csv: nothing was saved" in text
    assert "'12a' is not a number" in text and "round it to pence" in text
    rows = alert.locator("tbody tr")
    assert (
        rows.nth(0).locator("td").nth(0).inner_text() == "2"
        and rows.nth(0).locator("td").nth(1).inner_text() == "value"
    )
    assert not MetricValue.objects.exists() and not SchemeValue.objects.exists() and not PendingUpload.objects.exists()
