"""The planning beat in a browser: start 2017/18 for Bromley, add a scheme, profile it, submit, agree as
another person, then enter April's actuals."""

from decimal import Decimal

import pytest

from bcf_dashboard.core.models import AreaYearPlan
from schemes.models import SchemeValue, SchemeYear
from tests.browser.conftest import sign_in
from tests.planning.conftest import bromley  # noqa: F401  (fixture)
from tests.support.personas import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_start_add_profile_submit_agree_then_enter_april(page, live_server, bromley):  # noqa: F811
    url = live_server.url
    sign_in(page, live_server, "finance_a", PASSWORD)
    page.goto(f"{url}/areas/E09000006/plan/")
    assert page.get_by_label("Financial year").input_value() == "2017"
    page.get_by_role("button", name="Start the year").click()
    page.wait_for_url("**/plan/2017/")
    assert "2017/18 is started as a draft plan." in page.locator("main").inner_text()
    assert "Contributions meet the NHS minimum" in page.locator("main").inner_text()

    page.get_by_role("link", name="Expenditure").first.click()
    page.get_by_role("link", name="Add a scheme").click()
    page.get_by_label("Scheme reference").fill("C3")
    page.get_by_label("Scheme name").fill("Falls prevention")
    page.get_by_label("Scheme type").select_option(label="Prevention")
    page.get_by_label("Area of spend").select_option(label="Community health")
    page.locator("#id_commissioner").select_option(label="Joint")
    page.get_by_label("LA share %").fill("40")
    page.get_by_label("NHS share %").fill("60")
    page.get_by_label("Source of funding").select_option(label="NHS minimum contribution")
    page.get_by_label("Budget for the year (£)").fill("120000")
    page.get_by_role("button", name="Save the scheme").click()
    page.wait_for_url("**/expenditure/C3/")
    page.get_by_label("Spread evenly over the twelve months").check()
    page.get_by_role("button", name="Save the profile").click()
    assert "C3's monthly profile is saved." in page.locator("main").inner_text()
    assert SchemeValue.objects.filter(scheme__ref="C3", kind="plan").count() == 12

    page.goto(f"{url}/areas/E09000006/plan/2017/")
    page.get_by_role("button", name="Submit the plan for approval").click()
    assert "The plan is submitted" in page.locator("main").inner_text()
    page.context.clear_cookies()

    sign_in(page, live_server, "approver_a", PASSWORD)
    assert "Agree or send back the 2017/18 plan" in page.locator("main").inner_text()
    page.get_by_role("link", name="Agree or send back the 2017/18 plan").click()
    page.get_by_role("button", name="Agree the plan").click()
    assert "The plan is agreed" in page.locator("main").inner_text()
    assert AreaYearPlan.objects.get(financial_year=2017).agreed_by.username == "approver_a"
    page.context.clear_cookies()

    sign_in(page, live_server, "finance_a", PASSWORD)
    page.goto(f"{url}/areas/E09000006/entry/2017-04/")
    page.get_by_label("C3", exact=False).first.fill("10,000")
    page.get_by_role("button", name="Save figures").click()
    page.wait_for_load_state()
    assert SchemeValue.objects.get(scheme__ref="C3", kind="actual", period__code="2017-04").value == Decimal(10000)
    assert SchemeYear.objects.get(scheme__ref="C3", financial_year=2017).budget == Decimal(120000)
