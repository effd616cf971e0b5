"""Submitting a quarter with returns missing for its months lists them and needs a reason, which is recorded."""

import pytest

from bcf_dashboard.core.models import QuarterReturn, QuarterReturnEvent
from bcf_dashboard.signoff.services import SignOffRefused, take_step
from tests.support import builders as b

URL = "/areas/E09000006/sign-off/2017/"


@pytest.fixture
def bromley(personas):
    """Bromley's reablement scheme reported April and May, its carers' scheme nothing; NEA April only."""
    area = personas.area_a
    b.scheme(area, "A1", 2017, "1200000", plan=[100000] * 12, actual=[100000, 101000], name="Reablement")
    b.scheme(area, "B2", 2017, "60000", plan=[5000] * 12, name="Carers' breaks")
    nea = b.metric("NEA")
    b.metric_values(area, nea, "plan", {f"2017-{m:02d}": 2200 for m in range(4, 13)})
    b.metric_values(area, nea, "actual", {"2017-04": 2150})
    return area


def submit(personas, reason=""):
    return take_step(
        user=personas.finance_a, area=personas.area_a, financial_year=2017, quarter=1, action="submit", reason=reason
    )


def test_submitting_with_returns_missing_is_refused_with_the_list(personas, bromley):
    with pytest.raises(SignOffRefused) as refused:
        submit(personas)
    message = str(refused.value)
    assert "A1 Reablement (Jun 2017)" in message
    assert "B2 Carers' breaks (Apr 2017, May 2017, Jun 2017)" in message
    assert "NEA" not in message  # May's admissions are due in July, June's in August: not yet
    assert "give the reason" in message
    assert not QuarterReturn.objects.filter(state="submitted").exists()


def test_the_reason_for_submitting_without_them_is_recorded(personas, bromley):
    submit(personas, reason="  Carers' invoices held at the provider until July  ")
    event = QuarterReturnEvent.objects.get(action="submit")
    assert event.reason == "Carers' invoices held at the provider until July"
    assert QuarterReturn.objects.get().state == "submitted"


def test_a_complete_quarter_needs_no_reason(personas):
    b.scheme(personas.area_a, "A1", 2017, "1200000", plan=[100000] * 12, actual=[100000, 101000, 99000])
    assert submit(personas).state == "submitted"
    assert QuarterReturnEvent.objects.get(action="submit").reason == ""


def test_the_page_lists_what_is_missing_and_asks_for_a_reason(client, personas, bromley):
    client.force_login(personas.finance_a)
    page = client.get(URL).content.decode()
    assert "2 returns missing for Q1 2017/18" in page
    assert "B2 Carers&#x27; breaks: Apr 2017, May 2017, Jun 2017 not entered" in page
    assert "Reason for submitting with returns missing" in page
    response = client.post(URL, {"action": "submit", "quarter": "1", "reason": ""})
    assert response.status_code == 409 and "Q1 2017/18 has returns missing" in response.content.decode()
    response = client.post(URL, {"action": "submit", "quarter": "1", "reason": "Provider invoices late"})
    assert response.status_code == 302
    assert QuarterReturnEvent.objects.get(action="submit").reason == "Provider invoices late"


def test_months_that_have_not_ended_are_not_asked_for(personas, monkeypatch):
    """A quarter under way expects only its ended months: July's returns, not August's or September's."""
    from bcf_dashboard.core import periods
    from bcf_dashboard.signoff import missing

    b.scheme(personas.area_a, "A1", 2017, "1200000", plan=[100000] * 12, actual=[100000] * 3, name="Reablement")
    monkeypatch.setattr(missing, "last_calendar_month", lambda: periods.month(2017, 4))  # July 2017 ended
    found = missing.missing_for_quarter(personas.area_a, 2017, 2)
    assert [(m.measure, m.months_text) for m in found] == [("spend:A1", "Jul 2017")]
    assert missing.missing_for_quarter(personas.area_a, 2017, 3) == []
