"""The list of an area's quarterly summaries, and where a signed-in person's summaries start."""

import datetime
from dataclasses import dataclass

from django.db.models import Max

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import areas_for, roles_in
from bcf_dashboard.core.models import Membership, QuarterReturn
from bcf_dashboard.quarterly import selectors
from bcf_dashboard.quarterly.models import QuarterSummarySnapshot


@dataclass
class QuarterRow:
    year: int
    quarter: int
    quarter_return: QuarterReturn | None
    versions: int
    approved_at: datetime.datetime | None

    @property
    def label(self) -> str:
        return periods.quarter(self.year, self.quarter).label

    @property
    def months(self) -> str:
        numbers = periods.quarter(self.year, self.quarter).month_numbers
        return (
            f"{periods.month(self.year, numbers[0]).label.split()[0]} to {periods.month(self.year, numbers[-1]).label}"
        )

    @property
    def state(self) -> str:
        return self.quarter_return.state if self.quarter_return else QuarterReturn.State.OPEN

    @property
    def state_label(self) -> str:
        return QuarterReturn.State(self.state).label

    @property
    def is_year_end(self) -> bool:
        return self.quarter == 4


@dataclass
class SummariesPage:
    area: object
    rows: list[QuarterRow]
    latest: object  # the latest approved summary (a snapshot without its document), or None
    hwb_member: bool

    @property
    def latest_label(self) -> str:
        return periods.quarter(self.latest.financial_year, self.latest.quarter).label if self.latest else ""

    @property
    def years(self) -> list[tuple[str, list[QuarterRow]]]:
        grouped: dict[int, list] = {}
        for row in self.rows:
            grouped.setdefault(row.year, []).append(row)
        return [(periods.year_label(year), rows) for year, rows in grouped.items()]


def summaries_page(user, area, *, years_with_data: list[int]) -> SummariesPage:
    """Every quarter of every year the area has figures or sign-off for, newest first. The caller checked
    access; HWB members get the latest approved summary first, as that is the one they read."""
    found = selectors.quarters_of(area, years_with_data=years_with_data)
    today = datetime.date.today()
    rows = []
    for year in found["years"]:
        for quarter in range(4, 0, -1):
            key = (year, quarter)
            started = periods.quarter(year, quarter).start <= today
            if not started and key not in found["returns"]:
                continue  # a quarter that has not begun has no summary yet
            versions, approved_at = found["frozen"].get(key, (0, None))
            rows.append(QuarterRow(year, quarter, found["returns"].get(key), versions, approved_at))
    hwb = Membership.Role.HWB_MEMBER.value in roles_in(user, area) and not user.is_staff
    return SummariesPage(area=area, rows=rows, latest=selectors.latest_snapshot(area), hwb_member=hwb)


@dataclass
class AreaSummaries:
    area: object
    latest: tuple | None  # (year, quarter) of its latest approved summary

    @property
    def latest_label(self) -> str:
        return periods.quarter(*self.latest).label if self.latest else ""


def areas_with_summaries(user) -> list[AreaSummaries]:
    """The areas ``user`` may see, each with its latest approved quarter, in two queries."""
    areas = list(areas_for(user).order_by("name"))
    latest: dict[int, tuple] = {}
    rows = (
        QuarterSummarySnapshot.objects.filter(area__in=[a.id for a in areas])
        .values("area_id", "financial_year", "quarter")
        .annotate(v=Max("version"))
    )
    for row in rows:
        key = (row["financial_year"], row["quarter"])
        if key > latest.get(row["area_id"], (0, 0)):
            latest[row["area_id"]] = key
    return [AreaSummaries(area=a, latest=latest.get(a.id)) for a in areas]
