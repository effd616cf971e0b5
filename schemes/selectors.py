"""Read queries for schemes: the figures of an area-year's schemes, handed to ``spend`` for the arithmetic."""

import datetime
from collections import defaultdict

from django.db.models import Max, QuerySet, Subquery
from django.utils import timezone

from bcf_dashboard.core import periods
from bcf_dashboard.core.fields import plain_rows
from bcf_dashboard.core.models import Period
from funding.models import FundingSource
from schemes.models import Scheme, SchemeValue, SchemeYear
from schemes.spend import SchemeSpend, SpendSummary, spend_from_rows


def spend_summaries(area_ids, year: int, *, through: int = 12) -> dict[int, SpendSummary]:
    """Each area's schemes with a budget in the year, keyed by area id, in four queries for any number of areas.

    ``through`` (a month number) leaves out actuals for later months.
    """
    area_ids = list(area_ids)
    # The areas' schemes (every year's), in ref order, each with its funding source, then the year's budgets
    # of those schemes by their ids, from the budgets' unique index (scheme, year). Joined on the area in one
    # query, PostgreSQL read every area's budgets for the year once an area had a few hundred schemes.
    schemes = list(Scheme.objects.filter(area_id__in=area_ids).order_by("ref"))
    # Their funding sources read once each, not joined to every scheme: one object per source, shared by
    # its schemes, as the checks group by them (a join made a 400-scheme area's 400 copies, 2 ms).
    sources = FundingSource.objects.in_bulk({scheme.funding_source_id for scheme in schemes})
    for scheme in schemes:
        scheme.funding_source = sources[scheme.funding_source_id]
    if 0 < len(schemes) <= 5000:
        budgets = SchemeYear.objects.filter(scheme_id__in=[scheme.id for scheme in schemes], financial_year=year)
    else:  # none (the query still runs: a fixed number of queries), or every area at once, where a scan is right
        budgets = SchemeYear.objects.filter(scheme__area_id__in=area_ids, financial_year=year)
    of_scheme = {sy.scheme_id: sy for sy in budgets.order_by()}
    scheme_years = defaultdict(list)
    for scheme in schemes:
        sy = of_scheme.get(scheme.id)
        if sy is not None:
            sy.scheme = scheme
            scheme_years[scheme.area_id].append(sy)
    # By the year's schemes, named one by one up to a few thousand (an area, a region): each one's rows
    # are then read from the values' unique index (scheme, period, ...) for the year's months only, so
    # the cost follows the area's own data. PostgreSQL otherwise estimates a big area's share of the
    # table from the join and scans the whole table. Beyond that (every area at once) a scan is right.
    ids = [sy.scheme_id for found in scheme_years.values() for sy in found]
    if not ids:
        schemes_of_year = None
    elif len(ids) <= 5000:
        schemes_of_year = SchemeValue.objects.filter(scheme_id__in=ids)
    else:
        schemes_of_year = SchemeValue.objects.filter(scheme__area_id__in=area_ids)
    grid = _month_grid(schemes_of_year, year, through)
    return {area_id: spend_from_rows(year, scheme_years[area_id], grid) for area_id in area_ids}


def _month_grid(values: QuerySet | None, year: int, through: int) -> dict[tuple, list]:
    """(scheme id, measure, kind) -> the year's twelve months of ``values`` in integer hundredths, as
    stored (``spend_from_rows`` sums them exactly as integers), actuals only ``through``."""
    grid: dict[tuple, list] = {}
    if values is None:  # no schemes that year: nothing to read
        return grid
    # The bulk of the rows at national scale: fetched unsorted, since the grid needs no order.
    rows = plain_rows(
        values.filter(period__financial_year=year, period__kind=periods.MONTH, **_month_id_bounds(year))
        .order_by()
        .values_list("scheme_id", "measure", "kind", "period__number", "value")
    )
    for scheme_id, measure, kind, number, value in rows:
        if kind == "actual" and number > through:
            continue
        key = (scheme_id, measure, kind)
        months = grid.get(key)
        if months is None:
            months = grid[key] = [None] * 12
        months[number - 1] = value
    return grid


def _months_of(year: int):
    """The year's months (a subquery): with a scheme's id, the second column of the values' unique index."""
    return Period.objects.filter(financial_year=year, kind=periods.MONTH).values("id")


def _month_id_bounds(year: int) -> dict:
    """Filters bounding the period by the lowest and highest id of the year's months (two subqueries).

    They change no result (the join on the period still names the months) but let PostgreSQL read each
    scheme's year as one range of the unique index, from the index alone (decision 17): 1,300 pages
    for 400 schemes where a list of twelve periods visited 24,000, one descent per scheme and month."""
    months = Period.objects.filter(financial_year=year, kind=periods.MONTH).order_by()
    return {
        "period_id__gte": Subquery(months.order_by("id").values("id")[:1]),
        "period_id__lte": Subquery(months.order_by("-id").values("id")[:1]),
    }


def scheme_spend(area, scheme: Scheme, year: int) -> tuple[SchemeSpend | None, periods.PeriodRef | None]:
    """One scheme's figures exactly as the area-year's ``SpendSummary`` has them, and the summary's
    ``as_of``, without working out the area's other schemes: its months without an actual up to the
    area's last month with actual spend (one aggregate) are missing. None without a budget that year."""
    scheme_years = list(SchemeYear.objects.filter(scheme=scheme, financial_year=year))
    # The area's schemes with a budget that year, and that year's months only: the unique index
    # (scheme, period, measure, kind) finds exactly those rows, not the schemes' other years.
    last = SchemeValue.objects.filter(
        scheme_id__in=SchemeYear.objects.filter(scheme__area_id=area.id, financial_year=year).values("scheme_id"),
        period_id__in=_months_of(year),
        measure=SchemeValue.Measure.SPEND,
        kind="actual",
    ).aggregate(last=Max("period__number"))["last"]
    if not scheme_years:
        return None, periods.month(year, last) if last else None
    scheme_years[0].scheme = scheme
    summary = spend_from_rows(
        year, scheme_years, _month_grid(SchemeValue.objects.filter(scheme=scheme), year, 12), last=last
    )
    return summary.schemes[0], summary.as_of


def last_calendar_month() -> periods.PeriodRef:
    return periods.month_of(timezone.localdate().replace(day=1) - datetime.timedelta(days=1))


def month_to_enter(area) -> periods.PeriodRef:
    """Where a finance officer's work starts: the month after the area's latest actual spend, but never
    later than last month (nothing to enter yet)."""
    latest = last_calendar_month()
    start = SchemeValue.objects.filter(
        scheme__area=area, kind=SchemeValue.Kind.ACTUAL, period__kind=periods.MONTH
    ).aggregate(last=Max("period__start"))["last"]
    if start is None:
        return latest
    following = periods.month_of((start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1))
    return min(following, latest, key=lambda ref: ref.start)
