"""Closed (approved or locked) quarters take no changes: which they are, and the error a row meets.

Read inside the write transaction (``storing``), where ``services._plan`` refuses a row that would change
a figure of one; a row equal to what is stored changes nothing and passes.
"""

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import QuarterReturn
from bcf_dashboard.returns.parsing import RowError

CLOSED_STATES = {QuarterReturn.State.APPROVED.value, QuarterReturn.State.LOCKED.value}


def closed_quarters(area_ids, years) -> dict[tuple, str]:
    """(area id, year, quarter) -> state, for the approved and locked quarters."""
    if not area_ids or not years:
        return {}
    return {
        (area_id, year, number): state
        for area_id, year, number, state in QuarterReturn.objects.filter(
            area_id__in=area_ids,
            financial_year__in=years,
            state__in=CLOSED_STATES,
        ).values_list("area_id", "financial_year", "quarter", "state")
    }


def closed_quarter_error(area, ref, number, closed) -> RowError | None:
    """A closed (approved or locked) quarter overlapping the period takes no changes."""
    if not closed:
        return None
    for quarter in sorted({periods.quarter_of_month_number(n) for n in ref.month_numbers}):
        state = closed.get((area.id, ref.financial_year, quarter))
        if state:
            label = periods.quarter(ref.financial_year, quarter).label
            return RowError(
                number,
                "period",
                f"{label} is {state} for {area.name}, so its figures cannot change: "
                "remove the row or ask the approver to reopen the quarter",
            )
    return None
