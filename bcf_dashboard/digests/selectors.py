"""Reads of the digest table: which years have data, data versions. Nothing here writes.

Pages listing many areas read one small row per area-year (the unique key (area,
financial_year) and the index on financial_year serve them) instead of the monthly values.
The rows a write left stale are brought up to date by an explicit step a view takes,
``services.up_to_date_flags`` and ``services.up_to_date_headlines``.
"""

import hashlib

from django.db.models import Count, Sum

from bcf_dashboard.digests.models import AreaYearDigest


def years_with_data(flags) -> list[int]:
    """Financial years in which any of the areas has schemes, metric values or contributions, newest first.

    ``flags``: ``services.up_to_date_flags`` of the areas."""
    return sorted({year for _, year, has_data, _ in flags if has_data}, reverse=True)


def latest_year_with_actuals(flags, before: int, *, area_ids=None) -> int | None:
    """The latest year before ``before`` in which any of the areas (or of ``area_ids``) has an actual."""
    return max(
        (
            year
            for area_id, year, _, has_actuals in flags
            if has_actuals and year < before and (area_ids is None or area_id in area_ids)
        ),
        default=None,
    )


def area_version(area) -> str:
    """A name for the state of all of an area's figures, every year: it changes with any write to them."""
    found = AreaYearDigest.objects.filter(area=area).aggregate(total=Sum("version"), years=Count("id"))
    return f"{found['years']}.{found['total'] or 0}"


def area_versions(area_ids) -> dict[int, int]:
    """Each area's data version: the sum of its years' versions, which every write of any of its figures
    raises (a version only rises, and a new year starts at 1). One query."""
    found = dict(
        AreaYearDigest.objects.filter(area_id__in=list(area_ids))
        .order_by()
        .values("area_id")
        .annotate(total=Sum("version"))
        .values_list("area_id", "total")
    )
    return {area_id: found.get(area_id, 0) for area_id in area_ids}


def area_version_of(area_id):
    """``area_versions`` of one area as a subquery, for a query that compares with it."""
    return (
        AreaYearDigest.objects.filter(area_id=area_id)
        .order_by()
        .values("area_id")
        .annotate(total=Sum("version"))
        .values("total")
    )


def listing_version(areas, year: int | None) -> str:
    """A name for the state of a page listing these areas in ``year``: which areas (as they are named)
    and each one's data version. One query; any write to any of them, or a renamed area, changes it."""
    areas = list(areas)
    versions = (
        dict(
            AreaYearDigest.objects.filter(area_id__in=[a.id for a in areas], financial_year=year).values_list(
                "area_id", "version"
            )
        )
        if year is not None
        else {}
    )
    listed = [(a.id, a.code, a.name, a.region, versions.get(a.id, 0)) for a in areas]
    return hashlib.sha256(repr(listed).encode()).hexdigest()
