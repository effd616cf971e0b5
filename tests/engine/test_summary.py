"""The area-year summary against figures worked out by hand (Westminster 2017/18, seed 002)."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bcf_dashboard.core.models import Membership
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import area_year_summary
from tests.support import builders as b
from tests.support.personas import make_user

NEA_PLAN = [1260, 1259, 1291, 1302, 1265, 1241, 1294, 1209, 1271, 1243, 1192, 1260]  # published; sums to 15,087
NEA_ACTUAL = [1250, 1248, 1280, 1295, 1250, 1227]  # Apr-Sep: 7,550
DTOC_PLAN = [9.43, 9.11, 8.78, 8.46, 8.13, 7.81, 7.49, 7.16, 6.84, 6.51, 6.19, 5.86]
DTOC_ACTUAL = [9.5, 9.0, 8.9, 8.5, 8.3]  # Apr-Aug


def months(year, values):
    from bcf_dashboard.core import periods

    return {periods.month(year, n).code: v for n, v in enumerate(values, start=1)}


@pytest.fixture
def westminster(db):
    area = b.area()
    nea, dtoc, res, rea = (b.metric(code) for code in ("NEA", "DTOC", "RES", "REA"))
    b.metric_values(area, nea, "plan", {**months(2017, NEA_PLAN), "2017/18": 15088})
    b.metric_values(area, nea, "actual", months(2017, NEA_ACTUAL))
    b.metric_values(area, dtoc, "plan", months(2017, DTOC_PLAN))
    b.metric_values(area, dtoc, "actual", months(2017, DTOC_ACTUAL))
    b.population(area, 2017, "65+", 31000)
    b.metric_values(area, res, "plan", {"2017/18": "102.703"})  # 331.3 per 100,000 of 31,000
    b.metric_values(area, res, "actual", {"2017/18-Q1": 25, "2017/18-Q2": 27})
    b.metric_values(area, rea, "plan", {"2017/18": 90})
    b.scheme(
        area, "A1", 2017, "1200000", plan=[100000] * 12, actual=[100000, 101000, "99500.50", 100000, 102000, 100000]
    )
    b.scheme(area, "D4", 2017, "60000", actual=[5000, 5000, 5000])
    c2 = b.scheme(area, "C2", 2017, "100000", plan=["8333.33"] * 11 + ["8333.37"])
    c2.years.update(forecast_override=Decimal(90000), forecast_reason="QIPP savings agreed in September")
    b.requirement(area, 2016, "7944000")
    b.requirement(area, 2017, "8086075")
    b.uplift(2017, "1.79")
    b.contribution(area, 2017, "8086075")
    return area


def test_metrics_match_the_hand_worked_figures(westminster):
    doc = summary_document(area_year_summary(westminster, 2017))
    nea, dtoc, res, rea = (next(m for m in doc["metrics"] if m["code"] == c) for c in ("NEA", "DTOC", "RES", "REA"))
    assert (nea["as_of"], nea["plan_year"], nea["stated_plan_year"]) == ("2017-09", 15087, 15088)
    assert (nea["plan_ytd"], nea["actual_ytd"], nea["variance_ytd"], nea["variance_pct"]) == (7618, 7550, -68, -0.89)
    assert nea["status"] == "on_track"
    assert len(nea["months"]) == 12 and nea["months"][0] == {"period": "2017-04", "plan": 1260, "actual": 1250}
    assert nea["months"][11] == {"period": "2018-03", "plan": 1260, "actual": None}
    # DTOC is a mean: (9.43+9.11+8.78+8.46+8.13)/5 = 8.782 planned, 8.84 actual, worse by 0.66% (within 2%).
    assert (dtoc["as_of"], dtoc["plan_ytd"], dtoc["actual_ytd"], dtoc["variance_pct"]) == ("2017-08", 8.78, 8.84, 0.66)
    assert dtoc["status"] == "at_risk"
    # RES from counts: 102.703 a year pro-rated to 51.3515 by September; 52 actual; over 31,000 people 65+.
    assert (res["as_of"], res["plan_year"], res["plan_ytd"], res["actual_ytd"]) == ("2017-09", 331.3, 165.65, 167.74)
    assert res["counts"] == {"plan_year": 102.7, "stated_plan_year": 102.7, "plan_ytd": 51.35, "actual_ytd": 52}
    assert res["status"] == "at_risk" and res["quarters"][0]["period"] == "2017/18-Q1"
    assert (rea["as_of"], rea["plan_year"], rea["plan_ytd"], rea["status"]) == (None, 90, None, "no_data")
    assert doc["as_of"] == "2017-09"


def test_a_metric_month_without_an_actual_is_missing_not_compared_with_its_plan(westminster):
    """June's NEA actual not in: the plan to date covers the five months that have an actual (as a
    scheme's spend does), so the gap cannot make admissions look 1,291 lower than planned."""
    from metrics.models import MetricValue

    MetricValue.objects.filter(area=westminster, metric__code="NEA", kind="actual", period__code="2017-06").delete()
    doc = summary_document(area_year_summary(westminster, 2017))
    nea = next(m for m in doc["metrics"] if m["code"] == "NEA")
    plan = sum(NEA_PLAN[:6]) - NEA_PLAN[2]  # Apr-Sep less June: 6,327
    actual = sum(NEA_ACTUAL) - NEA_ACTUAL[2]  # 6,270
    assert (nea["as_of"], nea["plan_ytd"], nea["actual_ytd"]) == ("2017-09", plan, actual)
    assert (nea["variance_ytd"], nea["variance_pct"]) == (actual - plan, -0.9)  # -57 of 6,327
    assert {"measure": "NEA", "months": ["2017-06"]} in doc["completeness"]["missing"]


def test_spend_and_forecast_match_the_hand_worked_figures(westminster):
    spend = summary_document(area_year_summary(westminster, 2017))["spend"]
    assert spend["as_of"] == "2017-09"
    # Each scheme over its own months: A1 Apr-Sep, D4 Apr-Jun, C2 none (its plan is not compared with zero).
    assert (spend["budget"], spend["plan_ytd"], spend["actual_ytd"]) == ("1360000.00", "615000.00", "617500.50")
    assert (spend["forecast_outturn"], spend["forecast_variance"]) == ("1352500.50", "-7499.50")
    by_ref = {s["ref"]: s for s in spend["schemes"]}
    assert by_ref["A1"]["forecast_outturn"] == "1202500.50"  # actual to date + planned Oct-Mar
    assert (by_ref["A1"]["as_of"], by_ref["A1"]["missing"]) == ("2017-09", [])
    assert by_ref["D4"]["plan_ytd"] == "15000.00"  # no profile: budget spread evenly, Apr-Jun
    # D4's Jul-Sep are missing, not zero: its forecast keeps their plan (£15,000 + nine months of £5,000).
    assert (by_ref["D4"]["as_of"], by_ref["D4"]["forecast_outturn"]) == ("2017-06", "60000.00")
    assert by_ref["D4"]["missing"] == ["2017-07", "2017-08", "2017-09"]
    assert (by_ref["C2"]["forecast_outturn"], by_ref["C2"]["forecast_overridden"]) == ("90000.00", True)
    assert (by_ref["C2"]["as_of"], by_ref["C2"]["plan_ytd"], by_ref["C2"]["status"]) == (None, None, "no_data")


def test_checks_catch_the_published_slips(westminster):
    checks = {c["name"]: c for c in summary_document(area_year_summary(westminster, 2017))["funding"]["checks"]}
    uplift = checks["NHS minimum rose by at least the year's uplift"]
    assert uplift["passed"] is False and "£122.60 short" in uplift["detail"]
    nea = checks["NEA monthly plan agrees with the stated annual figure"]
    assert nea["passed"] is False and "15,087" in nea["detail"] and "15,088" in nea["detail"]
    assert "difference -1" in nea["detail"]
    assert checks["Contributions meet the NHS minimum"]["passed"] is True
    assert checks["Monthly spend profiles add up to budgets"]["passed"] is True
    assert checks["Planned spend from NHS minimum contribution is within income"]["passed"] is True


def test_uplift_within_a_pound_of_rounding_passes(db):
    # Kensington and Chelsea: £5,279,060 x 1.0179 = £5,373,555.17; the plan states £5,373,555.
    area = b.area("E09000020", "Kensington and Chelsea")
    b.requirement(area, 2016, "5279060")
    b.requirement(area, 2017, "5373555")
    b.uplift(2017, "1.79")
    checks = summary_document(area_year_summary(area, 2017))["funding"]["checks"]
    assert [c["passed"] for c in checks if c["name"].startswith("NHS minimum rose")] == [True]


def test_keys_that_do_not_apply_are_null_and_money_is_a_string(westminster):
    doc = summary_document(area_year_summary(westminster, 2017))
    assert set(doc["risk_share"]) >= {
        "value_at_risk",
        "contingency",
        "contingency_share_pct",
        "risk_beyond_contingency",
        "excess_admissions_ytd",
        "excess_cost_ytd",
        "contingency_drawn",
        "contingency_remaining",
        "uncovered_cost",
    }
    assert all(v is None for v in doc["risk_share"].values())
    assert doc["funding"]["total"] == "8086075.00"
    assert doc["funding"]["contributions"][0] == {
        "source": "NHS minimum contribution",
        "partner": "NHS Central London CCG",
        "amount": "8086075.00",
    }
    empty = summary_document(area_year_summary(westminster, 2019))
    assert empty["as_of"] is None and empty["spend"]["as_of"] is None and empty["spend"]["budget"] == "0.00"
    assert all(m["status"] == "no_data" for m in empty["metrics"])


def test_risk_share_follows_admissions_over_plan(westminster):
    ccg = b.partner("09A", "NHS Central London CCG", "ccg")
    la = b.partner("LA-E09000033", "Westminster City Council", "la")
    b.risk_terms(westminster, 2017, reduction=200, cost="1500", contingency="100000", splits=[(ccg, 60), (la, 40)])
    b.metric_values(westminster, b.metric("NEA"), "actual", months(2017, [1360, 1259, 1291, 1302, 1265, 1241]))
    risk = summary_document(area_year_summary(westminster, 2017))["risk_share"]
    # 100 admissions over plan in April: £150,000, of which the contingency covers £100,000.
    assert (risk["value_at_risk"], risk["contingency"], risk["contingency_share_pct"]) == (
        "300000.00",
        "100000.00",
        33.33,
    )
    assert risk["risk_beyond_contingency"] == "200000.00"
    assert (risk["excess_admissions_ytd"], risk["excess_cost_ytd"]) == (100, "150000.00")
    assert (risk["contingency_drawn"], risk["contingency_remaining"], risk["uncovered_cost"]) == (
        "100000.00",
        "0.00",
        "50000.00",
    )
    assert [p["amount"] for p in risk["uncovered_by_partner"]] == ["30000.00", "20000.00"]
    assert [q["quarter"] for q in risk["quarters"]] == ["Q1", "Q2"]
    assert risk["performance_fund"] is None


def test_a_missing_nea_month_does_not_count_as_admissions_avoided(westminster):
    """April is 100 admissions over plan; with May's actual not in, May's plan is left out too, rather
    than counting May's 1,259 planned admissions as avoided and the excess as gone."""
    from metrics.models import MetricValue

    ccg = b.partner("09A", "NHS Central London CCG", "ccg")
    b.risk_terms(westminster, 2017, reduction=200, cost="1500", contingency="100000", splits=[(ccg, 100)])
    b.metric_values(westminster, b.metric("NEA"), "actual", months(2017, [1360, 1259, 1291, 1302, 1265, 1241]))
    MetricValue.objects.filter(area=westminster, metric__code="NEA", kind="actual", period__code="2017-05").delete()
    risk = summary_document(area_year_summary(westminster, 2017))["risk_share"]
    assert (risk["excess_admissions_ytd"], risk["excess_cost_ytd"]) == (100, "150000.00")
    assert risk["uncovered_cost"] == "50000.00"


def test_a_quarter_with_a_month_missing_releases_nothing_and_has_no_position(westminster):
    """Q2's admissions not returned (July, August, September) while October's are: the fund releases
    Q1's money only, and the quarters' positions are Q1's, named by the months they run to."""
    from metrics.models import MetricValue

    ccg = b.partner("09A", "NHS Central London CCG", "ccg")
    b.risk_terms(
        westminster, 2017, reduction=400, cost="1000", contingency="0", splits=[(ccg, 100)], performance_fund=True
    )
    b.metric_values(westminster, b.metric("NEA"), "actual", months(2017, [1200] * 7))
    MetricValue.objects.filter(
        area=westminster, metric__code="NEA", kind="actual", period__code__in=["2017-07", "2017-08", "2017-09"]
    ).delete()
    risk = summary_document(area_year_summary(westminster, 2017))["risk_share"]
    assert [q["quarter"] for q in risk["performance_fund"]] == ["Q1"]
    assert [q["quarter"] for q in risk["quarters"]] == ["Q1"]
    MetricValue.objects.filter(area=westminster, metric__code="NEA", kind="actual", period__code="2017-04").delete()
    risk = summary_document(area_year_summary(westminster, 2017))["risk_share"]
    assert risk["performance_fund"] == [] and risk["quarters"] == []  # April missing: nothing is in


def summary_queries(area, year):
    with CaptureQueriesContext(connection) as ctx:
        summary_document(area_year_summary(area, year))
    return len(ctx.captured_queries)


@pytest.mark.parametrize("size", [5, 100])
def test_query_count_does_not_grow_with_schemes_or_months(db, size):
    area = b.area("E09000013", "Hammersmith and Fulham")
    for n in range(size):
        b.scheme(area, f"S{n}", 2017, "12000", plan=[1000] * 12, actual=[1000] * (n % 12 + 1))
    b.metric_values(area, b.metric("NEA"), "plan", months(2017, NEA_PLAN))
    b.metric_values(area, b.metric("NEA"), "actual", months(2017, NEA_ACTUAL[: 1 + size % 6]))
    baseline = b.area("E09000020", "Kensington and Chelsea")
    b.scheme(baseline, "A1", 2017, "12000", plan=[1000] * 12, actual=[1000])
    assert summary_queries(area, 2017) == summary_queries(baseline, 2017)


def test_api_serves_the_summary_to_the_areas_people_only(client, westminster, personas):
    url = reverse("summary_json", args=["E09000033", 2017])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(personas.finance_a)  # a Bromley finance officer
    assert client.get(url).status_code == 404
    for role in Membership.Role:
        member = make_user(f"westminster_{role}", area=westminster, role=role)
        client.force_login(member)
        response = client.get(url)
        assert response.status_code == 200, role
        assert response.json()["area"] == {"code": "E09000033", "name": "Westminster"}
    client.force_login(personas.staff)
    assert client.get(url).status_code == 200
    assert client.get(reverse("summary_json", args=["E09999999", 2017])).status_code == 404


def test_command_prints_the_same_document(westminster, capsys, client, personas):
    call_command("export_summary", "E09000033", "2017/18")
    printed = json.loads(capsys.readouterr().out)
    client.force_login(personas.staff)
    assert printed == client.get(reverse("summary_json", args=["E09000033", 2017])).json()
    assert printed["financial_year"] == "2017/18"


@pytest.mark.parametrize(
    "year, error",
    [("9999", "9999 is not a financial year the product keeps (2000 to 2099)"), ("2017-18x", "2017-18x")],
)
def test_the_command_refuses_a_year_it_does_not_keep_in_plain_words(westminster, year, error):
    with pytest.raises(CommandError) as raised:
        call_command("export_summary", "E09000033", year)
    assert error in str(raised.value) and "Traceback" not in str(raised.value)


def test_the_command_reads_an_area_code_in_any_case(westminster, capsys):
    call_command("export_summary", " e09000033 ", "2017")
    assert json.loads(capsys.readouterr().out)["area"]["code"] == "E09000033"


def test_a_quarter_is_summarised_as_it_stood_at_its_end(westminster):
    # Through June (Q1): NEA April-June 1,250 + 1,248 + 1,280 = 3,778 against 3,810 planned.
    doc = summary_document(area_year_summary(westminster, 2017, through=3))
    nea = next(m for m in doc["metrics"] if m["code"] == "NEA")
    assert (nea["as_of"], nea["plan_ytd"], nea["actual_ytd"]) == ("2017-06", 3810, 3778)
    assert nea["months"][3]["actual"] is None  # July's actual is after the quarter
    res = next(m for m in doc["metrics"] if m["code"] == "RES")
    assert res["counts"]["actual_ytd"] == 25  # Q1 only; Q2's 27 is later
    spend = doc["spend"]
    assert (spend["as_of"], spend["actual_ytd"]) == ("2017-06", "315500.50")  # A1 300,500.50 + D4 15,000 + C2 0
    assert doc["as_of"] == "2017-06"


@pytest.mark.parametrize("year", [9999, 0, 1999, 2101])
def test_api_answers_404_for_a_year_out_of_range_not_a_server_error(client, personas, year):
    client.force_login(personas.staff)
    response = client.get(f"/api/areas/E09000006/{year}/summary.json")
    assert response.status_code == 404


def test_completeness_lists_what_is_missing_with_each_metrics_lag(westminster):
    """Spend runs to September (month 6). NEA and DTOC are due two months after the month they describe, so
    April to July's figures are due; RES is planned for the year and REA reported once a year: not due yet."""
    from bcf_dashboard.core.models import Period
    from metrics.models import MetricValue

    MetricValue.objects.filter(
        area=westminster, metric__code="NEA", kind="actual", period=Period.objects.get(code="2017-06")
    ).delete()
    MetricValue.objects.filter(
        area=westminster, metric__code="DTOC", kind="actual", period__code__in=["2017-05", "2017-08"]
    ).delete()
    completeness = summary_document(area_year_summary(westminster, 2017))["completeness"]
    assert completeness["through"] == "2017-09"
    assert (completeness["schemes_expected"], completeness["schemes_reported"]) == (3, 1)  # A1 of A1, D4, C2
    assert completeness["missing"] == [
        {"measure": "spend:C2", "months": ["2017-04", "2017-05", "2017-06", "2017-07", "2017-08", "2017-09"]},
        {"measure": "spend:D4", "months": ["2017-07", "2017-08", "2017-09"]},
        {"measure": "DTOC", "months": ["2017-05"]},  # August's figure is not due until October
        {"measure": "NEA", "months": ["2017-06"]},
    ]


def test_completeness_holds_nulls_before_any_spend(db):
    area = b.area()
    b.metric_values(area, b.metric("NEA"), "plan", {"2017-04": 100})
    completeness = summary_document(area_year_summary(area, 2017))["completeness"]
    assert completeness == {"through": None, "schemes_expected": None, "schemes_reported": None, "missing": []}
