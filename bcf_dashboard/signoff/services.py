"""Moving a quarter through sign-off, and agreeing an area-year's plan: checked, locked and recorded.

Each step takes the area's lock (``returns.services.lock_areas``), the same one every
write of figures takes, so a quarter cannot be approved half-way through an upload.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from bcf_dashboard.core import notify, periods, plans
from bcf_dashboard.core.access import APPROVE, EDIT, can
from bcf_dashboard.core.limits import REASON_MAX_LENGTH
from bcf_dashboard.core.locks import lock_areas, on_primary
from bcf_dashboard.core.models import AreaYearPlan, Membership, QuarterReturn, QuarterReturnEvent
from bcf_dashboard.core.signals import quarter_approved
from bcf_dashboard.digests import services as digests
from bcf_dashboard.signoff.missing import missing_for_quarter
from bcf_dashboard.signoff.shown import what_changed

State = QuarterReturn.State
Action = QuarterReturnEvent.Action


class SignOffRefused(Exception):
    """The step is not allowed; the message says why in plain words."""


@dataclass(frozen=True)
class Step:
    action: str
    from_states: frozenset
    to_state: str
    permission: str  # access action needed in the area
    needs_reason: bool
    button: str


STEPS = {
    Action.SUBMIT: Step(Action.SUBMIT, frozenset({State.OPEN}), State.SUBMITTED, EDIT, False, "Submit for approval"),
    Action.APPROVE: Step(Action.APPROVE, frozenset({State.SUBMITTED}), State.APPROVED, APPROVE, False, "Approve"),
    Action.SEND_BACK: Step(
        Action.SEND_BACK, frozenset({State.SUBMITTED}), State.OPEN, APPROVE, True, "Send back for changes"
    ),
    Action.LOCK: Step(Action.LOCK, frozenset({State.APPROVED}), State.LOCKED, APPROVE, False, "Lock"),
    Action.REOPEN: Step(Action.REOPEN, frozenset({State.APPROVED, State.LOCKED}), State.OPEN, APPROVE, True, "Reopen"),
}


def refusal(step: Step, quarter_return: QuarterReturn, user, *, open_before: list[int] | None = None) -> str | None:
    """Why ``user`` may not take ``step`` now, or None. Access to the area is checked by the caller.

    ``open_before``: the earlier quarters of the year still open (never submitted, or sent back or
    reopened). Quarters are submitted in order: a quarter may be submitted only once every earlier
    quarter of its financial year is submitted, approved or locked.
    """
    label = periods.quarter(quarter_return.financial_year, quarter_return.quarter).label
    if quarter_return.state not in step.from_states:
        return f"{label} is {quarter_return.get_state_display().lower()}, so it cannot be {_past(step)} now"
    if step.action == Action.SUBMIT and open_before:
        earlier = ", ".join(periods.quarter(quarter_return.financial_year, q).label for q in open_before)
        return (
            f"{earlier} {'is' if len(open_before) == 1 else 'are'} still open: quarters are submitted in order, "
            f"so submit {'it' if len(open_before) == 1 else 'them'} first"
        )
    if step.action == Action.APPROVE and quarter_return.submitted_by_id == user.id:
        return (
            f"you submitted {label}, so someone else must approve it: "
            "an approver signs off figures they did not submit themselves"
        )
    return None


def _past(step):
    return {
        Action.SUBMIT: "submitted",
        Action.APPROVE: "approved",
        Action.SEND_BACK: "sent back",
        Action.LOCK: "locked",
        Action.REOPEN: "reopened",
    }[step.action]


def open_quarters_before(area, financial_year: int, quarter: int) -> list[int]:
    """The quarters of the year before ``quarter`` that are open (a quarter without a record is open)."""
    moved = set(
        QuarterReturn.objects.filter(area=area, financial_year=financial_year, quarter__lt=quarter)
        .exclude(state=State.OPEN)
        .values_list("quarter", flat=True)
    )
    return [q for q in range(1, quarter) if q not in moved]


def take_step(
    *, user, area, financial_year: int, quarter: int, action: str, reason: str = "", shown: str | None = None
) -> QuarterReturn:
    """Move the quarter one step, record who, when and why; SignOffRefused if it may not move.

    ``shown``: for an approval from a page, the token of the figures that page showed
    (``signoff.shown``); the approval is refused, naming the changes, if they have changed since.
    """
    step = STEPS.get(action)
    if step is None:
        raise SignOffRefused("that is not a sign-off step")
    periods.quarter(financial_year, quarter)  # PeriodError for a quarter that does not exist
    reason = reason.strip()
    if step.needs_reason and not reason:
        raise SignOffRefused(f"give the reason: a quarter is only {_past(step)} with a written reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise SignOffRefused(
            f"the reason is {len(reason):,} characters long: shorten it to {REASON_MAX_LENGTH:,} or fewer"
        )
    if not can(user, area, step.permission):
        raise SignOffRefused("you do not have the role this step needs in this area")
    with on_primary(), transaction.atomic():
        lock_areas([area.id])
        quarter_return, _ = QuarterReturn.objects.select_for_update().get_or_create(
            area=area, financial_year=financial_year, quarter=quarter
        )
        open_before = open_quarters_before(area, financial_year, quarter) if step.action == Action.SUBMIT else []
        why_not = refusal(step, quarter_return, user, open_before=open_before)
        if why_not is None and step.action == Action.APPROVE and shown is not None:
            why_not = what_changed(shown, area, financial_year, quarter)
        if why_not:
            raise SignOffRefused(why_not)
        if step.action == Action.SUBMIT and not reason:
            # Read under the area's lock: the returns the quarter is submitted without are these.
            missing = missing_for_quarter(area, financial_year, quarter)
            if missing:
                raise SignOffRefused(
                    f"{periods.quarter(financial_year, quarter).label} has returns missing: "
                    f"{'; '.join(str(m) for m in missing)}. Enter them, or give the reason for submitting "
                    "without them, which is recorded with the submission"
                )
        now = timezone.now()
        from_state = quarter_return.state
        submitter = quarter_return.submitted_by
        quarter_return.state = step.to_state
        if step.action == Action.SUBMIT:
            quarter_return.submitted_by, quarter_return.submitted_at = user, now
        elif step.action == Action.APPROVE:
            quarter_return.approved_by, quarter_return.approved_at = user, now
        elif step.to_state == State.OPEN:
            # Back to work: the next submission and approval are new ones (the events keep the old).
            quarter_return.submitted_by = quarter_return.submitted_at = None
            quarter_return.approved_by = quarter_return.approved_at = None
        quarter_return.save()
        event = QuarterReturnEvent.objects.create(
            quarter_return=quarter_return,
            action=step.action,
            from_state=from_state,
            to_state=step.to_state,
            user=user,
            at=now,
            reason=reason,
        )
        if step.action == Action.APPROVE:
            # The quarterly summary freezes its version here, in this transaction (core.signals).
            quarter_approved.send(sender=QuarterReturn, quarter_return=quarter_return, user=user, event=event)
        _tell(step, quarter_return, area, user, reason, submitter)
        # The step moved the area-year's version (its page shows the sign-off state), not its figures.
        digests.ask_for_figures([(area.id, financial_year)])
    return quarter_return


def _tell(step, quarter_return, area, user, reason, submitter):
    """Mail the people the quarter now waits on: approvers on submission, the submitter when it is decided."""
    label = f"{area.name} {periods.quarter(quarter_return.financial_year, quarter_return.quarter).label}"
    if step.action == Action.SUBMIT:
        notify.tell(
            notify.people(area, Membership.Role.APPROVER, but=user),
            f"{label} submitted for your approval",
            f"{notify.name_of(user)} submitted {label} for approval.\n",
        )
    elif step.action in (Action.APPROVE, Action.SEND_BACK):
        words = "approved" if step.action == Action.APPROVE else "sent back to you"
        notify.tell(
            notify.address_of(submitter),
            f"{label} {words}",
            f"{notify.name_of(user)}: {label} {words}." + (f"\n\n{reason}\n" if reason else "\n"),
        )


def agree_plan(*, user, area, financial_year: int) -> AreaYearPlan:
    """Agree the area-year's submitted plan (the rules and the state change are core.plans')."""
    try:
        plan = plans.agree(user=user, area=area, financial_year=financial_year)
    except plans.PlanRefused as refused:
        raise SignOffRefused(str(refused)) from None
    digests.ask_for_figures([(area.id, financial_year)])
    return plan
