"""The task list on each person's home page: plans to submit or agree, quarters, monthly returns, with due dates
from the area's timetable."""

import datetime

from bcf_dashboard.core import tasks
from bcf_dashboard.core.models import QuarterReturn
from bcf_dashboard.planning import workflow
from bcf_dashboard.planning.rollforward import start_year
from tests.support import builders

TODAY = datetime.date(2017, 8, 10)


def whats(user, today=TODAY):
    return [(t.what, t.due, t.overdue) for t in tasks.tasks_for(user, today=today)]


def test_working_days_skip_weekends():
    # April 2017 ends on Sunday 30th: 15 working days later is Friday 19 May (bank holidays not counted out).
    assert tasks.add_working_days(datetime.date(2017, 4, 30), 15) == datetime.date(2017, 5, 19)


def test_a_plan_is_the_finance_officers_then_the_approvers(bromley):
    p = bromley.personas
    start_year(user=p.finance_a, area=bromley.area, year=2017)
    assert whats(p.finance_a, datetime.date(2017, 3, 1)) == [
        ("Submit the 2017/18 plan", datetime.date(2017, 4, 1), False)
    ]
    assert whats(p.approver_a) == []
    workflow.submit(user=p.finance_a, area=bromley.area, year=2017)
    assert whats(p.finance_a) == []
    assert [w for w, _, _ in whats(p.approver_a)] == ["Agree or send back the 2017/18 plan"]
    workflow.send_back(user=p.approver_a, area=bromley.area, year=2017, reason="Profile A1 by last year's actuals")
    sent_back = tasks.tasks_for(p.finance_a, today=TODAY)[0]
    assert sent_back.detail == "Sent back: Profile A1 by last year's actuals"
    assert whats(p.commissioner_a) == [] and whats(p.user_b) == []


def test_returns_and_quarters_after_agreement(bromley):
    p = bromley.personas
    start_year(user=p.finance_a, area=bromley.area, year=2017)
    workflow.submit(user=p.finance_a, area=bromley.area, year=2017)
    workflow.agree(user=p.approver_a, area=bromley.area, year=2017)
    bromley.area.returns_due_working_days = 10
    bromley.area.save()
    builders.scheme(bromley.area, "A1", 2017, 1_200_000, actual=[100_000])  # April's return is in
    found = whats(p.finance_a)
    assert ("Enter May 2017's figures", datetime.date(2017, 6, 14), True) in found
    assert not any("April 2017" in w for w, _, _ in found)
    assert ("Submit Q1 2017/18", datetime.date(2017, 7, 30), True) in found
    QuarterReturn.objects.create(
        area=bromley.area, financial_year=2017, quarter=1, state="submitted", submitted_by=p.finance_a
    )
    assert ("Approve Q1 2017/18", datetime.date(2017, 8, 6), True) in whats(p.approver_a)


def test_the_home_page_lists_them(client, bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    client.force_login(bromley.personas.finance_a)
    page = client.get("/").content.decode()
    assert "Yours to do" in page and "Submit the 2017/18 plan" in page
    client.force_login(bromley.personas.hwb_a)
    assert "Yours to do" not in client.get("/").content.decode()


def test_a_quarter_awaiting_approval_is_listed_once_on_the_home_page_with_its_due_date(client, bromley):
    p = bromley.personas
    start_year(user=p.finance_a, area=bromley.area, year=2017)
    workflow.submit(user=p.finance_a, area=bromley.area, year=2017)
    workflow.agree(user=p.approver_a, area=bromley.area, year=2017)
    QuarterReturn.objects.create(
        area=bromley.area, financial_year=2017, quarter=1, state="submitted", submitted_by=p.finance_a
    )
    assert "Approve Q1 2017/18" in [t.what for t in tasks.tasks_for(p.approver_a)]  # the cycle's task is there
    client.force_login(p.approver_a)
    page = client.get("/").content.decode()
    assert "Awaiting your approval (1)" in page and page.count("Q1 2017/18") == 1
    assert "Approve Q1 2017/18" not in page  # not again under "Yours to do"
    assert (
        "<strong>overdue</strong>, was due 6 Aug 2017" in page.split('id="awaiting-heading"')[1].split("</section>")[0]
    )
