"""The summary on the demo data reproduces the seed documents' figures."""

import pytest
from django.core.management import call_command

from bcf_dashboard.core.models import Area
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import area_year_summary


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))


def document(code, year):
    return summary_document(area_year_summary(Area.objects.get(code=code), year))


def metric(doc, code):
    return next(m for m in doc["metrics"] if m["code"] == code)


def test_bromley_2016_17_risk_share_and_plan(demo):
    doc = document("E09000006", 2016)
    risk = doc["risk_share"]
    # Section 12 and Figure 10: £1.323m contingency against 825 admissions worth £2,306,227;
    # 57% of the risk, and the CCG's reserves cover the outstanding £983,227.
    assert (risk["value_at_risk"], risk["contingency"], risk["contingency_share_pct"]) == (
        "2306227.00",
        "1323000.00",
        57.37,
    )
    assert risk["risk_beyond_contingency"] == "983227.00"
    nea = metric(doc, "NEA")
    assert (nea["plan_year"], nea["stated_plan_year"]) == (25758, 25758)  # Figure 9
    assert metric(doc, "DTOC")["stated_plan_year"] == 265.6
    assert metric(doc, "REA")["stated_plan_year"] == 93.6
    assert metric(doc, "RES")["counts"]["stated_plan_year"] == 283
    assert doc["funding"]["total"] == "21611000.00"  # the minimum allocation
    assert doc["spend"]["budget"] == "21611000.00"
    checks = {c["name"]: c for c in doc["funding"]["checks"]}
    out_of_hospital = checks["NHS out-of-hospital minimum is met"]  # required £5.66m, planned £6.78m
    assert out_of_hospital["passed"] and "£6,780,000" in out_of_hospital["detail"]
    assert "£5,660,000" in out_of_hospital["detail"]


def test_bromley_excess_admissions_are_costed_at_the_plans_unit_cost(demo):
    risk = document("E09000006", 2016)["risk_share"]
    from decimal import Decimal

    cost = (Decimal(2306227) / 825).quantize(Decimal("0.000001"))
    excess = risk["excess_admissions_ytd"]
    assert Decimal(risk["excess_cost_ytd"]) == (excess * cost).quantize(Decimal("0.01"))
    assert Decimal(risk["contingency_drawn"]) + Decimal(risk["contingency_remaining"]) == Decimal("1323000.00")


def test_triborough_2017_18_checks_find_the_published_slips(demo):
    westminster = document("E09000033", 2017)
    checks = {c["name"]: c for c in westminster["funding"]["checks"]}
    uplift = checks["NHS minimum rose by at least the year's uplift"]
    assert not uplift["passed"] and "£122.60 short" in uplift["detail"]  # £7,944,000 x 1.0179 = £8,086,197.60
    nea_check = checks["NEA monthly plan agrees with the stated annual figure"]
    assert not nea_check["passed"] and "15,087" in nea_check["detail"] and "15,088" in nea_check["detail"]
    nea = metric(westminster, "NEA")
    assert nea["months"][0]["plan"] == 1260 and (nea["plan_year"], nea["stated_plan_year"]) == (15087, 15088)
    for code in ("E09000020", "E09000013"):  # their uplifts are right to the pound
        checks = {c["name"]: c for c in document(code, 2017)["funding"]["checks"]}
        assert checks["NHS minimum rose by at least the year's uplift"]["passed"]
    kc = document("E09000020", 2017)
    assert metric(kc, "RES")["stated_plan_year"] == 283.3 and metric(kc, "REA")["stated_plan_year"] == 90
    contributions = {(c["source"], c["partner"]): c["amount"] for c in westminster["funding"]["contributions"]}
    assert "8920000.00" in contributions.values()  # iBCF, Westminster's £8.92m


def test_southwark_q1_2014_15(demo):
    doc = document("E09000028", 2014)
    res = metric(doc, "RES")
    # 167 care home admissions a year is 41.75 by the end of Q1; 23 happened: on track.
    assert (res["counts"]["plan_ytd"], res["counts"]["actual_ytd"], res["status"]) == (41.75, 23, "on_track")
    assert res["as_of"] == "2014-06"
    rea = metric(doc, "REA")
    assert (rea["plan_ytd"], rea["actual_ytd"], rea["status"]) == (85, 88, "on_track")
    delayed = next(m for m in doc["metrics"] if m["code"].endswith("DELAYED-DAYS"))
    assert (delayed["plan_ytd"], delayed["actual_ytd"], delayed["status"]) == (424, 808, "not_on_track")
    spend = doc["spend"]
    assert (spend["budget"], spend["forecast_outturn"]) == ("8957000.00", "8957000.00")
    assert len(spend["schemes"]) == 7 and all(s["forecast_overridden"] for s in spend["schemes"])
