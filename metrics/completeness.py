"""Which of a metric's months are in, missing or not yet due: pure arithmetic, no queries.

A metric's figure for a month is due ``lag`` months after it (its definition's ``lag_months``: data
arrives late, NEA two months). ``through`` is the area's own last month with actual spend, so the
dates are the area's and not today's: a month is *missing* when ``through`` is at least its lag past
it and no actual covers it. A metric reported once a year (a "latest" roll-up such as REA) or
planned only for the whole year is expected once, after the year; a metric planned by quarter
is due a lag after each quarter's last month.
"""

from __future__ import annotations

from metrics.performance import Values

IN = "in"
MISSING = "missing"
NOT_DUE = "not_due"

MONTH_WORDS = {IN: "in", MISSING: "missing", NOT_DUE: "not due yet"}


def covered(actual: Values, month: int) -> bool:
    """Whether an actual covers the month: its own, its quarter's or the year's."""
    return month in actual.months or (month - 1) // 3 + 1 in actual.quarters or actual.year is not None


def expected_yearly(rollup: str, plan: Values) -> bool:
    """Reported once a year, or planned only for the whole year: expected once, after the year."""
    return rollup == "latest" or (not plan.months and not plan.quarters)


def _due_month(month: int, *, rollup: str, plan: Values, lag: int) -> int:
    """The month number (13 and on run past March) from which the month's figure is due."""
    if expected_yearly(rollup, plan):
        return 12 + lag
    if not plan.months and plan.quarters:
        return ((month - 1) // 3 + 1) * 3 + lag
    return month + lag


def month_states(*, rollup: str, lag: int, plan: Values, actual: Values, through: int | None) -> list[str] | None:
    """Each of the twelve months' state (``IN``, ``MISSING``, ``NOT_DUE``), or None for a metric the
    area neither plans nor reports (nothing is expected of it)."""
    if plan.is_empty() and actual.is_empty():
        return None
    states = []
    for month in range(1, 13):
        if covered(actual, month):
            states.append(IN)
        elif through is not None and through >= _due_month(month, rollup=rollup, plan=plan, lag=lag):
            states.append(MISSING)
        else:
            states.append(NOT_DUE)
    return states


def missing_months(*, rollup: str, lag: int, plan: Values, actual: Values, through: int | None) -> list[int]:
    """The month numbers whose figure is due by ``through`` and has no actual; a yearly metric whose
    figure is due and absent gives every month (the year), which a reader names as the year."""
    states = month_states(rollup=rollup, lag=lag, plan=plan, actual=actual, through=through) or []
    return [n for n, state in enumerate(states, start=1) if state == MISSING]
