"""Spend compared scheme by scheme over each scheme's own months (docs/formats.md section 2): a missing month
is missing, never zero. Pure arithmetic: schemes are plain stand-ins, no database."""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from bcf_dashboard.core.fields import to_hundredths
from schemes.spend import moved_totals, scheme_month_states, schemes_reporting, spend_from_rows

YEAR = 2017
D = Decimal


@dataclass
class Change:
    scheme_id: int
    measure: str
    month: int
    old_value: Decimal | None
    new_value: Decimal


def scheme_year(sid, budget, override=None):
    scheme = SimpleNamespace(id=sid, ref=f"A{sid}", name=f"Scheme A{sid}", status="active", scheme_type="other")
    return SimpleNamespace(scheme_id=sid, scheme=scheme, budget=D(budget), forecast_override=override)


def summary(plans, actuals, overrides=None):
    """plans / actuals: scheme id -> twelve months (None where nothing was entered), handed over in
    integer hundredths as the database stores them."""
    overrides = overrides or {}
    grid = {}
    for sid, months in plans.items():
        grid[(sid, "spend", "plan")] = [None if v is None else to_hundredths(D(v)) for v in months]
    for sid, months in actuals.items():
        grid[(sid, "spend", "actual")] = [None if v is None else to_hundredths(D(v)) for v in months]
    years = [
        scheme_year(sid, sum((D(v) for v in plans[sid] if v is not None), D(0)), overrides.get(sid)) for sid in plans
    ]
    full = {
        key: grid.get(key, [None] * 12)
        for sid in plans
        for key in [(sid, m, k) for m in ("spend", "activity", "saving") for k in ("plan", "actual")]
    }
    return spend_from_rows(YEAR, years, {**full, **{k: v for k, v in grid.items()}})


# Westminster 2017/18 as a finance officer left it: nine schemes reported April to September, seven of
# them 5% over plan and one with a September credit; then October entered for two of the nine.
MONTHLY = [D("162000.00")] * 12
OVER = D("170100.00")  # 5% over plan


def westminster(october_for=()):
    plans = {sid: list(MONTHLY) for sid in range(1, 10)}
    actuals = {sid: [OVER if sid > 2 else D("162000.00")] * 6 + [None] * 6 for sid in range(1, 10)}
    actuals[9][5] = D("162000.00") - D("445170.00")  # one scheme's September credit
    for sid in october_for:
        actuals[sid][6] = D("162000.00")
    return summary(plans, actuals)


def test_october_for_two_of_nine_schemes_does_not_drop_the_forecast_by_seven_missing_plans():
    before, after = westminster(), westminster(october_for=(1, 2))
    assert after.as_of.code == "2017-10"
    # Today's rule took October's plan of the seven silent schemes as spend of zero (£1,134,000 off the
    # forecast, and "below plan" by it): each scheme is compared over its own months instead.
    assert after.forecast_outturn == before.forecast_outturn
    assert after.variance_ytd == before.variance_ytd
    assert after.plan_ytd == before.plan_ytd + 2 * D("162000.00")
    silent = [s for s in after.schemes if s.scheme.id > 2]
    assert all(s.missing_months == [7] for s in silent)
    assert all(s.as_of == 6 and s.plan_ytd == D("972000.00") for s in silent)
    assert schemes_reporting(after.schemes, 7) == (9, 2)


def test_silent_schemes_keep_their_own_status_not_a_green_made_of_a_missing_month():
    """5% over plan to September is not on track; counting October as nothing spent made it look under."""
    after = westminster(october_for=(1, 2))
    silent = [s for s in after.schemes if 2 < s.scheme.id < 9]
    assert {s.status for s in silent} == {"not_on_track"}
    assert all(s.variance_ytd == D("48600.00") for s in silent)  # 6 x £8,100 over, October not compared


def test_schemes_that_have_not_reported_are_not_green():
    plans = {1: list(MONTHLY), 2: list(MONTHLY)}
    after = summary(plans, {1: [D("162000")] * 7 + [None] * 5, 2: [None] * 12})
    quiet = after.schemes[1]
    assert quiet.status == "no_data" and quiet.plan_ytd is None and quiet.actual_ytd is None
    assert scheme_month_states(quiet, 7)[:8] == ["missing"] * 7 + ["not_due"]
    assert quiet.forecast_outturn == D("1944000.00")  # the plan for every month, none of it taken as zero


def test_the_cumulative_actual_stops_at_the_last_month_every_scheme_reported():
    after = westminster(october_for=(1, 2))
    assert after.complete_through == 6
    assert after.cumulative_actual[5] is not None and after.cumulative_actual[6] is None


def test_a_gap_between_months_compares_nothing_rather_than_plan_against_zero():
    s = summary({1: ["100"] * 12}, {1: ["90", None, "110"] + [None] * 9}).schemes[0]
    assert (s.as_of, s.missing_months) == (3, [2])
    assert (s.plan_ytd, s.actual_ytd) == (D(200), D(200))
    assert s.forecast_outturn == D(1200)


MONEY = st.decimals(min_value=-5000, max_value=250000, places=2, allow_nan=False, allow_infinity=False)
MONTH_VALUES = st.lists(st.one_of(st.none(), MONEY), min_size=12, max_size=12)


@st.composite
def area_year(draw):
    count = draw(st.integers(min_value=1, max_value=5))
    plans = {sid: draw(st.lists(MONEY, min_size=12, max_size=12)) for sid in range(1, count + 1)}
    actuals = {sid: draw(MONTH_VALUES) for sid in plans}
    overrides = {sid: D("1000.00") for sid in plans if draw(st.booleans())}
    return plans, actuals, overrides


@given(area_year(), st.data())
def test_an_actual_equal_to_its_plan_never_moves_a_forecast(world, data):
    plans, actuals, overrides = world
    gaps = [(sid, n) for sid, months in actuals.items() for n, v in enumerate(months) if v is None]
    chosen = data.draw(st.lists(st.sampled_from(gaps), unique=True) if gaps else st.just([]))
    before = summary(plans, actuals, overrides)
    filled = {sid: list(months) for sid, months in actuals.items()}
    for sid, n in chosen:
        filled[sid][n] = plans[sid][n]
    after = summary(plans, filled, overrides)
    assert after.forecast_outturn == before.forecast_outturn
    assert after.forecast_variance == before.forecast_variance
    assert [s.forecast_outturn for s in after.schemes] == [s.forecast_outturn for s in before.schemes]


@given(area_year(), st.data())
def test_a_missing_month_never_lowers_a_forecast(world, data):
    """Taking an actual out (the month becomes missing) puts its plan back: the forecast never falls below
    what it would be had the scheme spent its plan, and never moves by more than actual less plan."""
    plans, actuals, overrides = world
    entered = [(sid, n) for sid, months in actuals.items() for n, v in enumerate(months) if v is not None]
    if not entered:
        return
    sid, n = data.draw(st.sampled_from(entered))
    with_it = summary(plans, actuals, overrides)
    without = {k: list(v) for k, v in actuals.items()}
    without[sid][n] = None
    missing = summary(plans, without, overrides)
    as_planned = {k: list(v) for k, v in actuals.items()}
    as_planned[sid][n] = plans[sid][n]
    # The missing month counts exactly as if it were spent to plan: never as zero.
    assert missing.forecast_outturn == summary(plans, as_planned, overrides).forecast_outturn
    expected_move = D(0) if sid in overrides else D(actuals[sid][n]) - D(plans[sid][n])
    assert with_it.forecast_outturn - missing.forecast_outturn == expected_move


@given(area_year(), st.data())
def test_moved_totals_agree_with_the_rule_for_changes_of_actuals_that_were_there(world, data):
    plans, actuals, overrides = world
    before = summary(plans, actuals, overrides)
    entered = [(sid, n) for sid, months in actuals.items() for n, v in enumerate(months) if v is not None]
    if not entered:
        return
    sid, n = data.draw(st.sampled_from(entered))
    new = data.draw(MONEY)
    after_actuals = {k: list(v) for k, v in actuals.items()}
    after_actuals[sid][n] = new
    after = summary(plans, after_actuals, overrides)
    moved = moved_totals(
        actual_ytd=before.actual_ytd,
        forecast_outturn=before.forecast_outturn,
        last_month=before.as_of.number,
        changes=[Change(sid, "spend", n + 1, D(actuals[sid][n]), new)],
        overridden=set(overrides),
    )
    assert moved == (after.actual_ytd, after.forecast_outturn)


def test_moved_totals_leave_a_filled_missing_month_to_the_engine():
    change = Change(1, "spend", 2, None, D("100.00"))
    assert (
        moved_totals(actual_ytd=D(0), forecast_outturn=D(0), last_month=6, changes=[change], overridden=set()) is None
    )
