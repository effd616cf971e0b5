"""Large uploads checked and applied by the background worker, so no request waits on them.

A file above ``BCF_BACKGROUND_UPLOAD_BYTES`` for one area, or a collation for several (``area`` None), is
kept (``uploads.keep``) and checked by ``check_upload``; the person sees the progress, the counts and any
errors on the job's page, and confirms there; ``apply_upload`` then saves it. Both read the file in
chunks (``collation.import_in_chunks``), so a national collation of a million rows stays within a worker's
memory, and report the rows done after each chunk. The apply claims the kept file, writes the figures and
marks the job applied in one transaction: a worker killed part way leaves nothing written and the file
still waiting, and the task, handed out again, applies it once.
"""

import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone
from django_tasks import task

from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.returns import uploads
from bcf_dashboard.returns.collation import import_in_chunks
from bcf_dashboard.returns.models import PendingUpload, UploadJob

Stage = UploadJob.Stage
ERRORS_SHOWN = 50
ROWS_PER_SECOND = 20_000  # the check's and the apply's pace on a small server: the progress bar's yardstick


def threshold() -> int:
    return getattr(settings, "BCF_BACKGROUND_UPLOAD_BYTES", 1024 * 1024)


def start(pending: PendingUpload, *, at_once=False) -> UploadJob:
    """The job of a kept upload: its check queued, or with ``at_once`` its check and apply in one pass.

    At once, the file is saved if every row is right and nothing is saved otherwise (the errors are
    listed as after a check), refusing figures someone changed after the upload: what
    ``manage.py import_returns`` does, for a collation nobody needs to look over before it is saved.
    """
    job = UploadJob.objects.create(
        token=pending.token,
        user=pending.user,
        area=pending.area,
        file_name=pending.file_name,
        size=pending.size,
        stage=Stage.APPLYING if at_once else Stage.CHECKING,
    )
    if at_once:
        _enqueue(job, apply_upload, pending.created_at.isoformat())
    else:
        _enqueue(job, check_upload)
    return job


def confirm(job: UploadJob, since: datetime.datetime) -> None:
    UploadJob.objects.filter(pk=job.pk).update(
        stage=Stage.APPLYING, stage_started_at=timezone.now(), error="", rows_done=0
    )
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
    result = import_in_chunks(
        content=content,
        file_name=job.file_name,
        user=job.user,
        dry_run=True,
        reason=pending.reason,
        area=job.area,
        progress=_Reporter(job.pk),
    )
    outcome = _outcome(result)
    UploadJob.objects.filter(pk=job.pk, stage=Stage.CHECKING).update(
        stage=Stage.CHECKED, outcome=outcome, finished_at=timezone.now()
    )
    return "checked"


@task()
def apply_upload(job_id: int, since: str) -> str:
    """Save the checked file, refusing figures someone changed after the check was shown (``since``)."""
    job = UploadJob.objects.select_related("user", "area").filter(pk=job_id).first()
    if job is None:
        return "nothing to apply"
    reporter = _Reporter(job.pk, in_transaction=True)
    with transaction.atomic(), reporter:
        # The kept file's lock is the apply's own: a second run of this task waits here, then finds the
        # job applied. The job's row is not held, so that the progress can be written to it meanwhile.
        pending = uploads.find(token=job.token, user=job.user, area=job.area, lock=True)
        job.refresh_from_db(fields=["stage", "outcome"])
        if job.stage != Stage.APPLYING:
            return "nothing to apply"  # applied by an earlier run of this task, or cancelled
        content = uploads.content_of(pending) if pending else None
        if content is None:
            _failed(job, "The kept file is gone or changed (uploads wait an hour): upload it again.")
            return "gone"
        result = import_in_chunks(
            content=content,
            file_name=job.file_name,
            user=job.user,
            reason=pending.reason,
            changed_since=datetime.datetime.fromisoformat(since),
            area=job.area,
            source=ImportBatch.Source.UPLOAD,
            progress=reporter,
        )
        if result.ok:
            pending.delete()
            UploadJob.objects.filter(pk=job.pk).update(
                stage=Stage.APPLIED,
                outcome={**_outcome(result), "batch": result.batch.pk},
                finished_at=timezone.now(),
                rows_done=result.rows,
            )
            return "applied"
    # Refused (a row is wrong, or a figure changed since the check): nothing was written; the job's page
    # lists why, as after a check.
    outcome = {**job.outcome, **_outcome(result)}
    UploadJob.objects.filter(pk=job.pk).update(stage=Stage.CHECKED, outcome=outcome, finished_at=timezone.now())
    return "refused"


def _outcome(result) -> dict:
    """What the job's page shows of a check or an apply: counts, warnings and the first errors."""
    return {
        "ok": result.ok,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "blank": result.blank,
        "changes": result.created + result.updated,
        "warnings": list(result.warnings),
        "error_count": result.error_count,
        "errors": [str(error) for error in result.errors[:ERRORS_SHOWN]],
    }


def _failed(job: UploadJob, reason: str) -> str:
    UploadJob.objects.filter(pk=job.pk).update(stage=Stage.FAILED, error=reason, finished_at=timezone.now())
    return reason


class _Reporter:
    """Writes the rows done to the job as the worker goes, where others can read them at once.

    The check runs outside any transaction: its progress is an ordinary update. The apply runs inside
    one, which nobody else sees until it ends: on PostgreSQL its progress goes through a second
    connection of its own (``with reporter:`` closes it). On SQLite the apply holds the one write lock,
    so nothing else can be written until it ends, and the page estimates from the time instead.
    """

    def __init__(self, job_id: int, *, in_transaction=False):
        self.job_id, self.in_transaction, self.side = job_id, in_transaction, None

    def __call__(self, done: int, total: int) -> None:
        if not self.in_transaction:
            UploadJob.objects.filter(pk=self.job_id).update(rows_done=done, rows_total=total)
            return
        if connection.vendor != "postgresql":
            return
        if self.side is None:
            self.side = connections.create_connection(DEFAULT_DB_ALIAS)  # autocommit: seen as soon as written
        with self.side.cursor() as cursor:
            table = self.side.ops.quote_name(UploadJob._meta.db_table)
            sql = f"UPDATE {table} SET rows_done = %s, rows_total = %s WHERE id = %s"  # nosec B608  # quoted name
            cursor.execute(sql, [done, total, self.job_id])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.side is not None:
            self.side.close()
            self.side = None


def progress(job: UploadJob) -> dict:
    """What the waiting page shows: the stage in words and a percentage, with the rows done as the
    worker reports them (an estimate from the time where it cannot report: an apply on SQLite)."""
    finished = job.stage in (Stage.CHECKED, Stage.APPLIED, Stage.FAILED)
    label = job.get_stage_display()
    if finished:
        percent = 100
    elif job.rows_total:
        percent = min(99, int(100 * job.rows_done / job.rows_total))
        label = f"{label}: {job.rows_done:,} of {job.rows_total:,} rows"
    else:
        elapsed = (timezone.now() - job.stage_started_at).total_seconds()
        expected = max(1.0, job.outcome.get("rows", job.size / 40) / ROWS_PER_SECOND)
        percent = min(95, 5 + int(90 * elapsed / expected))
    return {
        "status": job.stage,
        "label": label,
        "percent": percent,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "finished": finished,
        "error": job.error,
    }
