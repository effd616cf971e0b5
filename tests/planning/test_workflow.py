"""Submitting, agreeing and sending back a plan; revisions after agreement need a reason; who is emailed."""

from decimal import Decimal

import pytest
from django.core import mail

from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning import services, workflow
from bcf_dashboard.planning.rollforward import start_year
from funding.models import Contribution
from tests.support.personas import make_user


@pytest.fixture
def started(bromley, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    p = bromley.personas
    for user in (p.finance_a, p.approver_a):
        user.email = f"{user.username}@bromley.example"
        user.save()
    start_year(user=p.finance_a, area=bromley.area, year=2017)
    return bromley


def test_submit_then_agree_by_another_tells_each_in_turn(started, django_capture_on_commit_callbacks):
    p = started.personas
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(user=p.finance_a, area=started.area, year=2017)
    assert [m.to for m in mail.outbox] == [["approver_a@bromley.example"]]
    assert "submitted for your approval" in mail.outbox[0].subject
    with django_capture_on_commit_callbacks(execute=True):
        plan = workflow.agree(user=p.approver_a, area=started.area, year=2017)
    assert plan.state == "agreed" and plan.agreed_by == p.approver_a
    assert mail.outbox[-1].to == ["finance_a@bromley.example"] and "agreed" in mail.outbox[-1].subject


def test_the_submitter_never_agrees_their_own_plan(started):
    both = make_user("both", area=started.area, role="approver")
    from bcf_dashboard.core.models import Membership

    Membership.objects.create(user=both, area=started.area, role="finance_officer")
    workflow.submit(user=both, area=started.area, year=2017)
    with pytest.raises(PlanRefused, match="another approver"):
        workflow.agree(user=both, area=started.area, year=2017)
    with pytest.raises(PlanRefused, match="another approver"):
        workflow.send_back(user=both, area=started.area, year=2017, reason="Mine")


def test_sending_back_needs_a_reason_and_returns_it_to_the_submitter(started, django_capture_on_commit_callbacks):
    p = started.personas
    workflow.submit(user=p.finance_a, area=started.area, year=2017)
    with pytest.raises(PlanRefused, match="reason"):
        workflow.send_back(user=p.approver_a, area=started.area, year=2017, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        plan = workflow.send_back(user=p.approver_a, area=started.area, year=2017, reason="A1 profile is flat")
    assert plan.state == "draft" and plan.sent_back_reason == "A1 profile is flat"
    assert mail.outbox[-1].to == ["finance_a@bromley.example"] and "A1 profile is flat" in mail.outbox[-1].body


@pytest.mark.parametrize("who", ["commissioner_a", "hwb_a", "user_b", "finance_a"])
def test_only_approvers_agree(started, who):
    workflow.submit(user=started.personas.finance_a, area=started.area, year=2017)
    with pytest.raises(PlanRefused):
        workflow.agree(user=getattr(started.personas, who), area=started.area, year=2017)


def test_after_agreement_every_change_is_a_revision_with_a_reason(started):
    p = started.personas
    workflow.submit(user=p.finance_a, area=started.area, year=2017)
    workflow.agree(user=p.approver_a, area=started.area, year=2017)
    kw = dict(
        user=p.finance_a,
        area=started.area,
        year=2017,
        partner=started.council,
        source=started.dfg_source,
        amount=Decimal("1250000"),
    )
    with pytest.raises(PlanRefused, match="give the reason"):
        services.save_contribution(**kw)
    assert Contribution.objects.get(financial_year=2017, source=started.dfg_source).amount == Decimal("1200000")
    saved = services.save_contribution(**kw, reason="DFG allocation confirmed at £1.25m")
    assert saved.history.first().history_change_reason == "DFG allocation confirmed at £1.25m"
