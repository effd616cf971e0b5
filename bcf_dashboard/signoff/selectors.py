"""What the sign-off page shows: the year's quarters, their history, and what this user may do."""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import APPROVE, EDIT, can
from bcf_dashboard.core.models import AreaYearPlan, QuarterReturn, QuarterReturnEvent, ValueChange
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.signoff.missing import quarter_missing
from bcf_dashboard.signoff.services import STEPS, refusal
from bcf_dashboard.signoff.shown import token_for
from schemes.selectors import month_to_enter


@dataclass
class Choice:
    action: str
    button: str
    needs_reason: bool
    refused: str | None  # why the user may not, shown beside a disabled step
    shown: str = ""  # for Approve: the signed token of the figures this page was drawn with


@dataclass
class QuarterRow:
    quarter_return: QuarterReturn
    label: str
    months: list  # PeriodRefs
    events: list = field(default_factory=list)
    choices: list = field(default_factory=list)
    changes_since_submitted: int = 0
    missing: list = field(default_factory=list)  # MissingReturn: what submitting now would go without

    @property
    def state(self):
        return self.quarter_return.state

    @property
    def closed(self):
        return self.state in {QuarterReturn.State.APPROVED, QuarterReturn.State.LOCKED}


@dataclass
class SignOffPage:
    area: object
    year: int
    quarters: list
    plan: AreaYearPlan
    can_edit: bool
    can_approve: bool

    @property
    def year_label(self):
        return periods.year_label(self.year)


def default_year(area) -> int:
    """The year of the month the area's figures are being entered for (see ``month_to_enter``)."""
    return month_to_enter(area).financial_year


def sign_off_page(user, area, year: int) -> SignOffPage:
    stored = {
        q.quarter: q
        for q in QuarterReturn.objects.filter(area=area, financial_year=year).select_related(
            "submitted_by", "approved_by"
        )
    }
    events = {}
    for event in QuarterReturnEvent.objects.filter(
        quarter_return__area=area, quarter_return__financial_year=year
    ).select_related("user", "quarter_return"):
        events.setdefault(event.quarter_return.quarter, []).append(event)
    may = {EDIT: can(user, area, EDIT), APPROVE: can(user, area, APPROVE)}
    changed = _changes_since_submitted(area, year, stored)
    open_numbers = [n for n in range(1, 5) if n not in stored or stored[n].state == QuarterReturn.State.OPEN]
    # One engine run for the year, only where a quarter may be submitted: its missing returns need a reason.
    summary = area_year_summary(area, year) if may[EDIT] and open_numbers else None
    quarters = []
    still_open = [n for n in range(1, 5) if n not in stored or stored[n].state == QuarterReturn.State.OPEN]
    for number in range(1, 5):
        quarter_return = stored.get(number) or QuarterReturn(area=area, financial_year=year, quarter=number)
        row = QuarterRow(
            quarter_return,
            periods.quarter(year, number).label,
            [periods.month(year, n) for n in periods.quarter(year, number).month_numbers],
            events.get(number, []),
            changes_since_submitted=changed.get(number, 0),
        )
        if summary is not None and number in open_numbers:
            row.missing = quarter_missing(summary, number)
        for step in STEPS.values():
            if not may[step.permission] or quarter_return.state not in step.from_states:
                continue
            needs_reason = step.needs_reason or (step.action == QuarterReturnEvent.Action.SUBMIT and bool(row.missing))
            refused = refusal(step, quarter_return, user, open_before=[n for n in still_open if n < number])
            shown = token_for(area, year, number) if step.action == "approve" and not refused else ""
            row.choices.append(Choice(step.action, step.button, needs_reason, refused, shown))
        quarters.append(row)
    plan = AreaYearPlan.objects.filter(area=area, financial_year=year).select_related("agreed_by").first()
    return SignOffPage(
        area, year, quarters, plan or AreaYearPlan(area=area, financial_year=year), may[EDIT], may[APPROVE]
    )


def _changes_since_submitted(area, year, stored) -> dict[int, int]:
    """Per submitted quarter, how many figures of its months changed after it was submitted."""
    submitted = {
        n: q.submitted_at for n, q in stored.items() if q.state == QuarterReturn.State.SUBMITTED and q.submitted_at
    }
    if not submitted:
        return {}
    counts = ValueChange.objects.filter(area=area, period__financial_year=year, period__kind=periods.MONTH).aggregate(
        **{
            f"q{n}": Count(
                "id",
                filter=Q(period__number__in=list(periods.quarter(year, n).month_numbers), batch__created_at__gt=moment),
            )
            for n, moment in submitted.items()
        }
    )
    return {int(key[1:]): value for key, value in counts.items()}
