"""An area-year plan's way to agreement: submitted by a finance officer, agreed or sent back by another approver.

The state lives on ``AreaYearPlan`` (the returns check ``agreed``); these are the one place it
changes, so the planning pages and the sign-off page's button agree on the rules. Each step takes
the area's lock, the same one every write of figures takes, so a plan cannot be agreed half-way
through an edit. Who is told about it (email) is the caller's business.
"""

from django.db import transaction
from django.utils import timezone

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import APPROVE, EDIT, can
from bcf_dashboard.core.limits import REASON_MAX_LENGTH
from bcf_dashboard.core.locks import lock_areas, on_primary
from bcf_dashboard.core.models import AreaYearPlan


class PlanRefused(Exception):
    """The step is not allowed; the message says why in plain words."""


def plan_for(area, financial_year: int) -> AreaYearPlan:
    """The stored plan state, or an unsaved draft (a year nobody has started reads as a draft)."""
    found = AreaYearPlan.objects.filter(area=area, financial_year=financial_year).first()
    return found or AreaYearPlan(area=area, financial_year=financial_year)


def _locked_plan(area, financial_year) -> AreaYearPlan:
    lock_areas([area.id])
    plan = AreaYearPlan.objects.select_for_update().filter(area=area, financial_year=financial_year).first()
    return plan or AreaYearPlan(area=area, financial_year=financial_year)


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise PlanRefused(
            f"the reason is {len(reason):,} characters long: shorten it to {REASON_MAX_LENGTH:,} or fewer"
        )
    return reason


def submit(*, user, area, financial_year: int) -> AreaYearPlan:
    """A finance officer puts the year's plan to the area's approvers."""
    label = periods.year_label(financial_year)
    if not can(user, area, EDIT):
        raise PlanRefused("only a finance officer of the area may submit its plan")
    with on_primary(), transaction.atomic():
        plan = _locked_plan(area, financial_year)
        if plan.state != "draft":
            raise PlanRefused(f"the {label} plan is already {plan.state}")
        plan.submitted_by, plan.submitted_at = user, timezone.now()
        plan.save()
    return plan


def agree(*, user, area, financial_year: int) -> AreaYearPlan:
    """An approver who did not submit the plan agrees it: from then on it changes only with a reason."""
    label = periods.year_label(financial_year)
    if not can(user, area, APPROVE):
        raise PlanRefused("only an approver of the area may agree its plan")
    with on_primary(), transaction.atomic():
        plan = _locked_plan(area, financial_year)
        if plan.agreed:
            raise PlanRefused(f"the {label} plan is already agreed")
        if not plan.submitted_at:
            raise PlanRefused(f"the {label} plan has not been submitted: a finance officer submits it first")
        if plan.submitted_by_id == user.id:
            raise PlanRefused(f"you submitted the {label} plan, so another approver must agree it")
        plan.agreed, plan.agreed_by, plan.agreed_at = True, user, timezone.now()
        plan.sent_back_by = plan.sent_back_at = None
        plan.sent_back_reason = ""
        plan.save()  # one history row: who agreed it and when
    return plan


def send_back(*, user, area, financial_year: int, reason: str) -> AreaYearPlan:
    """An approver returns a submitted plan to draft, saying what to change."""
    label = periods.year_label(financial_year)
    reason = _clean_reason(reason)
    if not reason:
        raise PlanRefused("give the reason: a plan is only sent back with a written reason")
    if not can(user, area, APPROVE):
        raise PlanRefused("only an approver of the area may send its plan back")
    with on_primary(), transaction.atomic():
        plan = _locked_plan(area, financial_year)
        if plan.state != "submitted":
            raise PlanRefused(f"the {label} plan is {plan.state}, so it cannot be sent back")
        if plan.submitted_by_id == user.id:
            raise PlanRefused(f"you submitted the {label} plan, so another approver must decide on it")
        plan.sent_back_by, plan.sent_back_at, plan.sent_back_reason = user, timezone.now(), reason
        plan.submitted_at = None
        plan.save()
    return plan


def revision_reason(area, financial_year: int, reason: str) -> str:
    """The reason a change to the plan needs: none while it is a draft, a written one once agreed."""
    reason = _clean_reason(reason)
    if plan_for(area, financial_year).agreed and not reason:
        raise PlanRefused(
            f"the {periods.year_label(financial_year)} plan is agreed: give the reason for this "
            "revision, which the history keeps"
        )
    return reason
