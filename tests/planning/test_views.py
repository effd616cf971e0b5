"""The plan pages: start a year, add and profile a scheme, submit, agree as another person; bad input
writes nothing; the workbook's upload shows every change before it applies."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from bcf_dashboard.core.models import AreaYearPlan
from bcf_dashboard.planning.rollforward import start_year
from bcf_dashboard.planning.workbook import plan_workbook
from schemes.models import Scheme, SchemeValue, SchemeYear

PLAN = "/areas/E09000006/plan/2017/"
SCHEME = dict(
    ref="C3",
    name="Falls prevention",
    scheme_type="prevention",
    area_of_spend="community_health",
    commissioner="joint",
    la_share_pct="40",
    nhs_share_pct="60",
    provider_name="Bromley Healthcare",
    is_new="on",
    description="Strength and balance classes",
    budget="120000",
)


def test_the_journey_start_add_profile_submit_agree(client, bromley):
    p = bromley.personas
    client.force_login(p.finance_a)
    response = client.post("/areas/E09000006/plan/", {"year": "2017", "how": "roll_forward"})
    assert response["Location"] == PLAN
    assert "Contributions meet the NHS minimum" in client.get(PLAN).content.decode()
    response = client.post(PLAN + "expenditure/new/", dict(SCHEME, funding_source=bromley.nhs_source.id))
    assert response.status_code == 302, response.content.decode()
    assert SchemeYear.objects.get(scheme__ref="C3", financial_year=2017).budget == Decimal(120000)
    client.post(PLAN + "expenditure/C3/profile/", {"how": "even"})
    assert SchemeValue.objects.filter(scheme__ref="C3", kind="plan").count() == 12
    assert "Falls prevention" in client.get(PLAN + "expenditure/").content.decode()
    client.post(PLAN, {"action": "submit"})
    assert AreaYearPlan.objects.get(financial_year=2017).state == "submitted"
    client.force_login(p.approver_a)
    client.post(PLAN, {"action": "agree"})
    assert AreaYearPlan.objects.get(financial_year=2017).agreed
    assert "Agreed by approver_a" in client.get(PLAN).content.decode()


def test_a_split_that_does_not_add_up_is_refused_and_nothing_is_written(client, bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    client.force_login(bromley.personas.finance_a)
    response = client.post(
        PLAN + "expenditure/new/", dict(SCHEME, nhs_share_pct="50", funding_source=bromley.nhs_source.id)
    )
    assert response.status_code == 400
    assert "The split adds up to 90%" in response.content.decode()
    assert not Scheme.objects.filter(ref="C3").exists()


def test_approving_ones_own_submission_is_refused_on_the_page(client, bromley):
    from bcf_dashboard.core.models import Membership

    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    Membership.objects.create(user=bromley.personas.finance_a, area=bromley.area, role="approver")
    client.force_login(bromley.personas.finance_a)
    client.post(PLAN, {"action": "submit"})
    response = client.post(PLAN, {"action": "agree"})
    assert response.status_code == 409 and "another approver must agree it" in response.content.decode()
    assert not AreaYearPlan.objects.get(financial_year=2017).agreed


@pytest.mark.parametrize("who", ["commissioner_a", "hwb_a", "approver_a"])
def test_only_finance_officers_change_the_plan(client, bromley, who):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    client.force_login(getattr(bromley.personas, who))
    assert client.get(PLAN + "income/").status_code == 200
    response = client.post(
        PLAN + "income/", {"partner": bromley.council.id, "source": bromley.dfg_source.id, "amount": "1"}
    )
    assert response.status_code == 404


def test_the_workbook_upload_previews_then_applies(client, bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    book = load_workbook(io.BytesIO(plan_workbook(bromley.area, 2017)))
    book["Expenditure"]["H2"] = 1_300_000
    out = io.BytesIO()
    book.save(out)
    client.force_login(bromley.personas.finance_a)
    upload = io.BytesIO(out.getvalue())
    upload.name = "plan.xlsx"
    response = client.post(PLAN + "workbook/", {"workbook": upload})
    page = response.content.decode()
    assert "A1 budget £1,200,000 → £1,300,000" in page
    assert SchemeYear.objects.get(scheme__ref="A1", financial_year=2017).budget == Decimal(1_200_000)
    digest = response.context["digest"]
    client.post(PLAN + "workbook/", {"confirm": "1", "digest": digest})
    assert SchemeYear.objects.get(scheme__ref="A1", financial_year=2017).budget == Decimal(1_300_000)


def test_a_bad_workbook_lists_its_errors(client, bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    book = load_workbook(io.BytesIO(plan_workbook(bromley.area, 2017)))
    book["Expenditure"]["H2"] = "lots"
    out = io.BytesIO()
    book.save(out)
    upload = io.BytesIO(out.getvalue())
    upload.name = "plan.xlsx"
    client.force_login(bromley.personas.finance_a)
    response = client.post(PLAN + "workbook/", {"workbook": upload})
    assert response.status_code == 400
    assert "Expenditure!H2: &#x27;lots&#x27; is not a number" in response.content.decode()


def test_the_workbook_downloads_for_readers(client, bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    client.force_login(bromley.personas.hwb_a)
    response = client.get(PLAN + "workbook.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="plan-E09000006-2017-18.xlsx"'
    assert load_workbook(io.BytesIO(response.content))["Cover"]["B4"].value == "2017/18"


def test_the_history_page_shows_a_revision_and_its_reason(client, bromley):
    from bcf_dashboard.planning import workflow

    p = bromley.personas
    start_year(user=p.finance_a, area=bromley.area, year=2017)
    workflow.submit(user=p.finance_a, area=bromley.area, year=2017)
    workflow.agree(user=p.approver_a, area=bromley.area, year=2017)
    client.force_login(p.finance_a)
    response = client.post(
        PLAN + "income/",
        {"partner": bromley.council.id, "source": bromley.dfg_source.id, "amount": "1250000", "reason": ""},
    )
    assert response.status_code == 400 and "give the reason for this revision" in response.content.decode()
    client.post(
        PLAN + "income/",
        {
            "partner": bromley.council.id,
            "source": bromley.dfg_source.id,
            "amount": "1250000",
            "reason": "DFG allocation confirmed",
        },
    )
    history = client.get("/areas/E09000006/history/").content.decode()
    assert "DFG allocation confirmed" in history


@pytest.mark.parametrize("path", ["", "expenditure/", "income/", "metrics/", "risk-share/", "workbook.xlsx"])
def test_the_plan_pages_take_the_same_queries_for_more_schemes(client, bromley, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.support import builders

    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    client.force_login(bromley.personas.finance_a)

    def count():
        client.get(PLAN + path)  # warm: the digest and the page cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(PLAN + path).status_code == 200
        return len(queries)

    few = count()
    for ref in ("D1", "D2", "D3", "D4"):
        builders.scheme(bromley.area, ref, 2017, 1000, plan=[100] * 10, funding=bromley.nhs_source)
    assert count() == few


def test_an_activity_plan_by_month(client, bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    client.force_login(bromley.personas.finance_a)
    response = client.post(PLAN + "expenditure/A1/activity/", {"months_given": "12", "a1": "40", "a2": "-1"})
    assert response.status_code == 400 and not SchemeValue.objects.filter(measure="activity").exists()
    client.post(PLAN + "expenditure/A1/activity/", {"months_given": "12", **{f"a{n}": "40" for n in range(1, 13)}})
    assert SchemeValue.objects.filter(scheme__ref="A1", measure="activity", kind="plan").count() == 12
    assert 'value="40' in client.get(PLAN + "expenditure/A1/").content.decode()


def test_the_plans_page_lists_a_year_loaded_with_budgets_and_does_not_offer_to_start_it(client, bromley):
    """2016/17 has budgets and contributions but no stored plan state (it came from the seed documents):
    it is a started year, read as a draft, and only the years not yet started are offered."""
    client.force_login(bromley.personas.finance_a)
    page = client.get("/areas/E09000006/plan/").content.decode()
    assert "No year has a plan yet" not in page
    assert '<a href="/areas/E09000006/plan/2016/">2016/17</a>: draft' in page
    offered = page.split('<select id="id_year" name="year">')[1].split("</select>")[0]
    assert '<option value="2016"' not in offered and '<option value="2017" selected>' in offered
    assert "2017/18 plan" not in page  # a year not started is neither in the caption nor the breadcrumb
