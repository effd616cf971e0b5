"""The summary's PDF is made by the background worker and kept in the file storage: made once for a frozen
version when it is approved, on request for a draft (a waiting page with its progress meanwhile), and
served from storage after. A worker killed mid-task has its task handed out again, and the retry leaves
one file, not two."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bcf_dashboard.core.queue import backlog, requeue_stale
from bcf_dashboard.quarterly import pdf
from bcf_dashboard.quarterly.models import SummaryPdf
from bcf_dashboard.quarterly.stored_pdf import storage_name
from tests.quarterly.conftest import approve, url
from tests.support.worker import run_worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def chromium(monkeypatch):
    """Chromium itself is tested in test_pdf; here, how often it is asked and what is kept."""
    made = []

    def fake(html, path):
        made.append(path)
        return b"%PDF-1.7 made " + str(len(made)).encode(), 0.01

    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    return made


def stored_files(area):
    folders, _ = default_storage.listdir(f"summaries/{area.code}")
    return sorted(name for folder in folders for name in default_storage.listdir(f"summaries/{area.code}/{folder}")[1])


def test_a_draft_pdf_is_made_once_stored_and_then_served_from_storage(client, filled, chromium):
    client.force_login(filled.hwb_a)
    first = client.get(url(filled.area_a, suffix="summary.pdf"))
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert b"".join(first.streaming_content) == b"%PDF-1.7 made 1"
    again = client.get(url(filled.area_a, suffix="summary.pdf"))
    assert b"".join(again.streaming_content) == b"%PDF-1.7 made 1"
    assert again["Content-Disposition"] == 'attachment; filename="bcf-summary-E09000006-2017-18-q2-draft.pdf"'
    assert len(chromium) == 1
    record = SummaryPdf.objects.get()
    assert (record.status, record.version, record.key.startswith("draft-")) == ("ready", None, True)
    assert default_storage.open(record.file_name).read() == b"%PDF-1.7 made 1"


def test_approval_makes_the_frozen_version_pdf_once(client, filled, chromium, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        approve(filled)
    record = SummaryPdf.objects.get()
    assert (record.key, record.version, record.status) == ("v1", 1, "ready")
    assert record.file_name == storage_name(record) == "summaries/E09000006/2017-q2/v1.pdf"
    client.force_login(filled.commissioner_a)
    response = client.get(url(filled.area_a, suffix="summary.pdf"))
    assert response["Content-Disposition"] == 'attachment; filename="bcf-summary-E09000006-2017-18-q2-v1.pdf"'
    assert b"".join(response.streaming_content) == b"%PDF-1.7 made 1"
    assert len(chromium) == 1  # made at approval, not again for the reader


def test_with_the_database_queue_the_page_waits_for_the_worker(client, filled, chromium, settings):
    settings.TASKS = DATABASE_QUEUE
    client.force_login(filled.hwb_a)
    waiting = client.get(url(filled.area_a, suffix="summary.pdf"))
    assert waiting.status_code == 200 and b"Preparing the PDF" in waiting.content
    assert b"js/progress.js" in waiting.content and b"<script>" not in waiting.content
    record = SummaryPdf.objects.get()
    progress_url = url(filled.area_a, suffix=f"summary-pdf/{record.pk}/progress")
    assert f'data-progress-url="{progress_url}"'.encode() in waiting.content
    assert client.get(progress_url).json() == {
        "status": "queued",
        "label": "Waiting for the worker",
        "percent": 5,
        "ready": False,
        "error": "",
    }
    assert backlog()["waiting"] == 1 and chromium == []
    run_worker()
    assert client.get(progress_url).json()["ready"] is True
    served = client.get(url(filled.area_a, suffix="summary.pdf"))
    assert b"".join(served.streaming_content) == b"%PDF-1.7 made 1"
    assert len(chromium) == 1 and backlog()["waiting"] == 0
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_progress_of_another_areas_pdf_is_404(client, filled, chromium):
    client.force_login(filled.hwb_a)
    client.get(url(filled.area_a, suffix="summary.pdf"))
    record = SummaryPdf.objects.get()
    client.force_login(filled.user_b)
    assert client.get(url(filled.area_a, suffix=f"summary-pdf/{record.pk}/progress")).status_code == 404
    assert client.get(url(filled.area_b, suffix=f"summary-pdf/{record.pk}/progress")).status_code == 404


def test_a_task_whose_worker_was_killed_runs_again_and_keeps_one_file(client, filled, chromium, settings):
    settings.TASKS = DATABASE_QUEUE
    client.force_login(filled.hwb_a)
    client.get(url(filled.area_a, suffix="summary.pdf"))
    record = SummaryPdf.objects.get()
    # The killed worker had claimed the task, marked the PDF as being made and saved part of a file.
    long_ago = timezone.now() - timedelta(seconds=settings.BCF_TASK_STALE_SECONDS + 60)
    DBTaskResult.objects.update(status="RUNNING", started_at=long_ago, worker_ids=["killed"])
    SummaryPdf.objects.update(status="running", started_at=long_ago, attempts=1)
    default_storage.save(storage_name(record), __import__("io").BytesIO(b"%PDF-1.7 half"))
    run_worker()
    assert chromium == []  # a running task is nobody else's until it is stale
    assert requeue_stale() == 1
    run_worker()
    record.refresh_from_db()
    assert (record.status, record.attempts) == ("ready", 2)
    assert stored_files(filled.area_a) == [record.file_name.rsplit("/", 1)[1]]
    assert default_storage.open(record.file_name).read() == b"%PDF-1.7 made 1"


def test_a_failed_pdf_says_why_and_can_be_asked_for_again(client, filled, monkeypatch, chromium):
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, path: (_ for _ in ()).throw(pdf.PdfUnavailable("No room")))
    client.force_login(filled.hwb_a)
    failed = client.get(url(filled.area_a, suffix="summary.pdf"))
    assert failed.status_code == 503 and b"No room" in failed.content
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, path: (b"%PDF-1.7 second go", 0.01))
    assert client.get(url(filled.area_a, suffix="summary.pdf")).status_code == 503  # not retried unasked
    again = client.get(url(filled.area_a, suffix="summary.pdf") + "?again=1")
    assert b"".join(again.streaming_content) == b"%PDF-1.7 second go"
