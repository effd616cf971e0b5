"""Property-based test of the sign-off page's steps: anything posted is one whole step or nothing."""

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st

from bcf_dashboard.core.models import AreaYearPlan, QuarterReturn, QuarterReturnEvent
from bcf_dashboard.quarterly.models import QuarterSummarySnapshot
from bcf_dashboard.signoff.services import STEPS, take_step
from bcf_dashboard.signoff.views import AGREE_PLAN
from tests.support.fuzzing import IMG, SCRIPT, assert_escaped, fewer, fingerprint, hostile, markup, rolled_back

URL = "/areas/E09000006/sign-off/2017/"
SIGNED_OFF = (QuarterReturn, QuarterReturnEvent, AreaYearPlan, QuarterSummarySnapshot)


@pytest.fixture
def quarters(personas):
    """2017/18 in every state: Q1 submitted, Q2 approved, Q3 locked, Q4 open."""
    p = personas
    for quarter, actions in ((1, ["submit"]), (2, ["submit", "approve"]), (3, ["submit", "approve", "lock"])):
        for action in actions:
            take_step(
                user=p.finance_a if action == "submit" else p.approver_a,
                area=p.area_a,
                financial_year=2017,
                quarter=quarter,
                action=action,
            )
    return personas


# The steps each quarter of the fixture can take, and who may take them.
POSSIBLE = [
    ("finance_a", "submit", "4"),
    ("approver_a", "approve", "1"),
    ("approver_a", "send_back", "1"),
    ("approver_a", "lock", "2"),
    ("approver_a", "reopen", "2"),
    ("approver_a", "reopen", "3"),
    ("approver_a", AGREE_PLAN, ""),
]
ANYONE = st.sampled_from(["finance_a", "approver_a"])
ACTIONS = st.sampled_from([*STEPS, AGREE_PLAN])
QUARTERS = st.sampled_from(["1", "2", "3", "4"])
REASON = st.one_of(st.just(""), hostile, markup)
# Half the posts are steps the quarter can take (so steps are taken, not only refused), half anything.
POSTS = st.booleans().flatmap(
    lambda possible: (
        st.tuples(st.sampled_from(POSSIBLE), REASON)
        if possible
        else st.tuples(st.tuples(ANYONE, st.one_of(ACTIONS, hostile), st.one_of(QUARTERS, hostile)), REASON)
    )
)


@fewer()
@given(post=POSTS)
@example(post=(("approver_a", "send_back", "1"), "\x00"))  # PostgreSQL text cannot hold NUL
@example(post=(("approver_a", "reopen", "3"), f"{SCRIPT}{IMG}"))
def test_a_step_is_taken_whole_with_its_reason_or_not_at_all(client, quarters, post):
    (who, action, quarter), reason = post
    user = getattr(quarters, who)
    with rolled_back():
        client.force_login(user)
        before = fingerprint(*SIGNED_OFF)
        response = client.post(URL, {"action": action, "quarter": quarter, "reason": reason})
        after = fingerprint(*SIGNED_OFF)
        event(f"{response.status_code} {'nothing' if after == before else action}")
        if after == before:
            assert_escaped(response if response.status_code != 302 else client.get(URL))
            return
        assert response.status_code == 302
        if action == AGREE_PLAN:
            plan = AreaYearPlan.objects.get(area=quarters.area_a, financial_year=2017)
            assert plan.agreed and plan.agreed_by == user
            assert after[QuarterReturnEvent._meta.label] == before[QuarterReturnEvent._meta.label]
        else:
            step = STEPS[action]
            new = QuarterReturnEvent.objects.exclude(pk__in=[row[0] for row in before[QuarterReturnEvent._meta.label]])
            assert [(e.action, e.user, e.reason, e.quarter_return.quarter) for e in new] == [
                (action, user, reason.strip(), int(quarter))
            ]
            assert (
                QuarterReturn.objects.get(area=quarters.area_a, financial_year=2017, quarter=int(quarter)).state
                == step.to_state
            )
        assert_escaped(client.get(URL))
