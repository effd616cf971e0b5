"""The area-year dashboard: the engine's figures, the scheme table, exports, access and query count."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils.html import escape, strip_tags

from bcf_dashboard.core.formats import gbp, money_json
from bcf_dashboard.core.statuses import STATUS_LABEL
from bcf_dashboard.engine.summary import area_year_summary
from tests.support import builders as b
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.pages import figures, inline_scripts, queries, table_rows, text


def url(area, year=YEAR):
    return reverse("area_year", args=[area.code, year])


@pytest.fixture
def filled(personas):
    fill_area(personas.area_a, schemes=4)
    fill_area(personas.area_b, schemes=2)
    return personas


def test_every_persona_sees_only_their_own_area(client, filled):
    a, b_ = filled.area_a, filled.area_b
    for user in filled.all_members_of_a():
        client.force_login(user)
        assert client.get(url(a)).status_code == 200, user
        assert client.get(url(b_)).status_code == 404, user
        assert client.get(url(b_) + "?export=csv").status_code == 404, user
        assert client.get(reverse("area", args=[b_.code])).status_code == 404, user
    client.force_login(filled.user_b)
    assert client.get(url(a)).status_code == 404
    assert client.get(url(b_)).status_code == 200
    client.force_login(filled.staff)
    assert client.get(url(a)).status_code == client.get(url(b_)).status_code == 200
    assert client.get(reverse("area_year", args=["E09999999", YEAR])).status_code == 404
    assert client.get(reverse("area_year", args=[a.code, 1999])).status_code == 404
    client.logout()
    assert client.get(url(a)).status_code == 302


def test_area_redirects_to_its_latest_year(client, filled):
    b.scheme(filled.area_a, "OLD", 2015, "1000")
    client.force_login(filled.commissioner_a)
    response = client.get(reverse("area", args=[filled.area_a.code]))
    assert response.status_code == 302 and response["Location"] == url(filled.area_a)


def test_charts_and_headlines_are_the_engines(client, filled):
    client.force_login(filled.hwb_a)
    response = client.get(url(filled.area_a))
    summary = area_year_summary(filled.area_a, YEAR)
    found = figures(response)
    nea = summary.metric("NEA")
    actual, plan, *projected = found["figure-metric-nea"]["data"]
    assert [t["name"] for t in projected] == ["Projected range", "Projected range", "Projected"]
    assert projected[-1]["y"][-1] is not None  # the projection runs to March
    assert actual["y"] == [None if f.actual is None else float(f.actual) for f in nea.months]
    assert plan["y"] == [float(f.plan) for f in nea.months]
    assert actual["x"][0] == "Apr 2017" and actual["x"][11] == "Mar 2018"
    assert "15,087 (stated 15,088)" in found["figure-metric-nea"]["layout"]["title"]["text"]
    assert [a["text"] for a in found["figure-metric-nea"]["layout"]["annotations"]] == ["Q1", "Q2", "Q3", "Q4"]
    spend = found["figure-spend"]["data"]
    assert spend[0]["y"] == [None if v is None else float(v) for v in summary.spend.cumulative_actual]
    assert spend[1]["y"] == [float(v) for v in summary.spend.cumulative_plan]
    assert spend[2]["y"] == [float(summary.spend.forecast_outturn)]
    # RES has only quarterly actuals and an annual plan: a quarterly chart with the year's plan spread
    # over the quarters, as the engine pro-rates it (102.703 a year over 31,000 people 65+, a quarter each).
    res_actual, res_plan = found["figure-metric-res"]["data"]
    assert res_actual["x"] == ["Q1 2017/18", "Q2 2017/18", "Q3 2017/18", "Q4 2017/18"]
    assert (
        res_actual["y"][:2] == [float(f.actual) for f in summary.metric("RES").quarters] and res_actual["y"][2] is None
    )
    assert res_plan["name"] == "Plan spread over the period"
    assert res_plan["y"] == [pytest.approx(102.703 / 4 / 31000 * 100000)] * 4
    page = text(response)
    assert gbp(summary.spend.forecast_outturn, pennies=False) in page
    assert gbp(summary.risk_share.value_at_risk) in page
    for check in summary.funding.checks:
        assert check.detail.replace("'", "&#x27;") in page
    for m in summary.headline_metrics():
        # The headline chips name each metric as people know it (its short name), with its status in words.
        assert f">{escape(m.definition.label)}: {STATUS_LABEL[m.status]}</span>" in page
    assert "Delays attributable to the NHS" in page  # DTOC's component, in DTOC's card
    assert inline_scripts(response) == []
    assert '<script src="/static/js/charts.js" data-plotly="/static/vendor/plotly-basic.min.js" defer>' in page


def scheme_rows(response):
    return table_rows(response, "schemes-table")


def test_scheme_table_sorts_and_filters(client, filled):
    client.force_login(filled.finance_a)
    rows = scheme_rows(client.get(url(filled.area_a)))
    assert [r[0] for r in rows] == ["S1", "S2", "S3", "S4"]
    by_budget = scheme_rows(client.get(url(filled.area_a), {"sort": "-budget"}))
    assert [r[0] for r in by_budget] == ["S1", "S4", "S3", "S2"]
    carers = scheme_rows(client.get(url(filled.area_a), {"scheme_type": "carers"}))
    assert [r[0] for r in carers] == ["S2"]
    assert [r[0] for r in scheme_rows(client.get(url(filled.area_a), {"q": "home from"}))] == ["S3"]
    assert [r[0] for r in scheme_rows(client.get(url(filled.area_a), {"commissioner": "la"}))] == ["S1", "S4"]
    summary = area_year_summary(filled.area_a, YEAR)
    for status in {s.status for s in summary.spend.schemes}:
        shown = [r[0] for r in scheme_rows(client.get(url(filled.area_a), {"spend_status": status}))]
        assert shown == [s.scheme.ref for s in summary.spend.schemes if s.status == status]
    s3 = next(r for r in rows if r[0] == "S3")
    assert s3[7] == "£90,000 set by officer"


def test_csv_export_carries_the_engines_figures(client, filled):
    client.force_login(filled.commissioner_a)
    response = client.get(url(filled.area_a), {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert f"schemes-{filled.area_a.code}-{YEAR}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    # The unit-cost columns follow where any scheme has an activity plan (see test_unit_costs).
    assert rows[0][:9] == [
        "Ref",
        "Scheme",
        "Type",
        "Budget",
        "Plan to date",
        "Actual to date",
        "Variance",
        "Forecast outturn",
        "Status",
    ]
    summary = area_year_summary(filled.area_a, YEAR)
    assert [r[:9] for r in rows[1:]] == [
        [
            s.scheme.ref,
            s.scheme.name,
            s.scheme.get_scheme_type_display(),
            money_json(s.budget),
            money_json(s.plan_ytd),
            money_json(s.actual_ytd),
            money_json(s.variance_ytd),
            money_json(s.forecast_outturn),
            STATUS_LABEL[s.status],
        ]
        for s in summary.spend.schemes
    ]
    filtered = client.get(url(filled.area_a), {"export": "csv", "scheme_type": "carers"})
    assert [r[0] for r in csv.reader(io.StringIO(filtered.content.decode()))][1:] == ["S2"]


def test_xlsx_export_opens_in_excel(client, filled):
    client.force_login(filled.approver_a)
    response = client.get(url(filled.area_a), {"export": "xlsx", "sort": "-budget"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][0] == "Ref" and [v[0] for v in values[1:]] == ["S1", "S4", "S3", "S2"]


def test_long_tables_are_paginated_and_query_count_is_constant(client, personas):
    small_area, large_area = personas.area_a, personas.area_b
    fill_area(small_area, schemes=5)
    fill_area(large_area, schemes=60)
    client.force_login(personas.staff)
    small, _ = queries(client, url(small_area))
    large, response = queries(client, url(large_area))
    assert small == large
    assert len(scheme_rows(response)) == 25 and "Rows 1–25 of 60" in text(response)
    last = client.get(url(large_area), {"page": 3})
    assert len(scheme_rows(last)) == 10
    filtered_small, _ = queries(client, url(small_area) + "?scheme_type=carers&sort=-budget&page=1")
    filtered_large, _ = queries(client, url(large_area) + "?scheme_type=carers&sort=-budget&page=1")
    assert filtered_small == filtered_large


def test_empty_states_say_what_is_missing_and_who_enters_it(client, personas):
    client.force_login(personas.finance_a)
    page = text(client.get(url(personas.area_a)))
    assert "There is nothing recorded for Bromley in 2017/18 yet" in page
    assert "the Upload page" in page
    b.scheme(personas.area_a, "A1", YEAR, "12000", plan=[1000] * 12)
    b.metric_values(personas.area_a, b.metric("NEA"), "plan", {"2017/18": 1000})
    # "the Upload page" is a link once the upload page exists, plain words until then.
    page = " ".join(strip_tags(text(client.get(url(personas.area_a)))).split())
    assert "No actuals yet for 2017/18 (spend): finance officers of Bromley can upload them at the Upload page" in page
    assert "No actuals yet for 2017/18 (NEA)" in page
    assert "No risk share is recorded for Bromley in 2017/18" in page


def test_the_areas_pages_are_linked_for_the_roles_that_may_open_them(client, filled):
    page_url = url(filled.area_a)
    expected = {
        "finance_a": {"Monthly figures": True, "Upload a file": True, "History": True},
        "approver_a": {"Monthly figures": False, "Upload a file": False, "History": True},
        "commissioner_a": {"Monthly figures": False, "Upload a file": False, "History": True},
        "hwb_a": {"Monthly figures": False, "Upload a file": False, "History": False},
    }
    from django.contrib.auth import get_user_model

    for username, links in expected.items():
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get(page_url).content.decode()
        assert "Quarterly sign-off" in page and "Quarterly summaries" in page
        for label, shown in links.items():
            assert (f">{label}</a>" in page) is shown, (username, label)


def test_the_returns_file_downloads_from_the_dashboard_and_imports_again_as_a_no_op(client, filled):
    """docs/formats.md section 1: the area-year's returns file, from its dashboard, as CSV and XLSX."""
    import io

    from openpyxl import load_workbook

    from bcf_dashboard.returns.services import import_returns

    client.force_login(filled.commissioner_a)
    page = client.get(f"/areas/{filled.area_a.code}/{YEAR}/").content.decode()
    assert f"/areas/{filled.area_a.code}/{YEAR}/returns.csv" in page
    assert f"/areas/{filled.area_a.code}/{YEAR}/returns.xlsx" in page
    response = client.get(f"/areas/{filled.area_a.code}/{YEAR}/returns.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f'filename="returns-{filled.area_a.code}-{YEAR}.csv"' in response["Content-Disposition"]
    content = response.content
    header = content.decode("utf-8-sig").splitlines()[0]
    assert header == "area_code,period,measure,kind,value,note"
    again = import_returns(content=content, file_name="again.csv", dry_run=True)
    assert again.ok and again.rows > 0 and again.created == again.updated == 0
    workbook = load_workbook(io.BytesIO(client.get(f"/areas/{filled.area_a.code}/{YEAR}/returns.xlsx").content))
    values = [row[4] for row in workbook.active.iter_rows(min_row=2, values_only=True)]
    assert values and all(isinstance(v, (int, float)) for v in values)  # numbers a spreadsheet can add up
    assert client.get(f"/areas/{filled.area_b.code}/{YEAR}/returns.csv").status_code == 404
