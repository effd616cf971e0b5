"""The risk share at the year-end, projected from the NEA projection: pure arithmetic.

FORMATS.md section 2, "Foresight": ``risk_share.projection``. The admissions are the
year's twelve months of non-elective admissions, actuals where there are any and the
projection's months elsewhere (``metrics.projection.Projection.months``). The rule is the
one ``funding.risk_share.exposure`` applies to the year to date, applied to the projected
year: excess admissions (a whole number, never below zero) cost the cost per admission
each, the contingency meets that cost first, and what it cannot cover is split between
the partners by their agreed shares.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from funding import risk_share

MonthValues = Mapping[int, object] | Sequence[object]


@dataclass(frozen=True)
class RiskProjection:
    """The risk share position the projected year would end in.

    ``contingency_runs_out`` is a financial-year month number (1 April ... 12 March), or
    None if the contingency lasts the year; the caller writes it as a period (``2018-02``).
    Money is to the penny.
    """

    excess_admissions_year_end: int
    excess_cost_year_end: Decimal
    contingency_drawn_year_end: Decimal
    contingency_remaining_year_end: Decimal
    contingency_runs_out: int | None
    uncovered_cost_year_end: Decimal
    uncovered_by_partner_year_end: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)


def _twelve(values: MonthValues, what: str) -> list[Decimal]:
    items = values.items() if isinstance(values, Mapping) else enumerate(values, start=1)
    months = {int(m): Decimal(str(v)) if isinstance(v, float) else Decimal(v) for m, v in items if v is not None}
    if sorted(months) != list(range(1, 13)):
        raise ValueError(f"{what} needs a value for each of the twelve months")
    return [months[m] for m in range(1, 13)]


def project_risk_share(
    *,
    months: MonthValues,
    cost_per_admission: Decimal,
    contingency: Decimal,
    shares: list[tuple[str, Decimal]],
    plan_months: MonthValues | None = None,
    plan_year: Decimal | None = None,
) -> RiskProjection:
    """The year-end risk share position and the month the contingency would run out.

    - ``months``: the year's admissions month by month (dict month -> value or twelve values,
      April first): actuals, then projected months. The projected year-end is their sum.
    - ``cost_per_admission``: the risk share's cost per admission (Bromley 2016/17:
      £2,306,227 / 825), unrounded; costs are rounded to the penny.
    - ``contingency``: the contingency held; ``shares``: [(partner, percent)] for the
      uncovered cost (``risk_share.split_by_shares``).
    - ``plan_months`` / ``plan_year``: the planned admissions by month and for the year;
      at least one. ``plan_year`` defaults to the months' sum; without ``plan_months`` the
      year's plan is pro-rated (a twelfth a month). The year-end excess is against
      ``plan_year``; the month it runs out is found along the cumulative monthly plan.

    ``contingency_runs_out`` is the first month in which the cumulative excess cost (the
    excess of admissions over plan from April to that month, as a whole number, times the
    cost per admission) exceeds the contingency, or None if no month's does.
    """
    if plan_months is None and plan_year is None:
        raise ValueError("a risk share projection needs the planned admissions by month or for the year")
    admissions = _twelve(months, "the admissions")
    plan = _twelve(plan_months, "the monthly plan") if plan_months is not None else None
    if plan_year is None:
        plan_year = sum(plan, Decimal(0))

    def position(through: int, planned: Decimal, actual: Decimal) -> risk_share.Exposure:
        return risk_share.exposure(
            through_month=through,
            plan=planned,
            actual=actual,
            cost_per_admission=cost_per_admission,
            contingency=contingency,
            shares=shares,
        )

    runs_out = None
    actual_so_far = Decimal(0)
    for month in range(1, 13):
        actual_so_far += admissions[month - 1]
        planned_so_far = sum(plan[:month], Decimal(0)) if plan is not None else plan_year * month / 12
        if position(month, planned_so_far, actual_so_far).uncovered_cost > 0:
            runs_out = month
            break

    year = position(12, Decimal(plan_year), sum(admissions, Decimal(0)))
    return RiskProjection(
        excess_admissions_year_end=year.excess_admissions,
        excess_cost_year_end=year.excess_cost,
        contingency_drawn_year_end=year.contingency_drawn,
        contingency_remaining_year_end=year.contingency_remaining,
        contingency_runs_out=runs_out,
        uncovered_cost_year_end=year.uncovered_cost,
        uncovered_by_partner_year_end=year.uncovered_by_partner,
    )
