"""The monthly entry form: what it shows, what it saves (through the import's checks), and what it refuses."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import AreaYearPlan, ImportBatch, QuarterReturn, ValueChange
from bcf_dashboard.returns import entry, entry_save
from bcf_dashboard.returns.services import import_returns
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.world import BROMLEY, SOUTHWARK, csv_bytes

URL = f"/areas/{BROMLEY}/entry/2017-05/"
PLAN_URL = f"/areas/{BROMLEY}/plan/2017-05/"


def load(rows, user=None, **kwargs):
    result = import_returns(content=csv_bytes(rows), file_name="seed.csv", user=user, **kwargs)
    assert result.ok, result.errors
    return result


def form_of(client, url=URL):
    """The page's inputs as a browser would post them back."""
    page = client.get(url).content.decode()
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    data.pop("csrfmiddlewaretoken", None)
    return data


def snapshot():
    return (
        list(MetricValue.objects.order_by("id").values_list("value", "note", "updated_at")),
        list(SchemeValue.objects.order_by("id").values_list("value", "note", "updated_at")),
        ImportBatch.objects.count(),
        ValueChange.objects.count(),
    )


@pytest.fixture
def officer(client, world):
    client.force_login(world.personas.finance_a)
    load(
        [
            [BROMLEY, "2017-05", "spend:A1", "plan", "10000", ""],
            [BROMLEY, "2017-05", "NEA", "plan", "1260", ""],
            [BROMLEY, "2017-05", "NEA", "actual", "1250", ""],
            [BROMLEY, "2017/18", "REA", "plan", "93.6", ""],
        ],
        user=world.personas.staff,
    )
    return client


def test_the_page_lists_every_active_scheme_and_metric_with_plan_and_last_change(officer, world):
    page = officer.get(URL).content.decode()
    assert f'name="spend-{world.scheme_a1.id}"' in page and f'name="activity-{world.scheme_a1.id}"' in page
    assert f"spend-{world.scheme_a2.id}" not in page  # no budget in 2017/18
    assert f"spend-{world.scheme_b1.id}" not in page  # another area's scheme
    for metric in (world.nea, world.rea, world.dtoc, world.local_bromley):
        assert f'name="metric-{metric.id}"' in page
    assert f'name="metric-{world.old_metric.id}"' not in page  # not collected in 2017/18
    assert "£10,000" in page  # A1's spend plan beside the input
    assert "93.6% for the year" in page  # REA is planned for the year only
    assert 'value="1250"' in page and "staff" in page  # NEA's actual and who saved it


def test_changed_figures_are_saved_together_through_the_import_rules(officer, world):
    data = form_of(officer)
    data[f"spend-{world.scheme_a1.id}"] = "£1,234.50"
    data[f"metric-{world.nea.id}"] = "1,262"
    data[f"metric-{world.rea.id}"] = "88%"
    response = officer.post(URL, data)
    assert response.status_code == 302 and response["Location"] == URL
    batch = ImportBatch.objects.latest("id")
    assert (
        batch.source == "form"
        and batch.user == world.personas.finance_a
        and batch.file_name.startswith("monthly entry form")
    )
    assert SchemeValue.objects.get(kind="actual").value == Decimal("1234.50")
    changes = {c.measure: (c.old_value, c.new_value) for c in ValueChange.objects.filter(batch=batch)}
    assert changes == {
        "spend:A1": (None, Decimal("1234.50")),
        "NEA": (Decimal("1250"), Decimal("1262")),
        "REA": (None, Decimal("88")),
    }
    assert "Saved 3 figures for May 2017 (2 new, 1 changed)" in officer.get(URL).content.decode()


def test_nothing_changed_saves_nothing(officer):
    before = snapshot()
    response = officer.post(URL, form_of(officer), follow=True)
    assert "Nothing was saved: no figure was changed" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "field, text, says",
    [
        ("metric-nea", "", "a saved figure cannot be removed here"),
        ("spend", "9" * 41, "far too long for a figure"),
        ("spend", "99999999999999", "far too large"),
        ("metric-nea", "100000000000", "far too large"),
        ("activity", "-3", "cannot be negative"),
        ("metric-nea", "-1", "cannot be negative"),
        ("spend", "twelve", "not a number"),
        ("spend", "£214,00", "ambiguous"),
        ("spend", "12.345", "at most two decimal places"),
        ("metric-dtoc", "1.23456", "at most 4 decimal places"),
        ("metric-rea", "101", "cannot be above 100"),
        ("spend", "12%", "not a percent"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_written(officer, world, field, text, says):
    names = {
        "spend": f"spend-{world.scheme_a1.id}",
        "activity": f"activity-{world.scheme_a1.id}",
        "metric-nea": f"metric-{world.nea.id}",
        "metric-dtoc": f"metric-{world.dtoc.id}",
        "metric-rea": f"metric-{world.rea.id}",
    }
    data = form_of(officer)
    data[names[field]] = text
    data[f"metric-{world.local_bromley.id}"] = "7"  # a good figure in the same save is not written either
    before = snapshot()
    response = officer.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Nothing was saved" in page
    assert f'href="#id_{names[field]}"' in page  # the summary links to the field
    assert f'id="id_{names[field]}-error"' in page and says in page
    assert snapshot() == before


def test_another_areas_schemes_posted_to_this_form_are_ignored(officer, world):
    data = form_of(officer)
    data[f"spend-{world.scheme_b1.id}"] = "500"
    before = snapshot()
    officer.post(URL, data)
    assert snapshot() == before


@pytest.mark.parametrize(
    "url",
    [
        f"/areas/{SOUTHWARK}/entry/2017-05/",
        f"/areas/{BROMLEY}/entry/2017-13/",
        f"/areas/{BROMLEY}/entry/1999-04/",
        f"/areas/{BROMLEY}/entry/2017-5/",
        "/areas/E09999999/entry/2017-05/",
    ],
)
def test_wrong_area_or_period_is_a_404_and_writes_nothing(officer, url):
    before = snapshot()
    assert officer.get(url).status_code == 404
    assert officer.post(url, {"state": "x"}).status_code == 404
    assert snapshot() == before


def test_a_figure_changed_since_the_form_was_opened_is_not_overwritten(officer, world, client):
    data = form_of(officer)
    load([[BROMLEY, "2017-05", "NEA", "actual", "1251", ""]], user=world.personas.staff)  # a colleague saves
    data[f"metric-{world.nea.id}"] = "1300"
    response = officer.post(URL, data)
    page = response.content.decode()
    assert response.status_code == 200 and "staff set it to 1251" in page and "your 1300 was not saved" in page
    assert MetricValue.objects.get(kind="actual", period__code="2017-05").value == Decimal("1251")
    # The page now shows the user's figure, compared with today's: saving again is a deliberate choice.
    again = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    again.pop("csrfmiddlewaretoken")
    assert again[f"metric-{world.nea.id}"] == "1300"
    assert officer.post(URL, again).status_code == 302
    change = ValueChange.objects.filter(measure="NEA", kind="actual").latest("id")
    assert (change.old_value, change.new_value) == (Decimal("1251"), Decimal("1300"))


def test_a_colleagues_change_to_a_field_left_alone_survives(officer, world):
    data = form_of(officer)
    load([[BROMLEY, "2017-05", "NEA", "actual", "1251", ""]], user=world.personas.staff)
    data[f"spend-{world.scheme_a1.id}"] = "50"  # the user changes only A1; NEA still shows 1250
    assert officer.post(URL, data).status_code == 302
    assert MetricValue.objects.get(kind="actual", period__code="2017-05").value == Decimal("1251")
    assert SchemeValue.objects.get(kind="actual").value == Decimal("50")


def test_a_tampered_or_missing_page_state_writes_nothing(officer, world):
    data = form_of(officer)
    data[f"spend-{world.scheme_a1.id}"] = "50"
    before = snapshot()
    for state in ("", data["state"][:-2] + "xx"):
        response = officer.post(URL, {**data, "state": state})
        assert response.status_code == 200 and "This page is out of date" in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("state", ["approved", "locked"])
def test_a_closed_quarter_is_shown_read_only_and_refuses_a_save(officer, world, state):
    data = form_of(officer)
    QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=1, state=state)
    page = officer.get(URL).content.decode()
    assert f"Q1 2017/18 is {state}" in page and "readonly" in page and "Save figures" not in page
    data[f"spend-{world.scheme_a1.id}"] = "50"
    before = snapshot()
    response = officer.post(URL, data)
    assert response.status_code == 200 and "ask the approver to reopen the quarter" in response.content.decode()
    assert snapshot() == before


def test_a_submitted_quarter_can_still_be_corrected(officer, world):
    QuarterReturn.objects.create(area=world.bromley, financial_year=2017, quarter=1, state="submitted")
    data = form_of(officer)
    data[f"spend-{world.scheme_a1.id}"] = "50"
    assert officer.post(URL, data).status_code == 302


def test_the_plan_is_edited_freely_until_agreed_then_only_with_a_reason(officer, world):
    data = form_of(officer, PLAN_URL)
    assert "reason" not in data
    data[f"spend-{world.scheme_a1.id}"] = "11000"
    assert officer.post(PLAN_URL, data).status_code == 302
    assert SchemeValue.objects.get(kind="plan").value == Decimal("11000")
    AreaYearPlan.objects.create(area=world.bromley, financial_year=2017, agreed=True, agreed_at=timezone.now())
    data = form_of(officer, PLAN_URL)
    data[f"spend-{world.scheme_a1.id}"] = "12000"
    before = snapshot()
    response = officer.post(PLAN_URL, {**data, "reason": "  "})
    assert response.status_code == 200 and "Give the reason for revising the agreed plan" in response.content.decode()
    assert snapshot() == before
    response = officer.post(PLAN_URL, {**data, "reason": "x" * 2001})
    assert "shorten it to 2,000" in response.content.decode() and snapshot() == before
    assert officer.post(PLAN_URL, {**data, "reason": "Winter money re-profiled"}).status_code == 302
    batch = ImportBatch.objects.latest("id")
    assert batch.reason == "Winter money re-profiled" and batch.source == "form"
    assert ValueChange.objects.get(batch=batch).old_value == Decimal("11000")


def test_the_month_picker_goes_to_the_chosen_month_and_kind(officer):
    response = officer.get(f"/areas/{BROMLEY}/entry/", {"month": "2017-09", "kind": "plan"})
    assert response["Location"] == reverse("plan_entry", args=[BROMLEY, "2017-09"])
    assert officer.get(f"/areas/{BROMLEY}/entry/", {"month": "2017-99"}).status_code == 404


def test_the_entry_starts_at_the_month_after_the_latest_actual_spend(officer, world):
    from schemes.selectors import last_calendar_month

    assert officer.get(f"/areas/{BROMLEY}/entry/")["Location"].endswith(f"/{last_calendar_month().code}/")
    load([[BROMLEY, "2017-06", "spend:A1", "actual", "5", ""]])
    assert officer.get(f"/areas/{BROMLEY}/entry/")["Location"] == reverse("entry", args=[BROMLEY, "2017-07"])
    assert officer.get(f"/areas/{BROMLEY}/sign-off/")["Location"] == reverse("signoff", args=[BROMLEY, 2017])


def test_a_save_reads_only_the_inputs_it_changes(officer, world):
    data = form_of(officer)
    data[f"metric-{world.nea.id}"] = "1,250"  # the same figure written another way
    data[f"spend-{world.scheme_a1.id}"] = "£1,234.50"
    data[f"spend-{world.scheme_b1.id}"] = "500"  # not on the page the user saw
    changed = entry_save.changed_inputs(data)
    assert changed == {f"spend-{world.scheme_a1.id}"}
    area, month = world.scheme_a1.area, periods.parse_period("2017-05")
    page = entry.build_page(area, month, "actual", with_figures=False, only=changed)
    # The changed scheme's row (its spend and activity), and no other scheme or metric.
    assert [f.name for f in page.fields] == [f"spend-{world.scheme_a1.id}", f"activity-{world.scheme_a1.id}"]
    assert page.fields[0].stored is None and page.fields[0].last_change is None  # the save re-reads under lock
    only_metric = entry.build_page(area, month, "actual", with_figures=False, only={f"metric-{world.rea.id}"})
    assert [f.name for f in only_metric.fields] == [f"metric-{world.rea.id}"]
    assert entry_save.changed_inputs({**data, "state": "forged"}) is None


def test_the_boxes_still_empty_are_marked_and_counted(officer, world):
    """A1's spend is not entered for May: its box says so in words and the top counts it; NEA's actual is in."""
    page = officer.get(URL).content.decode()
    assert f'id="id_spend-{world.scheme_a1.id}-not-entered">not entered yet</span>' in page
    assert f'id="id_metric-{world.nea.id}-not-entered"' not in page  # entered: 1,250
    assert "Not entered yet for May 2017:" in page and "1 scheme&#x27;s spend" in page
    load([[BROMLEY, "2017-05", "spend:A1", "actual", "9800", ""]], user=world.personas.staff)
    page = officer.get(URL).content.decode()
    assert f'id="id_spend-{world.scheme_a1.id}-not-entered"' not in page
    assert "Not entered yet for May 2017:" not in page
