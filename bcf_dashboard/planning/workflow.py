"""Submitting, agreeing and sending back a year's plan, and telling the people it becomes theirs.

The state change is core.plans'; the mail (core.notify) goes once the change is committed, to the
people whose turn it now is: the area's approvers on submission, the submitter when it is agreed or
sent back.
"""

from django.conf import settings
from django.urls import reverse

from bcf_dashboard.core import periods, plans
from bcf_dashboard.core.models import AreaYearPlan, Membership
from bcf_dashboard.core.notify import address_of, name_of, people, tell


def _where(area, year):
    return f"{getattr(settings, 'SITE_URL', '')}{reverse('plan', args=[area.code, year])}"


def submit(*, user, area, year: int):
    plan = plans.submit(user=user, area=area, financial_year=year)
    label = f"{area.name} {periods.year_label(year)}"
    tell(
        people(area, Membership.Role.APPROVER, but=user),
        f"{label} plan submitted for your approval",
        f"{name_of(user)} submitted the {label} plan for approval. Agree it or send it back with a reason:\n"
        f"{_where(area, year)}\n",
    )
    return plan


def agree(*, user, area, year: int):
    plan = plans.agree(user=user, area=area, financial_year=year)
    label = f"{area.name} {periods.year_label(year)}"
    tell(
        address_of(plan.submitted_by),
        f"{label} plan agreed",
        f"{name_of(user)} agreed the {label} plan. From now on it changes only as a revision with a reason:\n"
        f"{_where(area, year)}\n",
    )
    return plan


def send_back(*, user, area, year: int, reason: str):
    before = AreaYearPlan.objects.filter(area=area, financial_year=year).select_related("submitted_by").first()
    plan = plans.send_back(user=user, area=area, financial_year=year, reason=reason)
    label = f"{area.name} {periods.year_label(year)}"
    tell(
        address_of(before.submitted_by if before else None),
        f"{label} plan sent back to you",
        f"{name_of(user)} sent the {label} plan back for changes:\n\n{plan.sent_back_reason}\n\n"
        f"Change it and submit it again:\n{_where(area, year)}\n",
    )
    return plan
