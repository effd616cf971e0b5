"""Cost per unit of activity, and savings realised, for schemes with an activity plan.

Pure arithmetic on a scheme's twelve months (April first; ``None`` where there is no
value), in the shape ``schemes.selectors.SchemeSpend`` holds them: ``plan_months`` and
``actual_months`` of spend in pounds, ``activity_plan`` and ``activity_actual`` (e.g.
Bromley's Figure 10: admissions avoided a month), ``saving_plan`` (Figure 10's savings a
month, in pounds), and ``through``, the scheme's ``as_of`` (last month with actual spend).

- Planned cost per unit = planned spend to date / planned activity to date, over the
  months 1..``through``.
- Actual cost per unit = actual spend / actual activity over the months to date that have
  both an actual spend and an actual activity, so a month whose activity has not been
  reported yet (or whose spend has not) weighs on neither side.
- Planned cost per unit for the year = the year's planned spend / the year's planned
  activity, both added up from the months (as the dashboard computes totals). Where the plan
  states a different annual activity (Figure 10 states 162 for B6, whose months add up to
  161), ``activity_plan_stated`` gives the same cost per unit on the stated figure beside it.
- Savings. Planned to date: the plan's monthly savings added up to ``through``, as the plan
  states them. Realised to date: the activity achieved to date times one saving per unit for
  the year: ``saving_per_unit`` where the plan states one (Figure 10 values every admission
  avoided at £2,306,227 / 825, the risk share's cost per admission), else the year's planned
  savings over the year's planned activity, from the months. One rate for the year rather
  than each month's own: the plan's months value the same unit differently for no stated
  reason (B6: 13 admissions are £37,441 in April and £35,658 in May).

Money is rounded to the penny; a cost or saving per unit is ``None`` where the activity
it divides by is missing or zero.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bcf_dashboard.core.formats import pence

Months = Sequence[Decimal | int | None]


@dataclass(frozen=True)
class UnitCosts:
    """A scheme's activity, cost per unit and savings, to date (through ``through``) and for the year."""

    through: int | None
    activity_plan_year: Decimal
    activity_plan_ytd: Decimal | None
    activity_actual_ytd: Decimal | None
    spend_plan_ytd: Decimal | None
    spend_actual_ytd: Decimal | None  # over the months with both actual spend and activity
    cost_per_unit_plan_year: Decimal | None
    activity_plan_stated: Decimal | None  # the plan's stated annual activity, where given
    cost_per_unit_plan_year_stated: Decimal | None
    cost_per_unit_plan: Decimal | None
    cost_per_unit_actual: Decimal | None
    saving_per_unit_plan: Decimal | None
    savings_plan_ytd: Decimal | None
    savings_realised_ytd: Decimal | None


def _known(months: Months | None, through: int = 12) -> list[tuple[int, Decimal]]:
    if months is None:
        return []
    return [(m, Decimal(v)) for m, v in enumerate(months[:through], start=1) if v is not None]


def _total(months: Months | None, through: int = 12) -> Decimal | None:
    known = _known(months, through)
    return sum((v for _, v in known), Decimal(0)) if known else None


def _per_unit(amount: Decimal | None, units: Decimal | None) -> Decimal | None:
    if amount is None or not units:
        return None
    return pence(amount / units)


def unit_costs(
    *,
    plan_months: Months,
    actual_months: Months,
    activity_plan: Months,
    activity_actual: Months,
    saving_plan: Months | None = None,
    through: int | None,
    saving_per_unit: Decimal | None = None,
    activity_plan_stated: Decimal | None = None,
) -> UnitCosts | None:
    """The scheme's activity and unit costs to ``through``; None for a scheme with no activity plan.

    ``through`` is the last month of the year to date (the scheme's ``as_of``), or None before
    any actual spend, when only the year's planned figures are given. ``saving_per_unit`` is
    the plan's stated saving per unit, if any; ``activity_plan_stated`` the plan's stated
    annual activity, if any (both as described in the module's docstring).
    """
    activity_plan_year = _total(activity_plan)
    if activity_plan_year is None:
        return None
    saving_plan_year = _total(saving_plan)
    spend_plan_year = _total(plan_months)
    cost_plan_year = _per_unit(spend_plan_year, activity_plan_year)
    stated = None if activity_plan_stated is None else Decimal(activity_plan_stated)
    cost_plan_year_stated = _per_unit(spend_plan_year, stated)
    if saving_per_unit is not None:
        rate = Decimal(saving_per_unit)
    elif saving_plan_year is not None and activity_plan_year:
        rate = saving_plan_year / activity_plan_year
    else:
        rate = None
    year = {
        "activity_plan_year": activity_plan_year,
        "cost_per_unit_plan_year": cost_plan_year,
        "activity_plan_stated": stated,
        "cost_per_unit_plan_year_stated": cost_plan_year_stated,
        "saving_per_unit_plan": None if rate is None else pence(rate),
    }
    if through is None:
        return UnitCosts(
            through=None,
            activity_plan_ytd=None,
            activity_actual_ytd=None,
            spend_plan_ytd=None,
            spend_actual_ytd=None,
            cost_per_unit_plan=None,
            cost_per_unit_actual=None,
            savings_plan_ytd=None,
            savings_realised_ytd=None,
            **year,
        )

    activity_plan_ytd = _total(activity_plan, through)
    activity_actual_ytd = _total(activity_actual, through)
    spend_plan_ytd = _total(plan_months, through)

    spent = dict(_known(actual_months, through))
    paired = [(spent[m], units) for m, units in _known(activity_actual, through) if m in spent]
    spend_actual_ytd = pence(sum((s for s, _ in paired), Decimal(0))) if paired else None
    paired_units = sum((u for _, u in paired), Decimal(0)) if paired else None

    savings_plan_ytd = _total(saving_plan, through)
    realised = None if rate is None or activity_actual_ytd is None else pence(rate * activity_actual_ytd)
    return UnitCosts(
        through=through,
        activity_plan_ytd=activity_plan_ytd,
        activity_actual_ytd=activity_actual_ytd,
        spend_plan_ytd=None if spend_plan_ytd is None else pence(spend_plan_ytd),
        spend_actual_ytd=spend_actual_ytd,
        cost_per_unit_plan=_per_unit(spend_plan_ytd, activity_plan_ytd),
        cost_per_unit_actual=_per_unit(spend_actual_ytd, paired_units),
        savings_plan_ytd=None if savings_plan_ytd is None else pence(savings_plan_ytd),
        savings_realised_ytd=realised,
        **year,
    )
