"""The area lock every writer of an area's figures, sign-off and narrative takes, and reads on the primary.

Inside the write transaction an area's row is locked (SELECT ... FOR UPDATE on PostgreSQL; on
SQLite the first write takes the database's write lock) before anything that may change is read
again, so the old values a writer records are exactly the ones it replaces, and a quarter cannot
be approved half-way through an upload.
"""

from contextlib import contextmanager

from bcf_dashboard.core import db_routers
from bcf_dashboard.core.models import Area


@contextmanager
def on_primary():
    """Reads go to the primary database inside (with a read replica, db_routers), as they were before after.

    What is read again before writing must be the primary's, and SELECT ... FOR UPDATE only runs there.
    """
    token = db_routers._pinned.set(True)
    try:
        yield
    finally:
        db_routers._pinned.reset(token)


def lock_areas(area_ids) -> None:
    """Take the write lock on these areas (PostgreSQL; a no-op on SQLite), in id order so two never deadlock."""
    list(Area.objects.select_for_update().filter(id__in=area_ids).order_by("id").values_list("id", flat=True))
