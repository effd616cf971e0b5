"""Reads of the digest table: which years have data, each area-year's headline, data versions.

Pages listing many areas read one small row per area here (the unique key (area,
financial_year) and the index on financial_year serve them) instead of the monthly
values; a row that is missing or stale is worked out with the engine and stored.
"""

import hashlib

from django.db.models import Count, Sum

from .headlines import Headline
from .models import AreaYearDigest
from . import services


def _ids(areas):
    return areas.values("id") if hasattr(areas, "values") else [a.id for a in areas]


def _flags(areas, **filters) -> list[tuple[int, bool, bool]]:
    """(year, has data, has actuals) of each of these areas' area-years.

    Rows a write of figures left unknown (null) are worked out again first; a change of reference
    data (which moves every version) does not touch these, so it never sends this through them all.
    """
    rows = list(AreaYearDigest.objects.filter(area__in=_ids(areas), **filters).order_by().values_list(
        "area_id", "financial_year", "version", "has_data", "has_actuals"))
    unknown = {(area_id, year): version for area_id, year, version, has_data, has_actuals in rows
               if has_data is None or has_actuals is None}
    worked_out = services.refresh(unknown, expected=unknown) if unknown else {}
    found = []
    for area_id, year, _, has_data, has_actuals in rows:
        if (area_id, year) in worked_out:
            _, has_data, has_actuals = worked_out[(area_id, year)]
        found.append((year, has_data, has_actuals))
    return found


def years_with_data(areas) -> list[int]:
    """Financial years in which any of these areas has schemes, metric values or contributions, newest first."""
    return sorted({year for year, has_data, _ in _flags(areas) if has_data}, reverse=True)


def latest_year_with_actuals(areas, before: int) -> int | None:
    """The latest year before ``before`` in which any of these areas has an actual (metric or spend)."""
    return max((year for year, _, has_actuals in _flags(areas, financial_year__lt=before) if has_actuals),
               default=None)


def headlines(areas, year: int) -> dict[int, Headline]:
    """Each area's headline for the year, keyed by area id: one query when every row is current."""
    areas = list(areas)
    rows = {d.area_id: d for d in AreaYearDigest.objects.filter(area_id__in=[a.id for a in areas],
                                                                financial_year=year)}
    found = {a.id: (rows[a.id].headline, rows[a.id].has_data) for a in areas if a.id in rows and rows[a.id].current}
    stale = [a.id for a in areas if a.id not in found]
    if stale:
        # Versions were read above, before the figures: a write committed in between leaves the row stale.
        worked_out = services.refresh([(area_id, year) for area_id in stale],
                                      expected={(area_id, year): rows[area_id].version if area_id in rows else 0
                                                for area_id in stale})
        found.update({area_id: (headline, has_data) for (area_id, _), (headline, has_data, _) in worked_out.items()})
    return {a.id: Headline.read(found[a.id][0], has_data=bool(found[a.id][1])) for a in areas}


def area_version(area) -> str:
    """A name for the state of all of an area's figures, every year: it changes with any write to them."""
    found = AreaYearDigest.objects.filter(area=area).aggregate(total=Sum("version"), years=Count("id"))
    return f"{found['years']}.{found['total'] or 0}"


def listing_version(areas, year: int | None) -> str:
    """A name for the state of a page listing these areas in ``year``: which areas (as they are named)
    and each one's data version. One query; any write to any of them, or a renamed area, changes it."""
    areas = list(areas)
    versions = dict(AreaYearDigest.objects.filter(area_id__in=[a.id for a in areas], financial_year=year)
                    .values_list("area_id", "version")) if year is not None else {}
    listed = [(a.id, a.code, a.name, a.region, versions.get(a.id, 0)) for a in areas]
    return hashlib.sha256(repr(listed).encode()).hexdigest()
