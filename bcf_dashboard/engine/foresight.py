"""Foresight for an area-year: each metric's projected year-end, the risk share it leads to, and what
each pound of a scheme with an activity plan buys. The engine's summary calls these once per area;
the arithmetic is the domain apps' (``metrics.foresight``, ``funding.risk_projection``,
``schemes.unit_costs``), and no function here queries.
"""

from funding import risk_projection
from funding.risk_share import RiskSharePosition
from metrics import foresight
from schemes.unit_costs import UnitCosts, unit_costs


def project_metrics(area, metrics, histories: dict) -> None:
    """Set each metric's ``projection``; ``histories`` is ``metric_histories``' entry for the area."""
    for m in metrics:
        m.projection = foresight.foresee(m, history=histories.get(m.definition.id), area=area.name)


def project_risk_share(position: RiskSharePosition, nea) -> None:
    """Set the risk share's year-end ``projection`` from the NEA projection; None without one or a plan."""
    found = nea.projection if nea is not None else None
    if found is None or nea.plan_year is None:
        return
    terms = position.terms
    position.projection = risk_projection.project_risk_share(
        months=found.projection.months,
        cost_per_admission=terms.cost_per_admission,
        contingency=terms.contingency,
        shares=[(s.partner.name, s.share_pct) for s in terms.splits.all()],
        plan_months=foresight.plan_months(nea),
        plan_year=nea.plan_year,
    )


def _month_number(as_of) -> int | None:
    """A scheme's ``as_of`` as a month number, whether the spend rule keeps it as one or as a period."""
    return as_of if as_of is None or isinstance(as_of, int) else as_of.number


def unit_costs_of(s) -> UnitCosts | None:
    """One scheme's (``SchemeSpend``) unit costs to its own last month of actual spend; None without an
    activity plan. Savings are valued at the plan's own rate (its savings over its activity)."""
    if all(v is None for v in s.activity_plan_hundredths):
        return None  # as unit_costs says, without making Decimal months for most of a big area's schemes
    return unit_costs(
        plan_months=s.plan_months,
        actual_months=s.actual_months,
        activity_plan=s.activity_plan,
        activity_actual=s.activity_actual,
        saving_plan=s.saving_plan,
        through=_month_number(s.as_of),
    )


def scheme_unit_costs(spend) -> dict[int, UnitCosts]:
    """Scheme id -> unit costs for the area-year's schemes with an activity plan."""
    found = {s.scheme.id: unit_costs_of(s) for s in spend.schemes}
    return {scheme_id: costs for scheme_id, costs in found.items() if costs is not None}
