"""An honest demo: the documents' figures, their slips named by checks, and everything made up marked as such
on the pages that show it."""

import json

import pytest
from django.contrib.auth import get_user_model

from bcf_dashboard.core.models import Area
from bcf_dashboard.engine.summary import area_year_summary
from schemes.models import SchemeValue
from tests.demo.test_demo import load

BROMLEY, WESTMINSTER = "E09000006", "E09000033"


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_the_demo_names_its_slips_marks_what_it_made_up_and_flags_nothing_the_documents_do_not_support(client):
    load()
    assert Area.objects.filter(code=BROMLEY).exists()
    # Figure 10's months against its printed totals: a named check in the summary JSON.
    client.force_login(get_user_model().objects.get(username="admin"))
    checks = {
        c["name"]: c
        for c in json.loads(client.get(f"/api/areas/{BROMLEY}/2016/summary.json").content)["funding"]["checks"]
    }
    admissions = checks["Schemes' avoided admissions add up to the planned reduction"]
    savings = checks["Schemes' planned savings add up to the reduction's value"]
    assert not admissions["passed"] and "avoid 824 admissions" in admissions["detail"] and "825" in admissions["detail"]
    assert not savings["passed"] and "£2,306,225" in savings["detail"] and "£2,306,227" in savings["detail"]

    # 2016/17 of the three boroughs: no pooled contributions are loaded, so no NHS-minimum failure is claimed.
    for code in ("E09000033", "E09000020", "E09000013"):
        summary = area_year_summary(Area.objects.get(code=code), 2016)
        assert not [c for c in summary.funding.checks if c.code == "nhs_minimum"], code

    # Made-up actuals are worked to the penny of their penny plans: no month shows a variance of mere pennies
    # (an actual made up at its plan, rounded to the pound, did).
    plans = {(v.scheme_id, v.period_id): v.value for v in SchemeValue.objects.filter(measure="spend", kind="plan")}
    pennies = [
        (v.scheme.area.code, v.scheme.ref, v.period.code)
        for v in SchemeValue.objects.filter(measure="spend", kind="actual").select_related("scheme__area", "period")
        if 0 < abs(v.value - plans.get((v.scheme_id, v.period_id), v.value)) < 1
    ]
    assert not pennies

    # The pages that show made-up figures and populations say so.
    dashboard = client.get(f"/areas/{BROMLEY}/2016/").content.decode()
    assert "Illustrative figures." in dashboard and "not ONS mid-year estimates" in dashboard
    summary = client.get(f"/areas/{BROMLEY}/2016/q4/summary/").content.decode()
    assert "Illustrative figures." in summary
    metric = client.get(f"/areas/{BROMLEY}/metrics/RES/").content.decode()
    assert "illustrative population" in metric and "using the ONS mid-year population estimate" not in metric
