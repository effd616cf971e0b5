"""The cycle's tasks (core.tasks): monthly returns due or overdue, quarters to submit or approve, plans to
submit or agree, plans sent back. Due dates come from the area's timetable (``Area.returns_due_working_days``,
``Area.sign_off_due_days``). A month's return counts as in when any actual figure of that month is stored.
"""

import datetime

from django.urls import reverse

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import AreaYearPlan, Membership, QuarterReturn
from bcf_dashboard.core.tasks import Task, add_working_days
from metrics.models import MetricValue
from schemes.models import SchemeValue

FINANCE, APPROVER = Membership.Role.FINANCE_OFFICER, Membership.Role.APPROVER
MONTHS_LISTED = 3  # per area: the oldest outstanding months, then a count of the rest
APPROVAL_GRACE = datetime.timedelta(days=7)


def cycle_tasks(user, today: datetime.date) -> list[Task]:
    roles = {}
    for m in Membership.objects.filter(user=user, role__in=[FINANCE, APPROVER]).select_related("area"):
        roles.setdefault(m.area, set()).add(m.role)
    if not roles:
        return []
    areas = list(roles)
    plans = list(AreaYearPlan.objects.filter(area__in=areas).select_related("area"))
    tasks = []
    for plan in plans:
        area, mine = plan.area, roles[plan.area]
        label = periods.year_label(plan.financial_year)
        url = reverse("plan", args=[area.code, plan.financial_year])
        if FINANCE in mine and plan.state == "draft":
            detail = f"Sent back: {plan.sent_back_reason}" if plan.sent_back_reason else ""
            due = periods.month_start(plan.financial_year, 1)
            tasks.append(Task(area.name, f"Submit the {label} plan", url, due, due < today, detail))
        if APPROVER in mine and plan.state == "submitted" and plan.submitted_by_id != user.id:
            tasks.append(
                Task(
                    area.name,
                    f"Agree or send back the {label} plan",
                    url,
                    plan.submitted_at.date() + APPROVAL_GRACE,
                    False,
                )
            )
    agreed_years = {(p.area_id, p.financial_year) for p in plans if p.agreed}
    tasks += _quarters(user, roles, agreed_years, today)
    tasks += _months(roles, agreed_years, today)
    return tasks


def _quarters(user, roles, agreed_years, today):
    stored = {(q.area_id, q.financial_year, q.quarter): q for q in QuarterReturn.objects.filter(area__in=list(roles))}
    tasks = []
    for area, mine in roles.items():
        for area_id, year in sorted(agreed_years):
            if area_id != area.id:
                continue
            for number in range(1, 5):
                ends = periods.month_end(year, number * 3)
                if ends >= today:
                    continue
                quarter = stored.get((area.id, year, number))
                state = quarter.state if quarter else QuarterReturn.State.OPEN
                due = ends + datetime.timedelta(days=area.sign_off_due_days)
                label = periods.quarter(year, number).label
                url = reverse("signoff", args=[area.code, year])
                if FINANCE in mine and state == QuarterReturn.State.OPEN:
                    tasks.append(Task(area.name, f"Submit {label}", url, due, due < today))
                if APPROVER in mine and state == QuarterReturn.State.SUBMITTED and quarter.submitted_by_id != user.id:
                    due += APPROVAL_GRACE
                    tasks.append(
                        Task(
                            area.name,
                            f"Approve {label}",
                            url,
                            due,
                            due < today,
                            about=("approve", area.id, year, number),
                        )
                    )
    return tasks


def _months(roles, agreed_years, today):
    finance_areas = [a for a, mine in roles.items() if FINANCE in mine]
    years = {year for _, year in agreed_years}
    if not finance_areas or not years:
        return []
    ids = [a.id for a in finance_areas]
    done = set(
        SchemeValue.objects.filter(
            scheme__area_id__in=ids, kind="actual", period__financial_year__in=years, period__kind="month"
        ).values_list("scheme__area_id", "period__code")
    )
    done |= set(
        MetricValue.objects.filter(
            area_id__in=ids, kind="actual", period__financial_year__in=years, period__kind="month"
        ).values_list("area_id", "period__code")
    )
    tasks = []
    for area in finance_areas:
        outstanding = []
        for area_id, year in sorted(agreed_years):
            if area_id != area.id:
                continue
            for ref in periods.months_of_year(year):
                ends = periods.month_end(year, ref.number)
                if ends < today and (area.id, ref.code) not in done:
                    outstanding.append((ref, add_working_days(ends, area.returns_due_working_days)))
        for ref, due in outstanding[:MONTHS_LISTED]:
            more = len(outstanding) - MONTHS_LISTED
            detail = (
                f"and {more} more month{'s' if more != 1 else ''} outstanding"
                if more > 0 and ref == outstanding[MONTHS_LISTED - 1][0]
                else ""
            )
            tasks.append(
                Task(
                    area.name,
                    f"Enter {ref.label}'s figures",
                    reverse("entry", args=[area.code, ref.code]),
                    due,
                    due < today,
                    detail,
                )
            )
    return tasks
