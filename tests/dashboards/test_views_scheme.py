"""The scheme page: its fields, months against plan, forecast, history, access and query count."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from bcf_dashboard.core.access import AUDIT as HISTORY_ACTION
from bcf_dashboard.core.access import ROLES_FOR_ACTION
from bcf_dashboard.core.formats import pounds
from bcf_dashboard.core.models import ImportBatch, Period, ValueChange
from bcf_dashboard.dashboards.scheme_page import CHANGES_SHOWN
from bcf_dashboard.engine.summary import area_year_summary
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.pages import figures, inline_scripts, queries, text


def url(area, ref, year=YEAR):
    return reverse("scheme", args=[area.code, ref]) + f"?year={year}"


@pytest.fixture
def filled(personas):
    fill_area(personas.area_a, schemes=3)
    fill_area(personas.area_b, schemes=1)
    return personas


def test_every_persona_sees_only_their_own_areas_schemes(client, filled):
    for user in filled.all_members_of_a():
        client.force_login(user)
        assert client.get(url(filled.area_a, "S1")).status_code == 200
        assert client.get(url(filled.area_b, "S1")).status_code == 404
        assert client.get(url(filled.area_a, "NOPE")).status_code == 404
    client.force_login(filled.user_b)
    assert client.get(url(filled.area_a, "S1")).status_code == 404
    assert client.get(url(filled.area_b, "S1")).status_code == 200
    client.force_login(filled.staff)
    assert client.get(url(filled.area_b, "S1")).status_code == 200


def test_figures_are_the_engines(client, filled):
    client.force_login(filled.commissioner_a)
    response = client.get(url(filled.area_a, "S1"))
    s1 = next(s for s in area_year_summary(filled.area_a, YEAR).spend.schemes if s.scheme.ref == "S1")
    found = figures(response)
    actual, plan = found["figure-scheme-spend"]["data"]
    assert plan["y"] == [float(v) for v in s1.plan_months]
    assert actual["y"] == [None if v is None else float(v) for v in s1.actual_months]
    activity_actual, activity_plan = found["figure-scheme-activity"]["data"]
    assert activity_actual["y"][:3] == [39.0, 40.0, 41.0] and activity_plan["y"][:3] == [40.0, 40.0, 40.0]
    page = text(response)
    assert pounds(s1.forecast_outturn) in page and pounds(s1.actual_ytd) in page
    assert "Reablement" in page and "Social care" in page and "Local authority" in page
    assert "Apr 2017" in page and "Mar 2018" in page
    assert inline_scripts(response) == []


def test_override_reason_and_unprofiled_budget_are_explained(client, filled):
    client.force_login(filled.hwb_a)
    page = text(client.get(url(filled.area_a, "S3")))
    assert "Forecast set by a finance officer" in page and "QIPP savings agreed" in page
    page = text(client.get(url(filled.area_a, "S2")))
    assert "no monthly plan: spread evenly" in page


def test_history_lists_changes_to_this_schemes_values(client, filled):
    period = Period.objects.get(code="2017-05")
    batch = ImportBatch.objects.create(source="upload", file_name="may.csv", user=filled.finance_a)
    ValueChange.objects.create(
        batch=batch,
        area=filled.area_a,
        period=period,
        measure="spend:S1",
        kind="actual",
        old_value=Decimal("101000"),
        new_value=Decimal("101500.85"),
    )
    ValueChange.objects.create(
        batch=batch,
        area=filled.area_a,
        period=period,
        measure="spend:S2",
        kind="actual",
        old_value=None,
        new_value=Decimal("7000"),
    )
    ValueChange.objects.create(
        batch=batch,
        area=filled.area_b,
        period=period,
        measure="spend:S1",
        kind="actual",
        old_value=None,
        new_value=Decimal("1"),
    )
    client.force_login(filled.approver_a)
    response = client.get(url(filled.area_a, "S1"))
    assert [(c.measure, c.area_id) for c in response.context["page"].changes] == [("spend:S1", filled.area_a.id)]
    page = text(response)
    assert "History of changes" in page and "may.csv" in page
    assert "£101,000" in page and "£101,500.85" in page  # money to the penny, as the history page writes it


def test_history_shows_the_latest_changes_and_says_when_there_are_older(client, filled):
    periods = Period.ensure_years([YEAR])
    months = [code for code, period in periods.items() if period.kind == "month"]
    batch = ImportBatch.objects.create(source="upload", file_name="year.csv", user=filled.finance_a)

    def record(count):
        ValueChange.objects.bulk_create(
            [
                ValueChange(
                    batch=batch,
                    area=filled.area_a,
                    period=periods[months[n % 12]],
                    measure="spend:S1",
                    kind="actual",
                    new_value=n,
                )
                for n in range(count)
            ]
        )

    client.force_login(filled.finance_a)
    record(CHANGES_SHOWN)
    response = client.get(url(filled.area_a, "S1"))
    assert len(response.context["page"].changes) == CHANGES_SHOWN and "the full history has every one" not in text(
        response
    )
    record(1)
    cache.clear()  # history rows made directly, without the value writes that move the page's data version
    response = client.get(url(filled.area_a, "S1"))
    changes = response.context["page"].changes
    assert len(changes) == CHANGES_SHOWN and changes[0].id == ValueChange.objects.latest("id").id
    assert f"The latest {CHANGES_SHOWN} changes; the full history has every one." in text(response)
    assert "Full history of S1" in text(response)


def test_no_budget_in_the_year_is_said_plainly(client, filled):
    client.force_login(filled.finance_a)
    page = text(client.get(url(filled.area_a, "S1", 2019)))
    assert "S1 has no budget for 2019/20" in page and "the Upload page" in page
    # Without ?year= the scheme's latest budget year is shown.
    assert client.get(reverse("scheme", args=[filled.area_a.code, "S1"])).context["page"].year == YEAR


def test_query_count_does_not_grow_with_months_schemes_or_changes(client, personas):
    fill_area(personas.area_a, schemes=2)
    fill_area(personas.area_b, schemes=40)
    batch = ImportBatch.objects.create(source="upload", file_name="x.csv")
    periods = Period.ensure_years([YEAR])
    ValueChange.objects.bulk_create(
        [
            ValueChange(
                batch=batch, area=personas.area_b, period=periods[code], measure="spend:S1", kind="actual", new_value=n
            )
            for n, code in enumerate(c for c in periods if c.startswith("20"))
        ]
    )
    client.force_login(personas.staff)
    small, _ = queries(client, url(personas.area_a, "S1"))
    large, response = queries(client, url(personas.area_b, "S1"))
    assert small == large and len(response.context["page"].changes) > 10


def test_history_is_for_the_roles_that_may_audit(client, filled):
    for user in filled.all_members_of_a():
        client.force_login(user)
        page = text(client.get(url(filled.area_a, "S1")))
        may = user.memberships.get().role in ROLES_FOR_ACTION[HISTORY_ACTION]
        assert ("The change history is kept for" in page) is not may, user
