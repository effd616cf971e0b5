"""A write of schemes' monthly actuals moves a current headline by the difference instead of running the
engine (bcf_dashboard.digests.services.changed with ``actuals``); the headline it stores is the
engine's, to the penny."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Membership
from bcf_dashboard.digests import services
from bcf_dashboard.digests.models import AreaYearDigest
from bcf_dashboard.returns import services as returns_services
from bcf_dashboard.returns.services import import_returns
from schemes.models import SchemeValue, SchemeYear
from tests.support.dashboard_data import YEAR, make_areas, member
from tests.support.fuzzing import rolled_back

# fill_area's schemes: S1 (profiled, actuals to month 6, activity months 1-3), S2 (unprofiled, three
# actuals), S3 (profiled, forecast overridden), S4 (as S1, five actuals). The area's spend runs to month 6.
LAST_MONTH = 6


@pytest.fixture
def area(db):
    area = make_areas(1, schemes=4)[0]
    services.up_to_date_headlines([area], YEAR)  # current, as after any page or save
    return area


def digest(area):
    return AreaYearDigest.objects.get(area=area, financial_year=YEAR)


def write(area, rows, kind="actual"):
    lines = ["area_code,period,measure,kind,value,note"] + [
        f"{area.code},{periods.month(YEAR, month).code},{measure}:{ref},{kind},{value},{note}"
        for ref, measure, month, value, note in rows
    ]
    result = import_returns(content="\n".join(lines).encode(), file_name="actuals.csv")
    assert result.ok, result.errors
    return result


def engines_headline(area):
    headline, has_data, has_actuals = services._work_out([area], YEAR)[0][area.id]
    return headline, has_data, has_actuals


def assert_matches_the_engine(area):
    row = digest(area)
    assert row.current
    assert (row.headline, row.has_data, row.has_actuals) == engines_headline(area)


@pytest.fixture
def engine_runs(monkeypatch):
    """How many area-years the engine worked out."""
    runs = []
    work_out = services._work_out

    def counting(areas, year):
        runs.extend((a.id, year) for a in areas)
        return work_out(areas, year)

    monkeypatch.setattr(services, "_work_out", counting)
    return runs


def test_an_actual_within_the_year_to_date_moves_the_headline_without_the_engine(area, engine_runs):
    version = digest(area).version
    before = digest(area).headline["spend"]
    write(area, [("S1", "spend", 2, "101250.25", "")])  # was 101,000.00: £250.25 more
    assert engine_runs == []
    row = digest(area)
    assert row.version == row.headline_version == version + 1
    assert Decimal(row.headline["spend"]["actual_ytd"]) == Decimal(before["actual_ytd"]) + Decimal("250.25")
    assert Decimal(row.headline["spend"]["forecast_outturn"]) == (
        Decimal(before["forecast_outturn"]) + Decimal("250.25")
    )
    assert_matches_the_engine(area)


def test_an_overridden_forecast_does_not_move(area, engine_runs):
    before = digest(area).headline["spend"]
    write(area, [("S3", "spend", 1, "9500", "")])  # S3's forecast is overridden at £90,000
    assert engine_runs == []
    spend = digest(area).headline["spend"]
    assert Decimal(spend["actual_ytd"]) == Decimal(before["actual_ytd"]) + 500
    assert spend["forecast_outturn"] == before["forecast_outturn"]
    assert_matches_the_engine(area)


@pytest.mark.parametrize(
    "rows, kind",
    [
        ([("S1", "spend", LAST_MONTH + 1, "100000", "")], "actual"),  # a new last month: every forecast moves
        ([("S2", "spend", 5, "5000", "")], "actual"),  # a missing month filled: plan to date moves
        ([("S2", "activity", 2, "12", ""), ("S1", "spend", 9, "5", "")], "actual"),
        ([("S1", "spend", 2, "100500", "")], "plan"),  # plans feed the checks and the forecast
        ([("S1", "saving", 2, "100", "")], "plan"),
    ],
    ids=["new-last-month", "missing-month-filled", "activity-and-a-new-month", "plan", "saving-plan"],
)
def test_other_writes_go_through_the_engine(area, engine_runs, rows, kind):
    write(area, rows, kind=kind)
    assert engine_runs == [(area.id, YEAR)]
    assert_matches_the_engine(area)


def test_a_metric_in_the_same_file_sends_the_area_year_through_the_engine(area, engine_runs):
    content = (
        f"area_code,period,measure,kind,value\n{area.code},{YEAR}-05,spend:S1,actual,100001\n"
        f"{area.code},{YEAR}-05,NEA,actual,1300\n"
    ).encode()
    assert import_returns(content=content, file_name="mixed.csv").ok
    assert engine_runs == [(area.id, YEAR)]
    assert_matches_the_engine(area)


def test_a_stale_headline_is_worked_out_by_the_engine(area, engine_runs):
    AreaYearDigest.objects.filter(area=area).update(version=digest(area).version + 1)  # as after an admin save
    write(area, [("S1", "spend", 2, "101000.01", "")])
    assert engine_runs == [(area.id, YEAR)]
    assert_matches_the_engine(area)


def test_activity_and_note_changes_keep_the_figures_and_move_the_version(area, engine_runs):
    row = digest(area)
    write(area, [("S1", "activity", 2, "44", ""), ("S1", "spend", 1, "100000", "checked with the provider")])
    assert engine_runs == []
    after = digest(area)
    assert after.version == row.version + 1 and after.headline == row.headline
    assert_matches_the_engine(area)


def test_a_moved_headline_saves_the_engines_queries(area):
    """The engine's dozen reads become three: the versions noted under the lock, the digest row locked,
    and the changed schemes' budget years."""
    counts = []
    for value, stale in (("99000", False), ("98000", True)):
        if stale:
            AreaYearDigest.objects.filter(area=area).update(version=digest(area).version + 1)
        with CaptureQueriesContext(connection) as captured:
            write(area, [("S1", "spend", 3, value, "")])
        counts.append(len(captured))
        assert_matches_the_engine(area)
    moved, worked_out = counts
    assert moved + 10 <= worked_out


def test_the_monthly_entry_form_moves_the_headline(area, client, engine_runs):
    client.force_login(member(area, Membership.Role.FINANCE_OFFICER))
    url = f"/areas/{area.code}/entry/{periods.month(YEAR, 4).code}/"
    page = client.get(url).content.decode()
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    data.pop("csrfmiddlewaretoken", None)
    s1 = area.schemes.get(ref="S1")
    assert data[f"spend-{s1.id}"] == "100000.00"
    data[f"spend-{s1.id}"] = "100123.45"
    assert client.post(url, data).status_code == 302
    assert engine_runs == []
    assert Decimal(digest(area).headline["spend"]["actual_ytd"]) == Decimal(
        engines_headline(area)[0]["spend"]["actual_ytd"]
    )
    assert_matches_the_engine(area)


def test_one_file_moves_one_area_year_and_sends_another_through_the_engine(db, engine_runs):
    first, second = make_areas(2, schemes=4)
    services.up_to_date_headlines([first, second], YEAR)
    engine_runs.clear()
    content = (
        f"area_code,period,measure,kind,value\n{first.code},{YEAR}-05,spend:S1,actual,100001\n"
        f"{second.code},{YEAR}-12,spend:S1,actual,100002\n"
    ).encode()  # December: after its last month
    assert import_returns(content=content, file_name="two.csv").ok
    assert engine_runs == [(second.id, YEAR)]
    assert_matches_the_engine(first)
    assert_matches_the_engine(second)


def test_an_area_year_without_a_digest_row_is_worked_out(area, engine_runs):
    AreaYearDigest.objects.filter(area=area).delete()
    write(area, [("S1", "spend", 2, "101000.01", "")])
    assert engine_runs == [(area.id, YEAR)]
    assert_matches_the_engine(area)


def test_an_admin_save_between_reading_and_writing_sends_the_save_through_the_engine(area, monkeypatch, engine_runs):
    """An admin save takes no area lock: it may land after the save read the old values and before it
    writes, and a page may repair the headline meanwhile. The save's difference would be taken from a value
    that is no longer the one replaced (101,000, not the admin's 50,000), so the engine works it out."""
    read_state = returns_services._read_state
    s1 = area.schemes.get(ref="S1")

    def read_then_admin(*args, **kwargs):
        state = read_state(*args, **kwargs)
        value = SchemeValue.objects.get(
            scheme=s1, period__code=periods.month(YEAR, 2).code, kind="actual", measure="spend"
        )
        value.value = Decimal("50000.00")
        value.save()  # the admin's save and its signal's bump
        services.up_to_date_headlines([area], YEAR)  # a page repairs the headline: current again
        return state

    monkeypatch.setattr(returns_services, "_read_state", read_then_admin)
    engine_runs.clear()
    write(area, [("S1", "spend", 2, "60000", "")])
    assert engine_runs[-1] == (area.id, YEAR)
    assert_matches_the_engine(area)


def test_a_budget_year_removed_after_the_check_sends_the_save_through_the_engine(area, monkeypatch, engine_runs):
    lock_areas = returns_services.lock_areas
    s4 = area.schemes.get(ref="S4")

    def remove_then_lock(area_ids):
        SchemeYear.objects.filter(scheme=s4, financial_year=YEAR).delete()  # an admin, before the lock
        services.up_to_date_headlines([area], YEAR)
        lock_areas(area_ids)

    monkeypatch.setattr(returns_services, "lock_areas", remove_then_lock)
    engine_runs.clear()
    write(area, [("S4", "spend", 1, "100250", "")])
    assert engine_runs[-1] == (area.id, YEAR)
    assert_matches_the_engine(area)


# A value as people type it: 2.5, 2.50, 2.500 and 3 are all the same figures to the penny.
AMOUNT = st.builds(
    lambda value, style: [f"{value:.2f}", f"{value:.3f}", f"{value.normalize():f}"][style],
    st.decimals(min_value=-5000, max_value=250000, places=2, allow_nan=False, allow_infinity=False),
    st.integers(min_value=0, max_value=2),
)
CHANGE = st.tuples(
    st.sampled_from(["S1", "S2", "S3", "S4"]),
    st.sampled_from(["spend", "spend", "spend", "activity"]),
    st.integers(min_value=1, max_value=12),
    AMOUNT,
    st.sampled_from(["", "revised"]),
)


@given(
    files=st.lists(
        st.lists(CHANGE, min_size=1, max_size=5, unique_by=lambda c: (c[0], c[1], c[2])), min_size=1, max_size=4
    )
)
def test_any_sequence_of_actuals_leaves_the_engines_headline(area, engine_runs, files):
    """Whatever months, schemes, credits, notes and ways of writing a figure a run of saves has, the stored
    headline after each is the one the engine works out from the figures, and the engine ran only for a
    save with spend after the year's last month of spend or where a month had no actual (a missing month
    filled moves the plan to date and the forecast by the month's plan)."""
    with rolled_back():
        for rows in files:
            last = periods.parse_period(digest(area).headline["spend"]["as_of"]).number
            there = set(
                SchemeValue.objects.filter(
                    scheme__area=area, measure="spend", kind="actual", period__financial_year=YEAR, period__kind="month"
                ).values_list("scheme__ref", "period__number")
            )
            engine_runs.clear()
            # Only spend may be negative (a credit).
            write(
                area,
                [
                    (ref, measure, month, value if measure == "spend" else value.lstrip("-"), note)
                    for ref, measure, month, value, note in rows
                ],
            )
            beyond = any(
                measure == "spend" and (month > last or (ref, month) not in there) for ref, measure, month, _, _ in rows
            )
            assert engine_runs == ([(area.id, YEAR)] if beyond else [])
            assert_matches_the_engine(area)
