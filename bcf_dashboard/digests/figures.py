"""An area-year's figures kept in the database, so the first view after a write reads them instead of
working them out (decision 18).

The engine assembles an area-year in a dozen queries and, for an area of 400 schemes, about 45 ms of
arithmetic; every page of the area-year (its dashboard, the summary JSON and API, the quarterly
summary, sign-off and the plan's checks) starts from that ``AreaYearSummary``. The page cache keeps
pages, but it starts empty after every write, on every machine with its own cache, and after a
deploy. ``area_year_summary`` here reads the summary as it was stored at the digest's version (one
query, a few milliseconds to unpickle 400 schemes) and otherwise asks the engine and stores what
it worked out.

Kept current without any invalidation to forget, as the page cache is: a row counts only while its
``area_version`` is the area's data version now (``selectors.area_versions``: the sum of every year's
version, since a year's projections read the years before it; every write of figures raises its
year's version in its own transaction), and its ``release`` names the running code and Django's
version (``release``), since a deploy can change the arithmetic or the classes stored. Whoever stores
names the version read *before* the figures, so a write that commits meanwhile leaves the row stale,
never wrong, and a row is never replaced by one of an older version of the same release. The import
service and the plan's saves store the figures they work out for the headline inside their
transaction (``services.refresh``); as they commit they ask the worker for the rest
(``tasks.work_out_figures``): each quarter's, and the whole year's when a headline moved without the
engine. A sign-off step, which moves the version and not the figures, asks the worker too.

Stored as a pickle: the summary holds model instances, ``Decimal`` and dataclasses, and only this
application writes the column (Django's database cache stores its values the same way).
"""

import logging
import pickle  # nosec B403  # only this application's own objects, written by it (see above)
import zlib

import django
from django.db import connection
from django.db.models import OuterRef, Subquery

from bcf_dashboard.core.models import Area
from bcf_dashboard.digests.models import AreaYearDigest, StoredFigures
from bcf_dashboard.digests.pagecache import code_version
from bcf_dashboard.digests.selectors import area_version_of, area_versions
from bcf_dashboard.engine import summary as engine
from bcf_dashboard.engine.summary import AreaYearSummary

WHOLE_YEAR = 12
log = logging.getLogger(__name__)


def area_year_summary(area: Area, year: int, *, through: int = WHOLE_YEAR) -> AreaYearSummary:
    """The engine's ``area_year_summary``, read from the stored figures when they are current (one
    query). The caller has checked access.

    Writes: figures worked out here are stored for the next view (a year with no digest row has
    nothing in it to work out at any length, and is not stored)."""
    current = StoredFigures.objects.filter(
        digest=OuterRef("pk"), through=through, area_version=OuterRef("area_version"), release=release()
    ).values("data")[:1]
    found = list(
        AreaYearDigest.objects.filter(area_id=area.id, financial_year=year)
        .order_by()
        .annotate(area_version=Subquery(area_version_of(area.id)))
        .annotate(stored=Subquery(current))
        .values_list("id", "area_version", "stored")[:1]
    )
    if found and found[0][2] is not None and (summary := _load(found[0][2])) is not None:
        summary.area = area  # the caller's own, as it loaded it
        return summary
    summary = engine.area_year_summary(area, year, through=through)
    if found:
        digest_id, version, _ = found[0]
        store([(digest_id, version, summary)], through=through)
    return summary


def release() -> str:
    """What the stored objects' classes depend on: this release's code and Django's version."""
    return f"{code_version()}-{django.get_version()}"[:40]


def _load(data) -> AreaYearSummary | None:
    """The stored summary, or None if it cannot be read back (a release named by hand with
    ``BCF_RELEASE`` and not renamed when its classes changed): then it is worked out again."""
    try:
        return pickle.loads(zlib.decompress(data))  # nosec B301  # written by store() below, never by a person
    except Exception:  # any failure to read a copy means: work the figures out
        log.warning("Stored figures could not be read back; working them out again", exc_info=True)
        return None


def store(rows, *, through: int = WHOLE_YEAR) -> None:
    """Keep each (digest id, area version read before the figures, summary): one statement, in digest
    order (two writers never deadlock on the rows), never replacing a row of a later version of the same
    release."""
    if not rows:
        return
    named = release()
    values = [
        (digest_id, through, version, named, zlib.compress(pickle.dumps(summary, pickle.HIGHEST_PROTOCOL), 1))
        for digest_id, version, summary in sorted(rows, key=lambda row: row[0])
    ]
    table = connection.ops.quote_name(StoredFigures._meta.db_table)
    sql = (
        f"INSERT INTO {table} (digest_id, through, area_version, release, data) "  # nosec B608  # quoted name
        f"VALUES {', '.join(['(%s, %s, %s, %s, %s)'] * len(values))} "
        "ON CONFLICT (digest_id, through) DO UPDATE SET area_version = excluded.area_version, "
        "release = excluded.release, data = excluded.data "
        f"WHERE {table}.area_version < excluded.area_version OR {table}.release <> excluded.release"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [value for row in values for value in row])


def stale(pairs, *, through: int = WHOLE_YEAR) -> list[tuple[int, int, int, int]]:
    """(digest id, area version, area id, year) of these (area id, year) pairs whose figures are not stored
    as current: the version as read now, before anyone works them out. Three queries."""
    pairs = set(pairs)
    if not pairs:
        return []
    versions = area_versions({area_id for area_id, _ in pairs})
    digests = [
        row
        for row in AreaYearDigest.objects.filter(area_id__in=versions, financial_year__in={year for _, year in pairs})
        .order_by()
        .values_list("id", "area_id", "financial_year")
        if (row[1], row[2]) in pairs
    ]
    current = set(
        StoredFigures.objects.filter(
            digest_id__in=[digest_id for digest_id, _, _ in digests], through=through, release=release()
        ).values_list("digest_id", "area_version")
    )
    return [
        (digest_id, versions[area_id], area_id, year)
        for digest_id, area_id, year in digests
        if (digest_id, versions[area_id]) not in current
    ]
