"""The background worker's queue: tasks in the database (django-tasks-db), run by ``manage.py worker``.

A worker killed mid-task (a deploy, a machine lost) leaves its task marked running for ever; the
queue's own worker never looks at it again. ``requeue_stale`` hands such a task out again once it has
run for longer than any task should (``BCF_TASK_STALE_SECONDS``), so every task must be safe to run
twice: each checks what is already done and writes nothing twice.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone


def requeue_stale(now=None) -> int:
    """Tasks that started too long ago and never finished, made ready to run again; how many."""
    from django_tasks_db.models import DBTaskResult

    cutoff = (now or timezone.now()) - timedelta(seconds=settings.BCF_TASK_STALE_SECONDS)
    return DBTaskResult.objects.filter(status="RUNNING", started_at__lt=cutoff).update(
        status="READY", started_at=None, run_after=timezone.now()
    )


def backlog(older_than_seconds: int = 60) -> dict:
    """What /health/ reports: tasks waiting to run, those waiting longer than a minute, and those running."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(status="READY")
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    return {
        "waiting": waiting.count(),
        "waiting_over_a_minute": waiting.filter(enqueued_at__lt=cutoff).count(),
        "running": DBTaskResult.objects.filter(status="RUNNING").count(),
    }
