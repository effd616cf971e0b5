"""Submitting, agreeing and sending back a year's plan, and telling the people it becomes theirs.

The state change is core.plans'; mail goes through Django's email framework once the change is
committed (the demo's backend prints it to the console), to the people whose turn it now is.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from bcf_dashboard.core import periods, plans
from bcf_dashboard.core.models import AreaYearPlan, Membership


def _people(area, role, *, but=None):
    found = Membership.objects.filter(area=area, role=role, user__is_active=True).select_related("user")
    return sorted({m.user.email for m in found if m.user.email and m.user != but})


def _tell(addresses, subject, body):
    if addresses:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=True)
        )


def _name(user):
    return user.get_full_name() or user.username


def _where(area, year):
    return f"{getattr(settings, 'SITE_URL', '')}{reverse('plan', args=[area.code, year])}"


def submit(*, user, area, year: int):
    plan = plans.submit(user=user, area=area, financial_year=year)
    label = f"{area.name} {periods.year_label(year)}"
    _tell(
        _people(area, Membership.Role.APPROVER, but=user),
        f"{label} plan submitted for your approval",
        f"{_name(user)} submitted the {label} plan for approval. Agree it or send it back with a reason:\n"
        f"{_where(area, year)}\n",
    )
    return plan


def agree(*, user, area, year: int):
    plan = plans.agree(user=user, area=area, financial_year=year)
    label = f"{area.name} {periods.year_label(year)}"
    if plan.submitted_by and plan.submitted_by.email:
        _tell(
            [plan.submitted_by.email],
            f"{label} plan agreed",
            f"{_name(user)} agreed the {label} plan. From now on it changes only as a revision with a reason:\n"
            f"{_where(area, year)}\n",
        )
    return plan


def send_back(*, user, area, year: int, reason: str):
    plan = AreaYearPlan.objects.filter(area=area, financial_year=year).select_related("submitted_by").first()
    submitter = plan.submitted_by if plan else None
    plan = plans.send_back(user=user, area=area, financial_year=year, reason=reason)
    label = f"{area.name} {periods.year_label(year)}"
    if submitter and submitter.email:
        _tell(
            [submitter.email],
            f"{label} plan sent back to you",
            f"{_name(user)} sent the {label} plan back for changes:\n\n{plan.sent_back_reason}\n\n"
            f"Change it and submit it again:\n{_where(area, year)}\n",
        )
    return plan
