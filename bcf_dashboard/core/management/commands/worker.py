"""``manage.py worker``: the background worker. Run one or more on any number of machines beside the
web servers; each takes tasks from the queue in the database, one at a time, locking each row so that
no two workers run the same task. Tasks whose worker died are handed out again (``core.queue``)."""

import logging
import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from bcf_dashboard.core.queue import requeue_stale

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the background worker (PDFs, large uploads), handing out again the tasks of dead workers"

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between looks at an empty queue")
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then stop")
        parser.add_argument(
            "--sweep-every", type=float, default=60.0, help="Seconds between looks for tasks whose worker died"
        )

    def handle(self, *, interval, batch, sweep_every, verbosity, **options):
        found = requeue_stale()
        if found:
            self.stderr.write(f"Handed out again {found} task(s) whose worker stopped mid-task.")
        if not batch:
            stop = threading.Event()
            threading.Thread(target=self._sweep, args=(stop, sweep_every), daemon=True).start()
        call_command("db_worker", interval=interval, batch=batch, reload=False, verbosity=verbosity, queue_name="*")

    @staticmethod
    def _sweep(stop: threading.Event, every: float) -> None:
        from django.db import close_old_connections

        while not stop.wait(every):
            try:
                requeue_stale()
            except Exception:  # a passing database fault: the next sweep tries again
                log.warning("Could not look for tasks whose worker died", exc_info=True)
            finally:
                close_old_connections()
