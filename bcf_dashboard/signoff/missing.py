"""The returns missing for a quarter's months, as its sign-off lists them (the engine's completeness).

A quarter is over when it is submitted, so each of its months is expected of every active scheme with
a plan for it, and of each metric whose figure for it is due by then (its lag after the month).
"""

from dataclasses import dataclass

from bcf_dashboard.core import periods
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.engine.summary import AreaYearSummary, completeness_of
from schemes.selectors import last_calendar_month


@dataclass(frozen=True)
class MissingReturn:
    measure: str  # "spend:A3", "NEA"
    label: str  # "A3 Reablement service", "Emergency admissions"
    months: tuple  # PeriodRefs

    @property
    def months_text(self) -> str:
        return ", ".join(p.label for p in self.months)

    def __str__(self) -> str:
        return f"{self.label} ({self.months_text})"


def quarter_missing(summary: AreaYearSummary, quarter: int) -> list[MissingReturn]:
    """What is missing for the quarter's months, read as at its last month or the area's later one.
    Months that have not ended yet (no actual can be entered for them) are not expected."""
    months = periods.quarter(summary.year, quarter).month_numbers
    ended = last_calendar_month()
    if ended.financial_year > summary.year:
        through = months[-1]
    elif ended.financial_year == summary.year:
        through = min(months[-1], ended.number)
    else:
        through = 0
    if through < months[0]:
        return []
    completeness = completeness_of(summary.year, summary.metrics, summary.spend, through=through)
    return [
        MissingReturn(line.measure, line.label, tuple(found))
        for line, found in completeness.missing_within(months[0], through)
    ]


def missing_for_quarter(area, year: int, quarter: int) -> list[MissingReturn]:
    return quarter_missing(area_year_summary(area, year), quarter)
