"""An area-year's figures kept in the database, so the first view after a write reads them instead of
working them out (decision 18).

The engine assembles an area-year in a dozen queries and, for an area of 400 schemes, about 45 ms of
arithmetic; every page of the area-year (its dashboard, the summary JSON and API, the quarterly
summary, sign-off and the plan's checks) starts from that ``AreaYearSummary``. The page cache keeps
pages, but it starts empty after every write, on every machine with its own cache, and after a
deploy. ``area_year_summary`` here reads the summary as it was stored at the digest's version (one
query, a few milliseconds to unpickle 400 schemes) and otherwise asks the engine and stores what
it worked out.

Kept current without any invalidation to forget, as the headline is: a row counts only while its
``version`` equals the digest's version, which every write of figures moves in its own transaction,
and its ``release`` names the running code (``pagecache.code_version``), since a deploy can change
the arithmetic or the classes stored. Whoever stores names the version read *before* the figures,
so a write that commits meanwhile leaves the row stale, never wrong. The import service stores the
figures it works out for the headline inside its transaction (``services.refresh``); a write whose
headline is moved without the engine asks the worker to work them out after it commits
(``tasks.work_out_figures``).

Stored as a pickle: the summary holds model instances, ``Decimal`` and dataclasses, and only this
application writes the column (Django's database cache stores its values the same way).
"""

import pickle  # nosec B403  # only this application's own objects, written by it (see above)
import zlib

from django.db.models import Exists, OuterRef, Subquery

from bcf_dashboard.core.models import Area
from bcf_dashboard.digests.models import AreaYearDigest, StoredFigures
from bcf_dashboard.digests.pagecache import code_version
from bcf_dashboard.engine import summary as engine
from bcf_dashboard.engine.summary import AreaYearSummary

WHOLE_YEAR = 12


def area_year_summary(area: Area, year: int, *, through: int = WHOLE_YEAR) -> AreaYearSummary:
    """The engine's ``area_year_summary``, read from the stored figures when they are current.
    The caller has checked access.

    Writes: figures worked out here are stored for the next view (a year with no digest row has
    nothing in it to work out at any length, and is not stored)."""
    release = code_version()
    current = StoredFigures.objects.filter(
        digest=OuterRef("pk"), through=through, version=OuterRef("version"), release=release
    ).values("data")[:1]
    found = list(
        AreaYearDigest.objects.filter(area_id=area.id, financial_year=year)
        .order_by()
        .annotate(stored=Subquery(current))
        .values_list("id", "version", "stored")[:1]
    )
    if found and found[0][2] is not None:
        summary = pickle.loads(zlib.decompress(found[0][2]))  # nosec B301  # written by store() below, never by a person
        summary.area = area  # the caller's own, as it loaded it
        return summary
    summary = engine.area_year_summary(area, year, through=through)
    if found:
        digest_id, version, _ = found[0]
        store([(digest_id, version, summary)], through=through)
    return summary


def store(rows, *, through: int = WHOLE_YEAR) -> None:
    """Keep each (digest id, version it was read at, summary), replacing what was stored: one statement."""
    release = code_version()
    StoredFigures.objects.bulk_create(
        [
            StoredFigures(
                digest_id=digest_id,
                through=through,
                version=version,
                release=release,
                data=zlib.compress(pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL), 1),
            )
            for digest_id, version, summary in rows
        ],
        update_conflicts=True,
        unique_fields=["digest", "through"],
        update_fields=["version", "release", "data"],
    )


def stale(pairs, *, through: int = WHOLE_YEAR) -> list[tuple[int, int, int, int]]:
    """(digest id, version, area id, year) of these (area id, year) pairs whose figures are not stored as
    current: the version as read now, before anyone works them out."""
    pairs = set(pairs)
    if not pairs:
        return []
    current = StoredFigures.objects.filter(
        digest=OuterRef("pk"), through=through, version=OuterRef("version"), release=code_version()
    )
    rows = (
        AreaYearDigest.objects.filter(area_id__in={a for a, _ in pairs}, financial_year__in={y for _, y in pairs})
        .exclude(Exists(current))
        .order_by()
        .values_list("id", "version", "area_id", "financial_year")
    )
    return [row for row in rows if (row[2], row[3]) in pairs]
