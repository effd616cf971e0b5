"""Quarterly sign-off: open -> submitted -> approved -> locked, reopening with a reason, the plan agreed."""

import pytest
from django.utils import timezone

from bcf_dashboard.core import plans
from bcf_dashboard.core.models import AreaYearPlan, Period, QuarterReturn, QuarterReturnEvent
from bcf_dashboard.core.signals import quarter_approved
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.signoff.services import SignOffRefused, agree_plan, take_step
from metrics.models import MetricDefinition, MetricValue
from tests.signoff.test_approval_integrity import shown_token

URL = "/areas/E09000006/sign-off/2017/"


def step(personas, user, action, quarter=1, reason=""):
    return take_step(
        user=user, area=personas.area_a, financial_year=2017, quarter=quarter, action=action, reason=reason
    )


def test_a_quarter_goes_through_every_state_and_each_step_is_recorded(personas):
    p = personas
    assert step(p, p.finance_a, "submit").state == "submitted"
    approved = step(p, p.approver_a, "approve")
    assert (
        approved.state == "approved" and approved.approved_by == p.approver_a and approved.submitted_by == p.finance_a
    )
    assert step(p, p.approver_a, "lock").state == "locked"
    reopened = step(p, p.approver_a, "reopen", reason="NEA for May was revised by SUS")
    assert reopened.state == "open" and reopened.submitted_by is None and reopened.approved_by is None
    events = list(
        QuarterReturnEvent.objects.values_list("action", "from_state", "to_state", "user__username", "reason")
    )
    assert events == [
        ("submit", "open", "submitted", "finance_a", ""),
        ("approve", "submitted", "approved", "approver_a", ""),
        ("lock", "approved", "locked", "approver_a", ""),
        ("reopen", "locked", "open", "approver_a", "NEA for May was revised by SUS"),
    ]


def test_nobody_approves_what_they_submitted_themselves(personas):
    step(personas, personas.staff, "submit")
    with pytest.raises(SignOffRefused, match="someone else must approve it"):
        step(personas, personas.staff, "approve")
    assert QuarterReturn.objects.get().state == "submitted"
    assert step(personas, personas.approver_a, "approve").state == "approved"


@pytest.mark.parametrize(
    "who, action",
    [
        ("finance_a", "approve"),
        ("approver_a", "submit"),
        ("commissioner_a", "submit"),
        ("hwb_a", "approve"),
        ("user_b", "submit"),
        ("finance_a", "reopen"),
    ],
)
def test_each_step_needs_its_role(personas, who, action):
    with pytest.raises(SignOffRefused):
        step(personas, getattr(personas, who), action, reason="because")
    assert not QuarterReturnEvent.objects.exists()


def test_reopening_and_sending_back_need_a_written_reason(personas):
    step(personas, personas.finance_a, "submit")
    with pytest.raises(SignOffRefused, match="give the reason"):
        step(personas, personas.approver_a, "send_back", reason="   ")
    assert step(personas, personas.approver_a, "send_back", reason="Q1 spend missing for A3").state == "open"
    step(personas, personas.finance_a, "submit")
    step(personas, personas.approver_a, "approve")
    with pytest.raises(SignOffRefused, match="give the reason"):
        step(personas, personas.approver_a, "reopen")
    with pytest.raises(SignOffRefused, match="shorten it"):
        step(personas, personas.approver_a, "reopen", reason="x" * 2001)
    assert QuarterReturn.objects.get().state == "approved"


def test_steps_out_of_order_are_refused(personas):
    with pytest.raises(SignOffRefused, match="is open, so it cannot be approved"):
        step(personas, personas.approver_a, "approve")
    with pytest.raises(SignOffRefused, match="cannot be locked"):
        step(personas, personas.approver_a, "lock")


def test_approval_calls_the_snapshot_hook_inside_its_transaction(personas, monkeypatch):
    from django.db import connection

    seen = []

    def receiver(sender, *, quarter_return, user, event, **kwargs):
        seen.append((quarter_return.state, user, event.action, connection.in_atomic_block))

    quarter_approved.connect(receiver, dispatch_uid="test-approval-receiver")
    try:
        step(personas, personas.finance_a, "submit")
        step(personas, personas.approver_a, "approve")
    finally:
        quarter_approved.disconnect(dispatch_uid="test-approval-receiver")
    assert seen == [("approved", personas.approver_a, "approve", True)]


def test_a_failing_hook_rolls_the_approval_back(personas, monkeypatch):
    def broken(sender, **kwargs):
        raise RuntimeError("snapshot failed")

    quarter_approved.connect(broken, dispatch_uid="test-broken-receiver")
    step(personas, personas.finance_a, "submit")
    try:
        with pytest.raises(RuntimeError):
            step(personas, personas.approver_a, "approve")
    finally:
        quarter_approved.disconnect(dispatch_uid="test-broken-receiver")
    assert QuarterReturn.objects.get().state == "submitted"
    assert QuarterReturnEvent.objects.count() == 1


def test_an_approved_quarter_refuses_uploaded_rows(personas):
    MetricDefinition.objects.create(code="NEA", name="NEA", unit="count", better="lower", rollup="sum", first_year=2014)
    Period.ensure_years([2017])
    step(personas, personas.finance_a, "submit")
    step(personas, personas.approver_a, "approve")
    result = import_returns(
        content=b"area_code,period,measure,kind,value\nE09000006,2017-05,NEA,actual,3\n",
        file_name="late.csv",
        user=personas.finance_a,
    )
    assert "Q1 2017/18 is approved for Bromley" in result.errors[0].reason
    assert not MetricValue.objects.exists()


def test_only_an_approver_agrees_the_plan_once(personas):
    with pytest.raises(SignOffRefused):
        agree_plan(user=personas.finance_a, area=personas.area_a, financial_year=2017)
    with pytest.raises(SignOffRefused, match="has not been submitted"):
        agree_plan(user=personas.approver_a, area=personas.area_a, financial_year=2017)
    plans.submit(user=personas.finance_a, area=personas.area_a, financial_year=2017)
    plan = agree_plan(user=personas.approver_a, area=personas.area_a, financial_year=2017)
    assert plan.agreed and plan.agreed_by == personas.approver_a
    with pytest.raises(SignOffRefused, match="already agreed"):
        agree_plan(user=personas.approver_a, area=personas.area_a, financial_year=2017)
    assert plan.history.count() == 2  # submitted, then agreed


# --- the page --------------------------------------------------------------------------------


def test_the_page_shows_each_quarter_and_only_the_steps_the_user_may_take(client, personas):
    client.force_login(personas.finance_a)
    page = client.get(URL).content.decode()
    assert page.count("Submit for approval") == 4 and ">Approve</button>" not in page
    client.post(URL, {"action": "submit", "quarter": "1"})  # quarters are submitted in order
    client.force_login(personas.approver_a)
    page = client.get(URL).content.decode()
    assert "Submitted by finance_a" in page and ">Approve</button>" in page
    # The year's plan is a draft: agreeing it would be refused, so it is not offered (see the next test but one).
    assert "Draft, not submitted" in page and "Agree the 2017/18 plan" not in page


def test_posting_steps_moves_the_quarter_and_reports_refusals(client, personas):
    client.force_login(personas.finance_a)
    response = client.post(URL, {"action": "submit", "quarter": "1"}, follow=True)
    assert "Q1 2017/18 is now submitted" in response.content.decode()
    response = client.post(URL, {"action": "submit", "quarter": "1"})
    assert response.status_code == 409 and "it cannot be submitted now" in response.content.decode()
    client.force_login(personas.approver_a)
    response = client.post(URL, {"action": "send_back", "quarter": "1", "reason": ""})
    assert response.status_code == 409 and "Give the reason" in response.content.decode()
    assert QuarterReturn.objects.get().state == "submitted"
    for bad in (
        {"action": "approve", "quarter": "5"},
        {"action": "approve", "quarter": ""},
        {"action": "explode", "quarter": "1"},
    ):
        assert client.post(URL, bad).status_code in (400, 409)
    assert QuarterReturn.objects.get().state == "submitted"
    # An approval carries what the page showed (test_approval_integrity).
    client.post(URL, {"action": "approve", "quarter": "1", "shown": shown_token(client.get(URL), 1)})
    assert QuarterReturn.objects.get().state == "approved"


def test_the_page_counts_figures_changed_since_submission(client, personas):
    MetricDefinition.objects.create(code="NEA", name="NEA", unit="count", better="lower", rollup="sum", first_year=2014)
    take_step(user=personas.finance_a, area=personas.area_a, financial_year=2017, quarter=1, action="submit")
    QuarterReturn.objects.update(submitted_at=timezone.now() - timezone.timedelta(minutes=1))
    import_returns(
        content=b"area_code,period,measure,kind,value\nE09000006,2017-05,NEA,actual,3\n",
        file_name="late.csv",
        user=personas.finance_a,
    )
    client.force_login(personas.approver_a)
    assert "1 figure changed since it was submitted" in client.get(URL).content.decode()


def test_the_year_in_the_address_must_be_sensible(client, personas):
    client.force_login(personas.approver_a)
    assert client.get("/areas/E09000006/sign-off/1800/").status_code == 404
    assert client.get("/areas/E09000006/sign-off/")["Location"].startswith("/areas/E09000006/sign-off/")


def test_agreeing_the_plan_on_the_page(client, personas):
    client.force_login(personas.approver_a)
    draft = client.get(URL).content.decode()
    assert "Draft, not submitted" in draft and 'value="agree_plan"' not in draft  # nothing to agree yet
    plans.submit(user=personas.finance_a, area=personas.area_a, financial_year=2017)
    submitted = client.get(URL).content.decode()
    assert "Submitted</span> by finance_a" in submitted and 'value="agree_plan"' in submitted
    client.post(URL, {"action": "agree_plan"})
    assert AreaYearPlan.objects.get().agreed
    assert "Agreed" in client.get(URL).content.decode()


def test_an_approver_who_submitted_the_plan_is_not_offered_to_agree_it(client, personas):
    """core.plans refuses it (another approver agrees); the page says so instead of offering a button."""
    from bcf_dashboard.core.models import Membership
    from tests.support.personas import make_user

    both = make_user("finance_and_approver", area=personas.area_a, role=Membership.Role.FINANCE_OFFICER)
    Membership.objects.create(user=both, area=personas.area_a, role=Membership.Role.APPROVER)
    plans.submit(user=both, area=personas.area_a, financial_year=2017)
    client.force_login(both)
    page = client.get(URL).content.decode()
    assert 'value="agree_plan"' not in page and "You submitted it, so another approver agrees it." in page


def test_each_step_mails_the_people_it_now_waits_on(personas, settings, django_capture_on_commit_callbacks):
    from django.core import mail

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for user in (personas.finance_a, personas.approver_a):
        user.email = f"{user.username}@bromley.example"
        user.save()
    Period.ensure_years([2017])
    kw = dict(area=personas.area_a, financial_year=2017, quarter=1)
    with django_capture_on_commit_callbacks(execute=True):
        take_step(user=personas.finance_a, action="submit", **kw)
    assert mail.outbox[-1].to == ["approver_a@bromley.example"]
    assert "submitted for your approval" in mail.outbox[-1].subject
    with django_capture_on_commit_callbacks(execute=True):
        take_step(user=personas.approver_a, action="send_back", reason="NEA for June is missing", **kw)
    assert mail.outbox[-1].to == ["finance_a@bromley.example"] and "NEA for June is missing" in mail.outbox[-1].body
