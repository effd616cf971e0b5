"""Large uploads checked and applied by the background worker, so no request waits on them.

A file above ``BCF_BACKGROUND_UPLOAD_BYTES`` is kept (``uploads.keep``) and checked by
``check_upload``; the person sees the progress, the counts and any errors on the job's page, and
confirms there; ``apply_upload`` then saves it. The apply claims the kept file, writes the figures
and marks the job applied in one transaction: a worker killed part way leaves nothing written and
the file still waiting, and the task, handed out again, applies it once.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.returns import uploads
from bcf_dashboard.returns.models import PendingUpload, UploadJob
from bcf_dashboard.returns.services import import_returns

Stage = UploadJob.Stage
ERRORS_SHOWN = 50
ROWS_PER_SECOND = 20_000  # the check's and the apply's pace on a small server: the progress bar's yardstick


def threshold() -> int:
    return getattr(settings, "BCF_BACKGROUND_UPLOAD_BYTES", 1024 * 1024)


def start(pending: PendingUpload) -> UploadJob:
    """The job of a kept upload: its check queued."""
    job = UploadJob.objects.create(
        token=pending.token, user=pending.user, area=pending.area, file_name=pending.file_name, size=pending.size
    )
    _enqueue(job, check_upload)
    return job


def confirm(job: UploadJob, since: datetime.datetime) -> None:
    UploadJob.objects.filter(pk=job.pk).update(stage=Stage.APPLYING, stage_started_at=timezone.now(), error="")
    _enqueue(job, apply_upload, since.isoformat())


def _enqueue(job, which, *args) -> None:
    result = which.enqueue(job.pk, *args)
    UploadJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(result.id))


def _pending(job: UploadJob) -> PendingUpload | None:
    return uploads.find(token=job.token, user=job.user, area=job.area)


@task()
def check_upload(job_id: int) -> str:
    """What the file would change, as the preview shows it: counts, warnings and the first errors."""
    job = UploadJob.objects.select_related("user", "area").filter(pk=job_id).first()
    if job is None or job.stage != Stage.CHECKING:
        return "nothing to check"
    pending = _pending(job)
    content = uploads.content_of(pending) if pending else None
    if content is None:
        return _failed(job, "The kept file is gone or changed (uploads wait an hour): upload it again.")
    result = import_returns(
        content=content, file_name=job.file_name, user=job.user, dry_run=True, reason=pending.reason, area=job.area
    )
    outcome = {
        "ok": result.ok,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "blank": result.blank,
        "changes": len(result.changes),
        "warnings": list(result.warnings),
        "error_count": result.error_count,
        "errors": [str(error) for error in result.errors[:ERRORS_SHOWN]],
    }
    UploadJob.objects.filter(pk=job.pk, stage=Stage.CHECKING).update(
        stage=Stage.CHECKED, outcome=outcome, finished_at=timezone.now()
    )
    return "checked"


@task()
def apply_upload(job_id: int, since: str) -> str:
    """Save the checked file, refusing figures someone changed after the check was shown (``since``)."""
    with transaction.atomic():
        job = UploadJob.objects.select_for_update().select_related("user", "area").filter(pk=job_id).first()
        if job is None or job.stage != Stage.APPLYING:
            return "nothing to apply"  # applied by an earlier run of this task, or cancelled
        pending = uploads.find(token=job.token, user=job.user, area=job.area, lock=True)
        content = uploads.content_of(pending) if pending else None
        if content is None:
            _failed(job, "The kept file is gone or changed (uploads wait an hour): upload it again.")
            return "gone"
        result = import_returns(
            content=content,
            file_name=job.file_name,
            user=job.user,
            reason=pending.reason,
            changed_since=datetime.datetime.fromisoformat(since),
            area=job.area,
            source=ImportBatch.Source.UPLOAD,
        )
        if result.ok:
            pending.delete()
            outcome = {
                **job.outcome,
                "batch": result.batch.pk,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "blank": result.blank,
            }
            UploadJob.objects.filter(pk=job.pk).update(stage=Stage.APPLIED, outcome=outcome, finished_at=timezone.now())
            return "applied"
    # Refused (a figure changed since the check): nothing was written; back to the check's page, with why.
    outcome = {
        **job.outcome,
        "ok": False,
        "error_count": result.error_count,
        "errors": [str(error) for error in result.errors[:ERRORS_SHOWN]],
    }
    UploadJob.objects.filter(pk=job.pk).update(stage=Stage.CHECKED, outcome=outcome, finished_at=timezone.now())
    return "refused"


def _failed(job: UploadJob, reason: str) -> str:
    UploadJob.objects.filter(pk=job.pk).update(stage=Stage.FAILED, error=reason, finished_at=timezone.now())
    return reason


def progress(job: UploadJob) -> dict:
    """What the waiting page shows: the stage in words and a percentage (an estimate while it works)."""
    finished = job.stage in (Stage.CHECKED, Stage.APPLIED, Stage.FAILED)
    if finished:
        percent = 100
    else:
        elapsed = (timezone.now() - job.stage_started_at).total_seconds()
        expected = max(1.0, job.outcome.get("rows", job.size / 40) / ROWS_PER_SECOND)
        percent = min(95, 5 + int(90 * elapsed / expected))
    return {
        "status": job.stage,
        "label": job.get_stage_display(),
        "percent": percent,
        "finished": finished,
        "error": job.error,
    }
