"""Read queries for the pooled budget: contributions, checks and the risk share position."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from metrics.performance import rollup_actual, rollup_plan

from . import checks as funding_checks
from . import risk_share
from .models import Contribution, FundingRequirement, RiskShareTerms, UpliftRate

ZERO = Decimal("0.00")


@dataclass
class FundingPosition:
    contributions: list[Contribution]
    requirement: FundingRequirement | None
    checks: list[funding_checks.Check] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.contributions), ZERO)

    @property
    def failing_checks(self) -> list[funding_checks.Check]:
        return [c for c in self.checks if not c.passed]

    def by_source(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = {}
        for c in self.contributions:
            totals[c.source.name] = totals.get(c.source.name, ZERO) + c.amount
        return sorted(totals.items(), key=lambda item: -item[1])

    def by_partner(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = {}
        for c in self.contributions:
            totals[c.partner.name] = totals.get(c.partner.name, ZERO) + c.amount
        return sorted(totals.items(), key=lambda item: -item[1])


def funding_positions(area_ids, year: int, *, spends, metrics) -> dict[int, FundingPosition]:
    """Each area's contributions and checks, keyed by area id; ``spends`` and ``metrics`` are keyed the same way."""
    area_ids = list(area_ids)
    contributions = defaultdict(list)
    for c in (Contribution.objects.filter(area_id__in=area_ids, financial_year=year).select_related("partner", "source")
              .order_by("source__first_year", "source__name", "partner__name")):
        contributions[c.area_id].append(c)
    requirements = defaultdict(dict)
    for r in FundingRequirement.objects.filter(area_id__in=area_ids, financial_year__in=[year - 1, year]):
        requirements[r.area_id][r.financial_year] = r
    uplift = UpliftRate.objects.filter(financial_year=year).first()
    result = {}
    for area_id in area_ids:
        paid, spend, area_requirements = contributions[area_id], spends[area_id], requirements[area_id]
        requirement = area_requirements.get(year)
        found = [
            funding_checks.nhs_minimum_met(year, paid, requirement),
            funding_checks.nhs_minimum_uplift(year, requirement, area_requirements.get(year - 1), uplift),
            funding_checks.social_care_maintained(spend, requirement),
            funding_checks.out_of_hospital_met(spend, requirement),
            *funding_checks.spend_within_income(spend, paid),
            funding_checks.profiles_add_up(spend),
            *funding_checks.metric_plans_agree(metrics[area_id]),
        ]
        result[area_id] = FundingPosition(contributions=paid, requirement=requirement,
                                          checks=[c for c in found if c is not None])
    return result


def funding_position(area, year: int, *, spend, metrics) -> FundingPosition:
    return funding_positions([area.id], year, spends={area.id: spend}, metrics={area.id: metrics})[area.id]


@dataclass
class RiskSharePosition:
    terms: RiskShareTerms
    value_at_risk: Decimal
    contingency_share_pct: Decimal | None
    ytd: risk_share.Exposure | None
    quarters: list[risk_share.Exposure]
    fund_quarters: list[risk_share.FundQuarter]

    @property
    def contingency(self) -> Decimal:
        return self.terms.contingency

    @property
    def risk_beyond_contingency(self) -> Decimal:
        return max(ZERO, self.value_at_risk - self.terms.contingency)

    @property
    def fund_released(self) -> Decimal:
        return sum((q.released for q in self.fund_quarters), ZERO)


def risk_share_positions(area_ids, year: int, *, metrics) -> dict[int, RiskSharePosition]:
    """Each area's risk share for the year, keyed by area id (areas without terms are left out)."""
    terms_by_area = {t.area_id: t for t in RiskShareTerms.objects.filter(area_id__in=list(area_ids), financial_year=year)
                     .prefetch_related("splits__partner")}
    return {area_id: risk_share_from_terms(terms, nea=next((m for m in metrics[area_id] if m.code == "NEA"), None))
            for area_id, terms in terms_by_area.items()}


def risk_share_position(area, year: int, *, nea) -> RiskSharePosition | None:
    """The year's risk share; ``nea`` is the area's NEA performance (or None if it has none)."""
    return risk_share_positions([area.id], year, metrics={area.id: [nea] if nea else []}).get(area.id)


def risk_share_from_terms(terms: RiskShareTerms, *, nea) -> RiskSharePosition:
    """Value at risk, and the exposure to date and by quarter from the NEA performance."""
    cost = terms.cost_per_admission
    at_risk = risk_share.value_at_risk(terms.planned_nea_reduction, cost)
    shares = [(s.partner.name, s.share_pct) for s in terms.splits.all()]
    position = RiskSharePosition(terms=terms, value_at_risk=at_risk,
                                 contingency_share_pct=risk_share.contingency_share_pct(terms.contingency, at_risk),
                                 ytd=None, quarters=[], fund_quarters=[])
    if nea is None or nea.as_of is None:
        return position

    def exposure_to(month):
        plan = rollup_plan("sum", nea.plan_values, month)
        actual = rollup_actual("sum", nea.actual_values, month)
        if plan is None or actual is None:
            return None
        return risk_share.exposure(through_month=month, plan=plan, actual=actual, cost_per_admission=cost,
                                   contingency=terms.contingency, shares=shares)

    position.ytd = exposure_to(nea.as_of.number)
    for quarter in range(1, 5):
        if nea.as_of.number >= 3 * quarter:
            found = exposure_to(3 * quarter)
            if found:
                position.quarters.append(found)
    if terms.performance_fund:
        planned_per_quarter = Decimal(terms.planned_nea_reduction) / 4
        for quarter in range(1, nea.as_of.number // 3 + 1):
            plan = _quarter_sum(rollup_plan, nea.plan_values, quarter)
            actual = _quarter_sum(rollup_actual, nea.actual_values, quarter)
            if plan is None or actual is None:
                break
            position.fund_quarters.append(risk_share.performance_fund_quarter(
                quarter=quarter, planned_reduction=planned_per_quarter, plan=plan, actual=actual,
                cost_per_admission=cost))
    return position


def _quarter_sum(rollup, values, quarter: int):
    """Admissions within one quarter: the running total at its end less that at the end of the last."""
    to_end = rollup("sum", values, 3 * quarter)
    before = rollup("sum", values, 3 * quarter - 3) if quarter > 1 else Decimal(0)
    return None if to_end is None else to_end - (before or 0)
