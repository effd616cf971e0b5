"""Read queries for the quarterly summary: narrative, frozen versions, quarter states. Callers check access."""

from django.db import connections, router
from django.db.models import Count, Max

from bcf_dashboard.core.models import QuarterReturn, QuarterReturnEvent
from bcf_dashboard.quarterly.models import METRIC_PREFIX, SECTIONS, QuarterNarrative, QuarterSummarySnapshot


def who(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def narrative_rows(area, year: int, quarter: int) -> dict[str, QuarterNarrative]:
    """The quarter's narrative sections by section key ("challenges", "metric:NEA", ...)."""
    rows = QuarterNarrative.objects.filter(area=area, financial_year=year, quarter=quarter).select_related("updated_by")
    return {row.section: row for row in rows}


def narrative_document(rows: dict[str, QuarterNarrative]) -> dict:
    """The narrative as the summary document carries it: the three sections, a comment per metric, and who
    wrote last."""
    latest = max(rows.values(), key=lambda row: row.updated_at, default=None)
    return {
        **{key: rows[key].text if key in rows else "" for key in SECTIONS},
        "metrics": {
            key[len(METRIC_PREFIX) :]: row.text
            for key, row in sorted(rows.items())
            if key.startswith(METRIC_PREFIX) and row.text
        },
        "updated_by": who(latest.updated_by) if latest else None,
        "updated_at": latest.updated_at.isoformat() if latest else None,
    }


def quarter_return(area, year: int, quarter: int) -> QuarterReturn | None:
    return (
        QuarterReturn.objects.filter(area=area, financial_year=year, quarter=quarter)
        .select_related("submitted_by", "approved_by")
        .first()
    )


def last_reopening(found: QuarterReturn | None) -> QuarterReturnEvent | None:
    if found is None:
        return None
    return (
        QuarterReturnEvent.objects.filter(quarter_return=found, action=QuarterReturnEvent.Action.REOPEN)
        .select_related("user")
        .order_by("-at", "-id")
        .first()
    )


def versions(area, year: int, quarter: int) -> list[QuarterSummarySnapshot]:
    """The quarter's frozen versions, oldest first, without their (large) documents."""
    return list(
        QuarterSummarySnapshot.objects.filter(area=area, financial_year=year, quarter=quarter)
        .defer("document")
        .select_related("approved_by")
        .order_by("version")
    )


def snapshot(area, year: int, quarter: int, version: int) -> QuarterSummarySnapshot | None:
    return (
        QuarterSummarySnapshot.objects.filter(area=area, financial_year=year, quarter=quarter, version=version)
        .select_related("approved_by")
        .first()
    )


def quarters_of(area, *, years_with_data: list[int]) -> dict:
    """Every quarter the list of summaries shows: each year with figures, sign-off or a frozen summary.

    Returns ``{"years": [newest first], "returns": {(year, q): QuarterReturn}, "frozen": {(year, q):
    (versions, latest approved_at)}}``.
    """
    returns = {
        (r.financial_year, r.quarter): r
        for r in QuarterReturn.objects.filter(area=area).select_related("approved_by", "submitted_by")
    }
    frozen = {
        (row["financial_year"], row["quarter"]): (row["versions"], row["latest"])
        for row in QuarterSummarySnapshot.objects.filter(area=area)
        .values("financial_year", "quarter")
        .annotate(versions=Count("id"), latest=Max("approved_at"))
    }
    years = set(years_with_data) | {year for year, _ in returns} | {year for year, _ in frozen}
    return {"years": sorted(years, reverse=True), "returns": returns, "frozen": frozen}


def latest_snapshot(area) -> QuarterSummarySnapshot | None:
    """The area's most recently ended quarter with an approved summary (its newest version)."""
    return (
        QuarterSummarySnapshot.objects.filter(area=area)
        .defer("document")
        .select_related("approved_by")
        .order_by("-financial_year", "-quarter", "-version")
        .first()
    )


def quarter_stamp(area, year: int, quarter: int) -> tuple:
    """What the quarter's page shows besides the area's figures, in one query: its sign-off state and
    latest step, its latest frozen version, and how many narrative sections there are and when one was
    last written. Every sign-off step, approval (which freezes a version) and narrative save changes it,
    so a page cached under it and the area's data version (``pagecache.page_key``) is never stale.

    Plain SQL: it is asked on every view of a cached page, and the ORM took longer to write this
    query of five subqueries than the database took to answer it."""
    returns, events = QuarterReturn._meta.db_table, QuarterReturnEvent._meta.db_table
    frozen, narrative = QuarterSummarySnapshot._meta.db_table, QuarterNarrative._meta.db_table
    of_quarter = "area_id = %(area)s AND financial_year = %(year)s AND quarter = %(quarter)s"
    sql = (
        f"SELECT (SELECT state FROM {returns} WHERE {of_quarter}), "  # nosec B608  # the models' table names, bound values
        f"(SELECT MAX(id) FROM {events} WHERE quarter_return_id IN (SELECT id FROM {returns} WHERE {of_quarter})), "
        f"(SELECT MAX(id) FROM {frozen} WHERE {of_quarter}), "
        f"(SELECT COUNT(*) FROM {narrative} WHERE {of_quarter}), "
        f"(SELECT MAX(updated_at) FROM {narrative} WHERE {of_quarter})"
    )
    with connections[router.db_for_read(QuarterReturn)].cursor() as cursor:
        cursor.execute(sql, {"area": area.pk, "year": year, "quarter": quarter})
        return tuple(cursor.fetchone())
