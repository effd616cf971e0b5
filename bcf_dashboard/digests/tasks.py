"""The worker's part in keeping area-years' figures stored (``bcf_dashboard.digests.figures``).

A save through the import service stores its area-years' whole-year figures in its own transaction,
unless it corrected actuals already entered (their headlines move by the difference, without the
engine: ``services.changed``). As it commits it asks for this task, which works out what it left:
those whole years, then each quarter's figures (the quarterly summary reads the year to the quarter's
end), so the first view of any of them finds them stored. Safe to run twice or late: it works out only
what is not current when it starts. Below other work in the queue: a PDF or an upload someone is
waiting on goes first.
"""

from collections import defaultdict

from django_tasks import task

from bcf_dashboard.core.db_routers import reading_primary
from bcf_dashboard.core.models import Area
from bcf_dashboard.digests import figures
from bcf_dashboard.engine.summary import area_year_summaries

BATCH = 50  # areas worked out together: the engine's queries are per batch, not per area
THROUGH = (12, 9, 6, 3)  # the whole year first (the dashboards), then the latest quarter's end first


@task(priority=-10)
def work_out_figures(pairs: list[list[int]]) -> int:
    """Store the figures of these [area id, year] pairs, the whole year's and each quarter's, that are not
    current; how many it worked out."""
    done = 0
    with reading_primary():  # what the write that asked has just committed, not a replica behind it
        for through in THROUGH:
            by_year = defaultdict(list)
            for digest_id, version, area_id, year in figures.stale((tuple(pair) for pair in pairs), through=through):
                by_year[year].append((area_id, digest_id, version))
            for year, rows in sorted(by_year.items()):
                for start in range(0, len(rows), BATCH):
                    batch = rows[start : start + BATCH]
                    areas = Area.objects.filter(id__in=[area_id for area_id, _, _ in batch])
                    summaries = area_year_summaries(areas, year, through=through)
                    figures.store(
                        [
                            (digest_id, version, summaries[area_id])
                            for area_id, digest_id, version in batch
                            if area_id in summaries  # an area deleted since the write asked
                        ],
                        through=through,
                    )
                    done += len(batch)
    return done
