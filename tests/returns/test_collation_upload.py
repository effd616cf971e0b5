"""One file for several areas (a regional or national collation): kept, checked and applied by the
worker, with the rows done shown as it goes; rows for an area the person may not edit are errors."""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bcf_dashboard.core.models import Area, ImportBatch, Membership
from bcf_dashboard.returns.models import PendingUpload, UploadJob
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.personas import make_user
from tests.support.worker import run_worker
from tests.support.world import BROMLEY, SOUTHWARK, csv_bytes

URL = reverse("collation_upload")
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ROWS = [
    [BROMLEY, "2017-05", "NEA", "actual", "1262", ""],
    [BROMLEY, "2017-05", "spend:A1", "actual", "9,500.25", ""],
    [SOUTHWARK, "2017-05", "spend:B1", "actual", "4000", "paid"],
]


@pytest.fixture
def regional(world, client, settings):
    """A finance officer of both areas: the person a collation's pages are for."""
    settings.TASKS = DATABASE_QUEUE
    officer = make_user("regional")
    for area in (world.bromley, world.southwark):
        Membership.objects.create(user=officer, area=area, role=Membership.Role.FINANCE_OFFICER)
    client.force_login(officer)
    return client


def stamp_of(page: str) -> str:
    return re.search(r'name="previewed" value="([^"]+)"', page).group(1)


def upload(client, rows, name="region.csv"):
    return client.post(URL, {"file": SimpleUploadedFile(name, csv_bytes(rows))})


def test_a_collation_is_checked_confirmed_and_applied_by_the_worker(regional, world):
    response = upload(regional, ROWS)
    job = UploadJob.objects.get()
    job_url = reverse("collation_job", args=[job.token])
    assert response.status_code == 302 and response["Location"] == job_url and job.area is None
    waiting = regional.get(job_url).content.decode()
    assert "Checking the file" in waiting and "Every area you enter figures for" in waiting
    progress_url = reverse("collation_job_progress", args=[job.token])
    assert f'data-progress-url="{progress_url}"' in waiting
    run_worker()
    progress = regional.get(progress_url).json()
    assert (progress["status"], progress["percent"], progress["rows_done"], progress["rows_total"]) == (
        "checked",
        100,
        3,
        3,
    )
    checked = regional.get(job_url).content.decode()
    assert re.search(r'<span class="big">3</span> new values', checked)
    assert not SchemeValue.objects.exists()  # nothing saved before the confirmation
    regional.post(job_url, {"action": "confirm", "previewed": stamp_of(checked)})
    assert "Saving the figures" in regional.get(job_url).content.decode()
    run_worker()
    done = regional.get(job_url, follow=True)
    batch = ImportBatch.objects.get()
    assert f"3 new, 0 changed, 0 unchanged, 0 left blank (import batch {batch.pk})" in done.content.decode()
    assert MetricValue.objects.get(kind="actual").value == Decimal("1262")
    assert sorted(SchemeValue.objects.values_list("scheme__area__code", "value")) == [
        (BROMLEY, Decimal("9500.25")),
        (SOUTHWARK, Decimal("4000.00")),
    ]
    assert batch.rows == 3 and batch.created == 3 and not PendingUpload.objects.exists()


def test_rows_for_an_area_the_person_may_not_edit_are_errors_and_nothing_is_saved(regional, world):
    other = Area.objects.create(code="E09000022", name="Lambeth")
    upload(regional, ROWS + [[other.code, "2017-05", "NEA", "actual", "5", ""]])
    run_worker()
    job = UploadJob.objects.get()
    page = regional.get(reverse("collation_job", args=[job.token])).content.decode()
    assert "1 problem in region.csv: nothing was saved" in page
    assert "Row 5, column area_code: you may not change figures for Lambeth (E09000022)" in page
    assert "Confirm and save" not in page and not SchemeValue.objects.exists()


def test_cancelling_keeps_nothing(regional, world):
    upload(regional, ROWS)
    run_worker()
    job = UploadJob.objects.get()
    response = regional.post(reverse("collation_job", args=[job.token]), {"action": "cancel"})
    assert response["Location"] == URL
    assert not UploadJob.objects.exists() and not PendingUpload.objects.exists() and not SchemeValue.objects.exists()


def test_a_file_over_the_limit_is_refused_unread(regional, world, settings):
    settings.RETURNS_COLLATION_MAX_BYTES = 100
    response = upload(regional, ROWS * 5)
    assert response.status_code == 413
    assert "the most a file for several areas may be" in response.content.decode()
    assert not PendingUpload.objects.exists()


def test_another_persons_collation_is_a_404(regional, world, client):
    upload(regional, ROWS)
    job = UploadJob.objects.get()
    client.force_login(world.personas.staff)  # may edit every area, but the job is not theirs
    assert client.get(reverse("collation_job", args=[job.token])).status_code == 404
    assert client.get(reverse("collation_job_progress", args=[job.token])).status_code == 404


def test_a_one_area_finance_officer_is_sent_to_their_areas_page(client, world):
    client.force_login(world.personas.finance_a)
    assert client.get(URL)["Location"] == reverse("upload", args=[BROMLEY])
    assert client.post(URL, {}).status_code == 404


def test_the_choice_of_areas_offers_a_file_for_several(regional):
    page = regional.get(reverse("upload_start")).content.decode()
    assert f'href="{URL}"' in page


def test_at_once_a_correct_file_is_checked_and_saved_in_one_pass(regional, world):
    response = regional.post(URL, {"file": SimpleUploadedFile("region.csv", csv_bytes(ROWS)), "at_once": "1"})
    job = UploadJob.objects.get()
    assert job.stage == UploadJob.Stage.APPLYING
    assert "Saving the figures" in regional.get(response["Location"]).content.decode()
    run_worker()
    job.refresh_from_db()
    assert job.stage == UploadJob.Stage.APPLIED and job.outcome["rows"] == 3 and job.rows_done == 3
    assert SchemeValue.objects.count() == 2 and MetricValue.objects.count() == 1


def test_at_once_a_wrong_row_saves_nothing_and_lists_the_error(regional, world):
    rows = ROWS + [[BROMLEY, "2017-05", "spend:A9", "actual", "1", ""]]
    regional.post(URL, {"file": SimpleUploadedFile("region.csv", csv_bytes(rows)), "at_once": "1"})
    run_worker()
    job = UploadJob.objects.get()
    page = regional.get(reverse("collation_job", args=[job.token])).content.decode()
    assert job.stage == UploadJob.Stage.CHECKED and not job.outcome["ok"]
    assert "1 problem in region.csv: nothing was saved" in page and "Row 5, column measure" in page
    assert not SchemeValue.objects.exists() and not MetricValue.objects.exists()
    assert not ImportBatch.objects.exists()


def test_an_upload_left_waiting_is_listed_for_its_owner_to_come_back_to(regional, world):
    """The page says the person may leave and come back: a checked file waiting for confirmation is
    listed with a link to its page, until it is saved; another person does not see it."""
    upload(regional, ROWS, name="region-may.csv")
    job = UploadJob.objects.get()
    run_worker()
    page = regional.get(URL).content.decode()
    assert "Your uploads not finished yet" in page and "region-may.csv" in page
    assert "Checked: waiting for you to confirm" in page
    assert f'href="{reverse("collation_job", args=[job.token])}"' in page
    other = make_user("other-regional")
    for area in (world.bromley, world.southwark):
        Membership.objects.create(user=other, area=area, role=Membership.Role.FINANCE_OFFICER)
    someone_else = Client()
    someone_else.force_login(other)
    assert "region-may.csv" not in someone_else.get(URL).content.decode()
    checked = regional.get(reverse("collation_job", args=[job.token])).content.decode()
    regional.post(reverse("collation_job", args=[job.token]), {"action": "confirm", "previewed": stamp_of(checked)})
    run_worker()
    assert "Your uploads not finished yet" not in regional.get(URL).content.decode()
