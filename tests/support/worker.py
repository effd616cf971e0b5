"""The background worker (django-tasks-db's db_worker) run in the test's own process until the queue is empty."""

from unittest import mock


def run_worker():
    """Run every queued task once, in this process.

    The worker closes "old" database connections as it wakes and between tasks, as a long-running
    process should; here the connection is the test's own, inside the test's transaction, so it is
    kept open (on SQLite's in-memory test database Django never closes it anyway; on PostgreSQL it would).
    """
    from django_tasks_db.management.commands.db_worker import Worker

    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="test-worker",
            excluded_queue_names=[],
        ).run()
