"""Shape the engine's summaries for the overview page (the comparison is in comparison.py).

Nothing here recomputes the engine's arithmetic: headlines read the engine's figures as
the digest table keeps them (``bcf_dashboard.digests.headlines``: one small row per area instead of
every monthly value); the only new figures are the totals across the listed areas of the
engine's per-area money and the count of areas by overall status.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import APPROVE, areas_for
from bcf_dashboard.core.limits import LAST_YEAR
from bcf_dashboard.core.models import Area, QuarterReturn
from bcf_dashboard.core.statuses import AT_RISK, NO_DATA, NOT_ON_TRACK, ON_TRACK, STATUS_LABEL
from bcf_dashboard.core.tasks import Task
from bcf_dashboard.digests import selectors as digests
from bcf_dashboard.engine.headlines import Headline

# Worst first: an area's overall status is its worst headline metric with data.
STATUS_RANK = {NOT_ON_TRACK: 3, AT_RISK: 2, ON_TRACK: 1, NO_DATA: 0}
STATUS_CHOICES = [(s, STATUS_LABEL[s]) for s in (NOT_ON_TRACK, AT_RISK, ON_TRACK, NO_DATA)]


@dataclass
class AreaHeadline:
    """One row of the overview: an area's year at a glance."""

    area: Area
    summary: Headline

    @cached_property
    def metrics(self):
        return self.summary.headline_metrics()

    @cached_property
    def status(self) -> str:
        found = [m.status for m in self.metrics if m.status != NO_DATA]
        return max(found, key=STATUS_RANK.__getitem__, default=NO_DATA)

    @property
    def status_rank(self) -> int:
        return STATUS_RANK[self.status]

    @cached_property
    def warnings(self) -> list:
        """The early warning: headline metrics whose projected year-end misses the plan, earliest first."""
        found = [m for m in self.metrics if m.heading_off_plan]
        return sorted(found, key=lambda m: (m.first_missed.number if m.first_missed else 13, m.code))

    @property
    def has_projections(self) -> bool:
        return any(m.projection_status for m in self.metrics)

    @property
    def warning_rank(self) -> int:
        """Sorts areas by how many metrics are heading off plan (worst status breaking ties)."""
        return 10 * len(self.warnings) + max((STATUS_RANK[m.projection_status] for m in self.warnings), default=0)

    @property
    def spend(self):
        return self.summary.spend

    @property
    def has_schemes(self) -> bool:
        return bool(self.summary.spend.schemes)

    @property
    def failing_checks(self) -> int:
        return self.summary.failing_checks

    @property
    def checks(self) -> int:
        return self.summary.checks

    @property
    def has_risk_share(self) -> bool:
        return self.summary.has_risk_share

    @property
    def uncovered_cost(self):
        return self.summary.uncovered_cost

    @property
    def contingency_remaining(self):
        return self.summary.contingency_remaining

    @property
    def missing_returns(self) -> int:
        """Scheme months and metric months missing to the area's last month with spend (completeness)."""
        return self.summary.missing_returns


@dataclass
class Overview:
    year: int | None
    years: list[int]
    regions: list[str]
    headlines: list[AreaHeadline]  # after the filters
    areas: list[Area]  # every area the user may see, before them
    totals: dict = field(default_factory=dict)
    earlier_actuals_year: int | None = None  # set when the year shown has no actuals yet

    @property
    def illustrative(self) -> list[str]:
        """Names of the listed areas whose figures or populations include ones made up for the demo."""
        return [h.area.name for h in self.headlines if h.summary.illustrative]

    @property
    def year_label(self):
        return periods.year_label(self.year) if self.year else None

    @property
    def area_count(self) -> int:
        return len(self.areas)


@dataclass
class OverviewFrame:
    """What the overview lists, before any figure: cheap, and all its cache key needs (views.home)."""

    year: int | None
    years: list[int]
    regions: list[str]
    areas: list[Area]  # every area the user may see
    chosen: list[Area]  # after the region filter
    flags: list = field(default_factory=list)  # (year, has data, has actuals) of every area-year listed


def visible_areas(queryset) -> list[Area]:
    """Areas in name order with their pool host, for listing."""
    return list(queryset.select_related("pool_host").order_by("name"))


def overview_frame(user, *, flags, year: int | None = None, region: str = "") -> OverviewFrame:
    """``flags``: ``digests.services.up_to_date_flags`` of the areas the user may see (``areas_for``)."""
    areas = visible_areas(areas_for(user))
    years = digests.years_with_data(flags)
    regions = sorted({a.region for a in areas if a.region})
    chosen = [a for a in areas if not region or a.region == region]
    if year not in years:
        # Unless asked, the latest year with actuals in the chosen areas: a year of plans alone, ahead of
        # its actuals, is shown only when chosen (and says so), or when no year has actuals yet.
        with_actuals = digests.latest_year_with_actuals(flags, LAST_YEAR + 1, area_ids={a.id for a in chosen})
        year = with_actuals or (years[0] if years else None)
    return OverviewFrame(year=year, years=years, regions=regions, areas=areas, chosen=chosen, flags=flags)


def build_overview(*, frame: OverviewFrame, headlines: dict, status: str = "") -> Overview:
    """Every area of the frame with its headline for the frame's year (the latest year with data).

    ``headlines``: ``digests.services.up_to_date_headlines`` of the frame's chosen areas and year.
    No query of its own, however many areas.
    """
    year, chosen = frame.year, frame.chosen
    rows = [AreaHeadline(area=a, summary=headlines[a.id]) for a in chosen] if year is not None else []
    earlier = None
    if rows and not any(h.summary.as_of for h in rows):
        # A new year's plans arrive before its actuals: point to the last year that has some.
        earlier = digests.latest_year_with_actuals(frame.flags, year, area_ids={a.id for a in chosen})
    if status:
        rows = [h for h in rows if h.status == status]
    return Overview(
        year=year,
        years=frame.years,
        regions=frame.regions,
        headlines=rows,
        areas=frame.areas,
        totals=_totals(rows),
        earlier_actuals_year=earlier,
    )


def _totals(headlines) -> dict:
    """Sums across the listed areas of the engine's own totals (money only; metrics do not add up)."""
    zero = Decimal("0.00")
    with_data = [h for h in headlines if h.has_schemes]
    return {
        "budget": sum((h.spend.budget for h in with_data), zero),
        "forecast_outturn": sum((h.spend.forecast_outturn for h in with_data), zero),
        "forecast_variance": sum((h.spend.forecast_variance for h in with_data), zero),
        "failing_checks": sum(h.failing_checks for h in headlines),
        "areas_missing_returns": sum(1 for h in headlines if h.missing_returns),
        "by_status": {s: sum(1 for h in headlines if h.status == s) for s, _ in STATUS_CHOICES},
        "heading_off_plan": sum(1 for h in headlines if h.warnings),
    }


def awaiting_approval(user) -> list[QuarterReturn]:
    """Quarters submitted in the user's areas that wait for their approval (not ones they submitted: someone
    else approves those), oldest first. Empty for anyone who does not approve."""
    return list(
        QuarterReturn.objects.filter(area__in=areas_for(user, action=APPROVE), state=QuarterReturn.State.SUBMITTED)
        .exclude(submitted_by=user)
        .select_related("area", "submitted_by")
        .order_by("financial_year", "quarter", "area__name")
    )


@dataclass
class Awaiting:
    """A quarter awaiting the person's approval, with the due date its task gives, if the cycle set one."""

    quarter_return: QuarterReturn
    due: datetime.date | None = None
    overdue: bool = False


def approvals_and_tasks(user, tasks: list[Task]) -> tuple[list[Awaiting], list[Task]]:
    """The home page lists each quarter awaiting approval once: under "Awaiting your approval", with its
    task's due date, and the rest of the person's tasks apart from those."""
    awaiting = [Awaiting(q) for q in awaiting_approval(user)]
    by_quarter = {
        ("approve", a.quarter_return.area_id, a.quarter_return.financial_year, a.quarter_return.quarter): a
        for a in awaiting
    }
    rest = []
    for task in tasks:
        found = by_quarter.get(task.about)
        if found is None:
            rest.append(task)
        else:
            found.due, found.overdue = task.due, task.overdue
    return awaiting, rest
