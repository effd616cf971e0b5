"""Writes of the digest table: version bumps and headline refreshes, inside the caller's transaction.

Every write path calls ``bump`` (or ``changed``, which bumps and refreshes) in the same
transaction as its figures: the import service and so the entry form, sign-off, and the
admin through signals (``bcf_dashboard.digests.signals``). A headline left stale (the signals only bump)
is worked out again by the next page that needs it (``selectors.headlines``).
"""

import functools
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef, Q

from bcf_dashboard.core.bulk import collector_paused
from bcf_dashboard.core.models import Area, Population
from bcf_dashboard.digests import figures
from bcf_dashboard.digests.models import AreaYearDigest
from bcf_dashboard.digests.selectors import area_versions
from bcf_dashboard.engine.headlines import Headline, headline_of, moved_by_actuals
from bcf_dashboard.engine.illustrative import MARK as ILLUSTRATIVE
from bcf_dashboard.engine.summary import area_year_summaries
from metrics.models import MetricValue
from metrics.selectors import populations_by_area
from schemes.models import SchemeValue, SchemeYear

TABLE = AreaYearDigest._meta.db_table


def _q(name):
    return connection.ops.quote_name(name)


def bump(pairs, *, create: bool = True) -> None:
    """Raise the version of each (area id, financial year), creating rows as needed. One statement.

    ``create`` False only raises rows that exist (a change that matters to a year only if it has figures).
    """
    pairs = sorted(set(pairs))  # a fixed order, so two writers never deadlock on the rows
    if not pairs:
        return
    if not create:
        for area_id, year in pairs:
            AreaYearDigest.objects.filter(area_id=area_id, financial_year=year).update(version=_plus_one())
        return
    values = ", ".join(["(%s, %s, 1, NULL, NULL)"] * len(pairs))
    params = [p for pair in pairs for p in pair]
    table, columns = _q(TABLE), "area_id, financial_year, version, has_data, has_actuals"
    # The write may be the year's first figure or its last: whether it has any is worked out again.
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {values} "  # nosec B608  # quoted table name, %s placeholders
        f"ON CONFLICT (area_id, financial_year) DO UPDATE SET version = {table}.version + 1, "
        "has_data = NULL, has_actuals = NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def ensure(pairs) -> None:
    """A row for each (area id, financial year) that has none, its flags to be worked out; rows that
    exist are left as they are (a loader run again over the same figures writes nothing)."""
    AreaYearDigest.objects.bulk_create(
        [AreaYearDigest(area_id=area_id, financial_year=year) for area_id, year in sorted(set(pairs))],
        ignore_conflicts=True,
    )


def bump_areas(area_ids) -> None:
    """Every year of these areas (a change that is not tied to one year, e.g. a scheme's name)."""
    AreaYearDigest.objects.filter(area_id__in=list(area_ids)).order_by().update(version=_plus_one())


def bump_everything() -> None:
    """Every area-year: national reference data (metric definitions, uplift rates, sources) changed."""
    AreaYearDigest.objects.order_by().update(version=_plus_one())


def _plus_one():
    return F("version") + 1


class ActualChange(NamedTuple):
    """A scheme's monthly actual that a write changed, as ``headlines.moved_by_actuals`` needs it."""

    scheme_id: int
    measure: str  # "spend" or "activity"
    month: int  # 1-12
    old_value: Decimal | None
    new_value: Decimal


def versions(area_ids, years) -> dict[tuple[int, int], int]:
    """(area id, year) -> its data version now: a write notes them under its area lock (``changed``)."""
    return {
        (area_id, year): version
        for area_id, year, version in AreaYearDigest.objects.filter(
            area_id__in=list(area_ids), financial_year__in=list(years)
        )
        .order_by()
        .values_list("area_id", "financial_year", "version")
    }


def changed(pairs, *, actuals: dict | None = None, seen: dict | None = None) -> None:
    """The figures of these area-years changed: bump their versions and bring their headlines up to date now.

    ``actuals``: (area id, year) -> ``ActualChange`` list, for the area-years whose every change was a
    scheme's monthly actual (the usual monthly return). A current headline of those is moved by the
    differences instead of worked out again by the engine, which for an area of 100 schemes is most of
    a one-figure save's time; the others are worked out by the engine. ``seen``: ``versions`` as the
    writer noted them before reading the old values: an area-year changed since (an admin save takes no
    area lock) goes to the engine, since its old values may not be the ones replaced.
    """
    moved = _move(actuals, seen or {}) if actuals else set()
    rest = set(pairs) - moved
    bump(rest)
    refresh(rest)
    # The whole year's figures of `rest` are stored now (refresh); the worker works out the others: the
    # whole year of those moved without the engine, and each quarter's, as this transaction commits.
    ask_for_figures(pairs)


def ask_for_figures(pairs) -> None:
    """Ask the worker, once the caller's transaction commits, for these area-years' figures that are not
    stored as current (``digests.figures``): for a write that moves a version without working them out
    (a sign-off step, say), so the next view still finds them."""
    transaction.on_commit(functools.partial(_enqueue_figures, sorted(set(pairs))))


def _enqueue_figures(pairs) -> None:
    """One task per year: a national collation's ten years go to as many workers as there are."""
    from bcf_dashboard.digests.tasks import work_out_figures  # the task module imports this one

    by_year = defaultdict(list)
    for area_id, year in pairs:
        by_year[year].append([area_id, year])
    for year in sorted(by_year, reverse=True):  # the latest year, the one people are looking at, first
        work_out_figures.enqueue(by_year[year])


def _move(actuals: dict, seen: dict) -> set:
    """Bump and move the current headlines of these area-years; the (area id, year) pairs it did."""
    years = {year for _, year in actuals}
    # Locked: an admin save's bump (signals, which take no area lock) waits for this transaction.
    rows = [
        row
        for row in AreaYearDigest.objects.select_for_update()
        .filter(area_id__in={area_id for area_id, _ in actuals}, financial_year__in=years)
        .order_by("area_id", "financial_year")
        if (row.area_id, row.financial_year) in actuals
        and row.version == seen.get((row.area_id, row.financial_year))
        and row.current
        and row.has_data
        and row.has_actuals
    ]
    budgets = _budget_years({c.scheme_id for row in rows for c in actuals[(row.area_id, row.financial_year)]}, years)
    # Once per year, not per area-year: a national file moves 1,500 headlines over 85,000 budget years.
    overridden_in = defaultdict(set)
    for (scheme_id, year), overridden in budgets.items():
        if overridden:
            overridden_in[year].add(scheme_id)
    done = set()
    for row in rows:
        year, changes = row.financial_year, actuals[(row.area_id, row.financial_year)]
        if any((c.scheme_id, year) not in budgets for c in changes):
            continue  # a budget year removed since the rows were checked: the engine leaves that scheme out
        headline = moved_by_actuals(row.headline, changes, overridden=overridden_in[year])
        if headline is None:
            continue
        # has_data and has_actuals stay as they are: a year with actual spend keeps both.
        AreaYearDigest.objects.filter(id=row.id).update(
            version=_plus_one(), headline=headline, headline_version=_plus_one()
        )
        done.add((row.area_id, year))
    return done


def _budget_years(scheme_ids, years) -> dict[tuple[int, int], bool]:
    """(scheme id, year) -> whether its forecast is overridden, for each year these schemes have a budget."""
    if not scheme_ids:
        return {}
    return {
        (scheme_id, year): override is not None
        for scheme_id, year, override in SchemeYear.objects.filter(scheme_id__in=scheme_ids, financial_year__in=years)
        .order_by()
        .values_list("scheme_id", "financial_year", "forecast_override")
    }


@collector_paused()
def refresh(pairs, *, expected: dict | None = None) -> dict:
    """Work out the headlines of these (area id, year) pairs with the engine and store them.

    Inside a write transaction (``expected`` None) the rows are this transaction's own and are
    stored as they are. A page repairing stale rows passes ``expected``: (area id, year) ->
    the version it read before reading the figures, and a headline is stored only if the
    version is still that one (a writer that committed meanwhile makes it stale again).
    Returns (area id, year) -> (headline, has_data, has_actuals) as worked out, stored or not.
    """
    found = {}
    by_year = defaultdict(set)
    for area_id, year in set(pairs):
        by_year[year].add(area_id)
    for year, area_ids in by_year.items():
        digests, area_version = {}, {}
        if expected is None:
            rows = AreaYearDigest.objects.filter(area_id__in=area_ids, financial_year=year).values_list(
                "area_id", "id", "version"
            )
            digests = {area_id: (digest_id, version) for area_id, digest_id, version in rows}
            versions = {area_id: version for area_id, (_, version) in digests.items()}
            area_version = area_versions(digests)
        else:
            versions = {area_id: expected[(area_id, year)] for area_id in area_ids}
        areas = list(Area.objects.filter(id__in=area_ids))
        worked_out, summaries = _work_out(areas, year)
        _store(year, versions, worked_out, conditional=expected is not None)
        # A write's own figures, as its transaction leaves the area, for the first view after it
        # (digests.figures); a later write in the same transaction leaves them stale, never wrong.
        figures.store([(digests[area_id][0], area_version[area_id], summaries[area_id]) for area_id in digests])
        found.update({(area_id, year): value for area_id, value in worked_out.items()})
    return found


def _work_out(areas, year) -> tuple[dict[int, tuple], dict]:
    """(headline, has_data, has_actuals) per area id, in a fixed number of queries, and the summaries
    they come from.

    has_data and has_actuals follow the value tables exactly (a metric value outside the
    metrics in force, an activity actual): schemes and contributions are the summary's own.
    """
    ids = [a.id for a in areas]
    populations = populations_by_area(ids, year)
    summaries = area_year_summaries(areas, year, populations=populations)
    metric_kinds = set(
        MetricValue.objects.filter(area_id__in=ids, period__financial_year=year)
        .order_by()
        .values_list("area_id", "kind")
        .distinct()
    )
    # EXISTS stops at each area's first actual; a DISTINCT read every actual of the year.
    spend_actuals = set(
        Area.objects.filter(id__in=ids)
        .filter(
            Exists(
                SchemeValue.objects.filter(scheme__area_id=OuterRef("id"), period__financial_year=year, kind="actual")
            )
        )
        .values_list("id", flat=True)
    )
    illustrative = _illustrative(ids, year)
    found = {}
    for a in areas:
        summary = summaries[a.id]
        kinds = {kind for area_id, kind in metric_kinds if area_id == a.id}
        has_data = bool(kinds or summary.spend.schemes or summary.funding.contributions)
        found[a.id] = (
            headline_of(summary, populations=populations[a.id], illustrative=a.id in illustrative),
            has_data,
            "actual" in kinds or a.id in spend_actuals,
        )
    return found, summaries


def _illustrative(area_ids, year) -> set[int]:
    """The areas whose year holds a figure made up for the demo (a note starting "Illustrative:") or
    divides by a made-up population, so listings can say so: two EXISTS queries for all of them."""
    ours = Q(
        Exists(
            MetricValue.objects.filter(
                area_id=OuterRef("id"), period__financial_year=year, note__startswith=ILLUSTRATIVE
            )
        )
    )
    ours |= Q(
        Exists(
            SchemeValue.objects.filter(
                scheme__area_id=OuterRef("id"), period__financial_year=year, note__startswith=ILLUSTRATIVE
            )
        )
    )
    found = set(Area.objects.filter(id__in=area_ids).filter(ours).values_list("id", flat=True))
    found |= set(
        Population.objects.filter(area_id__in=area_ids, year__lte=year, source__startswith=ILLUSTRATIVE).values_list(
            "area_id", flat=True
        )
    )
    return found


def _store(year, versions, worked_out, *, conditional) -> None:
    from django.db.models import JSONField

    encode = JSONField().get_db_prep_value
    rows = [
        (
            area_id,
            year,
            versions.get(area_id, 0),
            encode(headline, connection),
            versions.get(area_id, 0),
            has_data,
            has_actuals,
        )
        for area_id, (headline, has_data, has_actuals) in sorted(worked_out.items())
    ]
    if not rows:
        return
    values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
    table = _q(TABLE)
    # A row a page inserts has version 0: any writer's bump (to 1 or more) outdates it.
    where = f" WHERE {table}.version = excluded.headline_version" if conditional else ""
    columns = "area_id, financial_year, version, headline, headline_version, has_data, has_actuals"
    sql = (
        f"INSERT INTO {table} ({columns}) VALUES {values} "  # nosec B608  # quoted table name, %s placeholders
        "ON CONFLICT (area_id, financial_year) DO UPDATE SET "
        "headline = excluded.headline, headline_version = excluded.headline_version, "
        f"has_data = excluded.has_data, has_actuals = excluded.has_actuals{where}"
    )
    with connection.cursor() as cursor:  # one statement: atomic on its own, no savepoint needed
        cursor.execute(sql, [value for row in rows for value in row])


def _ids(areas):
    return areas.values("id") if hasattr(areas, "values") else [a.id for a in areas]


def up_to_date_flags(areas, **filters) -> list[tuple[int, int, bool, bool]]:
    """(area id, year, has data, has actuals) of each of these areas' area-years, in one query when all are known.

    Writes: rows a write of figures left unknown (null) are worked out with the engine and stored
    first. A change of reference data (which moves every version) does not touch these, so it never
    sends this through them all.
    """
    rows = list(
        AreaYearDigest.objects.filter(area__in=_ids(areas), **filters)
        .order_by()
        .values_list("area_id", "financial_year", "version", "has_data", "has_actuals")
    )
    unknown = {
        (area_id, year): version
        for area_id, year, version, has_data, has_actuals in rows
        if has_data is None or has_actuals is None
    }
    worked_out = refresh(unknown, expected=unknown) if unknown else {}
    found = []
    for area_id, year, _, has_data, has_actuals in rows:
        if (area_id, year) in worked_out:
            _, has_data, has_actuals = worked_out[(area_id, year)]
        found.append((area_id, year, has_data, has_actuals))
    return found


def up_to_date_headlines(areas, year: int) -> dict[int, Headline]:
    """Each area's headline for the year, keyed by area id: one query when every row is current.

    Writes: a headline missing or not current (a bump by the admin or a loader) is worked out with
    the engine and stored, unless a writer moved the version meanwhile.
    """
    areas = list(areas)
    rows = {d.area_id: d for d in AreaYearDigest.objects.filter(area_id__in=[a.id for a in areas], financial_year=year)}
    found = {a.id: (rows[a.id].headline, rows[a.id].has_data) for a in areas if a.id in rows and rows[a.id].current}
    stale = [a.id for a in areas if a.id not in found]
    if stale:
        # Versions were read above, before the figures: a write committed in between leaves the row stale.
        worked_out = refresh(
            [(area_id, year) for area_id in stale],
            expected={(area_id, year): rows[area_id].version if area_id in rows else 0 for area_id in stale},
        )
        found.update({area_id: (headline, has_data) for (area_id, _), (headline, has_data, _) in worked_out.items()})
    return {a.id: Headline.read(found[a.id][0], has_data=bool(found[a.id][1])) for a in areas}
