"""A draft's PDF in a real browser: the waiting page shows the worker's progress (static script, strict CSP)
and, once the worker has made the file, fetches it without the person doing anything."""

import pytest
from django_tasks_db.management.commands.db_worker import Worker

from bcf_dashboard.quarterly import pdf
from tests.browser.conftest import sign_in
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_waiting_page_follows_the_worker_and_then_downloads_the_pdf(
    page, live_server, personas, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, path: (b"%PDF-1.7 made by the worker", 0.01))
    fill_area(personas.area_a, schemes=2)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, live_server, "hwb_a", PASSWORD)
    page.goto(f"{live_server.url}/areas/E09000006/{YEAR}/q2/summary.pdf")
    assert page.get_by_role("status").inner_text() == "Waiting for the worker"
    assert page.locator("progress").get_attribute("value") == "5"
    with page.expect_download(timeout=20_000) as download:
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="browser-test",
            excluded_queue_names=[],
        ).run()
    assert download.value.suggested_filename == "bcf-summary-E09000006-2017-18-q2-draft.pdf"
    assert open(download.value.path(), "rb").read() == b"%PDF-1.7 made by the worker"
    assert page.get_by_role("status").inner_text() == "Ready"
    assert not errors
