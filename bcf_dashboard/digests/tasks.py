"""The worker's part in keeping area-years' figures stored (``bcf_dashboard.digests.figures``).

A monthly return that corrects actuals already entered moves each area's headline by the
difference, without the engine (``services.changed``), so its transaction stores no figures; it asks
for this task as it commits, and the first view after it finds them stored. Safe to run twice or
late: it works out only the area-years whose stored figures are not current when it starts.
"""

from collections import defaultdict

from django_tasks import task

from bcf_dashboard.core.db_routers import reading_primary
from bcf_dashboard.core.models import Area
from bcf_dashboard.digests import figures
from bcf_dashboard.engine.summary import area_year_summaries

BATCH = 50  # areas worked out together: the engine's queries are per batch, not per area


@task()
def work_out_figures(pairs: list[list[int]]) -> int:
    """Store the whole-year figures of these [area id, year] pairs; how many it worked out."""
    by_year = defaultdict(list)
    with reading_primary():  # what the write that asked has just committed, not a replica behind it
        for digest_id, version, area_id, year in figures.stale(tuple(pair) for pair in pairs):
            by_year[year].append((area_id, digest_id, version))
        done = 0
        for year, rows in sorted(by_year.items()):
            for start in range(0, len(rows), BATCH):
                batch = rows[start : start + BATCH]
                areas = Area.objects.filter(id__in=[area_id for area_id, _, _ in batch])
                summaries = area_year_summaries(areas, year)
                figures.store([(digest_id, version, summaries[area_id]) for area_id, digest_id, version in batch])
                done += len(batch)
    return done
