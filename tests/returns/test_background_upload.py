"""A large upload is checked and applied by the background worker: the page shows the progress, the person
can leave and come back, and the apply, run twice or after a worker was killed part way, writes once."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.returns import background
from bcf_dashboard.returns.models import PendingUpload, UploadJob
from metrics.models import MetricValue
from tests.returns.test_upload import NOTHING, ROWS, URL, written
from tests.support.worker import run_worker
from tests.support.world import BROMLEY, csv_bytes

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def officer(client, world, settings):
    settings.BCF_BACKGROUND_UPLOAD_BYTES = 10  # every test file counts as large
    client.force_login(world.personas.finance_a)
    return client


def stamp_of(page: str) -> str:
    return re.search(r'name="previewed" value="([^"]+)"', page).group(1)


def test_a_large_file_is_checked_then_applied_by_the_worker(officer, world, settings):
    settings.TASKS = DATABASE_QUEUE
    response = officer.post(URL, {"file": SimpleUploadedFile("big.csv", csv_bytes(ROWS))})
    job = UploadJob.objects.get()
    job_url = reverse("upload_job", args=[BROMLEY, job.token])
    assert response["Location"] == job_url
    waiting = officer.get(job_url).content.decode()
    assert "Checking the file" in waiting and "js/progress.js" in waiting and "<script>" not in waiting
    progress_url = reverse("upload_job_progress", args=[BROMLEY, job.token])
    assert f'data-progress-url="{progress_url}"' in waiting
    assert officer.get(progress_url).json()["status"] == "checking"
    run_worker()
    assert officer.get(progress_url).json() == {
        "status": "checked",
        "label": "Checked",
        "percent": 100,
        "rows_done": 2,
        "rows_total": 2,
        "finished": True,
        "error": "",
    }
    checked = officer.get(job_url).content.decode()
    assert re.search(r'<span class="big">2</span> new values', checked)
    assert written() == NOTHING
    officer.post(job_url, {"action": "confirm", "previewed": stamp_of(checked)})
    assert "Saving the figures" in officer.get(job_url).content.decode()
    assert written() == NOTHING
    run_worker()
    done = officer.get(job_url)
    batch = ImportBatch.objects.get()
    assert done["Location"] == reverse("area_history", args=[BROMLEY]) + f"?batch={batch.pk}"
    assert MetricValue.objects.get(kind="actual").value == Decimal("1262")
    assert not PendingUpload.objects.exists()


def test_the_apply_run_twice_writes_once(officer, world):
    response = officer.post(URL, {"file": SimpleUploadedFile("big.csv", csv_bytes(ROWS))})
    job = UploadJob.objects.get()
    page = officer.get(response["Location"]).content.decode()
    officer.post(response["Location"], {"action": "confirm", "previewed": stamp_of(page)})
    after = written()
    assert after[2] == 1  # one batch
    # A worker that saved but was killed before reporting would have its task handed out again.
    UploadJob.objects.filter(pk=job.pk).update(stage=UploadJob.Stage.APPLYING)
    assert background.apply_upload.call(job.pk, "2017-01-01T00:00:00+00:00") in ("nothing to apply", "gone")
    assert written() == after


def test_a_worker_killed_mid_apply_wrote_nothing_and_the_retry_applies_once(officer, world, monkeypatch):
    response = officer.post(URL, {"file": SimpleUploadedFile("big.csv", csv_bytes(ROWS))})
    job = UploadJob.objects.get()
    page = officer.get(response["Location"]).content.decode()
    real = background.import_in_chunks

    def killed(**kwargs):
        real(**kwargs)
        raise SystemExit("worker killed")  # after the writes, before the commit

    monkeypatch.setattr(background, "import_in_chunks", killed)
    officer.post(response["Location"], {"action": "confirm", "previewed": stamp_of(page)})
    assert written() == NOTHING and PendingUpload.objects.exists()
    assert UploadJob.objects.get().stage == UploadJob.Stage.APPLYING  # the task is handed out again later
    monkeypatch.setattr(background, "import_in_chunks", real)
    since = UploadJob.objects.get().finished_at.isoformat()
    assert background.apply_upload.call(job.pk, since) == "applied"
    assert written()[2] == 1 and MetricValue.objects.get(kind="actual").value == Decimal("1262")


def test_another_persons_job_is_not_theirs(officer, world, client):
    officer.post(URL, {"file": SimpleUploadedFile("big.csv", csv_bytes(ROWS))})
    job = UploadJob.objects.get()
    client.force_login(world.personas.user_b)
    assert client.get(reverse("upload_job_progress", args=[BROMLEY, job.token])).status_code == 404
    client.force_login(world.personas.approver_a)
    assert client.get(reverse("upload_job", args=[BROMLEY, job.token])).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_the_applys_progress_is_seen_by_others_while_its_transaction_is_open(officer, world, monkeypatch):
    """The apply writes every chunk inside one transaction, which nobody else sees until it commits; its
    rows done go through a second connection (PostgreSQL), so the job's page moves meanwhile."""
    from django.db import DEFAULT_DB_ALIAS, connection, connections

    from bcf_dashboard.returns import collation

    if connection.vendor != "postgresql":
        pytest.skip("on SQLite the apply holds the one write lock: its page estimates from the time")
    monkeypatch.setattr(collation, "CHUNK_ROWS", 1)
    response = officer.post(URL, {"file": SimpleUploadedFile("big.csv", csv_bytes(ROWS))})
    job = UploadJob.objects.get()
    page = officer.get(response["Location"]).content.decode()
    seen, report = [], background._Reporter.__call__
    onlooker = connections.create_connection(DEFAULT_DB_ALIAS)

    def reported(self, done, total):
        report(self, done, total)
        if self.in_transaction:
            with onlooker.cursor() as cursor:  # another session, as the job's page is
                cursor.execute("SELECT rows_done, rows_total, stage FROM returns_uploadjob WHERE id = %s", [job.pk])
                seen.append(cursor.fetchone())

    monkeypatch.setattr(background._Reporter, "__call__", reported)
    try:
        officer.post(response["Location"], {"action": "confirm", "previewed": stamp_of(page)})
    finally:
        onlooker.close()
    assert seen == [(1, 2, "applying"), (2, 2, "applying")]
    assert UploadJob.objects.get().stage == UploadJob.Stage.APPLIED and written()[2] == 1


def test_the_areas_upload_page_lists_a_large_file_still_being_checked(officer, world, settings):
    """Left while the worker checks it, the file is on the area's upload page with a link back to it."""
    settings.TASKS = DATABASE_QUEUE
    officer.post(URL, {"file": SimpleUploadedFile("september.csv", csv_bytes(ROWS))})
    job = UploadJob.objects.get()
    page = officer.get(URL).content.decode()
    assert "Your uploads not finished yet" in page and "september.csv" in page and "Checking the file" in page
    assert f'href="{reverse("upload_job", args=[BROMLEY, job.token])}"' in page
    run_worker()
    assert "Checked: waiting for you to confirm" in officer.get(URL).content.decode()
    PendingUpload.objects.update(expires_at=timezone.now())  # kept an hour: gone, it can no longer go on
    assert "september.csv" not in officer.get(URL).content.decode()


def test_an_unfinished_upload_whose_check_found_problems_says_so(officer, world, settings):
    settings.TASKS = DATABASE_QUEUE
    officer.post(
        URL, {"file": SimpleUploadedFile("bad.csv", csv_bytes([[BROMLEY, "2017-13", "NEA", "actual", "1", ""]]))}
    )
    run_worker()
    page = officer.get(URL).content.decode()
    assert "bad.csv" in page and "Checked: 1 problem to fix" in page and "See the problems" in page
