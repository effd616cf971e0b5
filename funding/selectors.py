"""Read queries for the pooled budget: contributions, checks and the risk share position."""

from collections import defaultdict

from funding.checks import FundingPosition, checks_for
from funding.models import Contribution, FundingRequirement, RiskShareTerms, UpliftRate
from funding.risk_share import RiskSharePosition, risk_share_from_terms


def funding_positions(area_ids, year: int, *, spends, metrics) -> dict[int, FundingPosition]:
    """Each area's contributions and checks, keyed by area id; ``spends`` and ``metrics`` are keyed the same way."""
    area_ids = list(area_ids)
    contributions = defaultdict(list)
    for c in (
        Contribution.objects.filter(area_id__in=area_ids, financial_year=year)
        .select_related("partner", "source")
        .order_by("source__first_year", "source__name", "partner__name")
    ):
        contributions[c.area_id].append(c)
    requirements = defaultdict(dict)
    for r in FundingRequirement.objects.filter(area_id__in=area_ids, financial_year__in=[year - 1, year]):
        requirements[r.area_id][r.financial_year] = r
    uplift = UpliftRate.objects.filter(financial_year=year).first()
    result = {}
    for area_id in area_ids:
        paid, spend, area_requirements = contributions[area_id], spends[area_id], requirements[area_id]
        requirement = area_requirements.get(year)
        result[area_id] = FundingPosition(
            contributions=paid,
            requirement=requirement,
            checks=checks_for(
                year,
                contributions=paid,
                spend=spend,
                requirement=requirement,
                previous=area_requirements.get(year - 1),
                uplift=uplift,
                metrics=metrics[area_id],
            ),
        )
    return result


def funding_position(area, year: int, *, spend, metrics) -> FundingPosition:
    return funding_positions([area.id], year, spends={area.id: spend}, metrics={area.id: metrics})[area.id]


def risk_share_positions(area_ids, year: int, *, metrics) -> dict[int, RiskSharePosition]:
    """Each area's risk share for the year, keyed by area id (areas without terms are left out)."""
    terms_by_area = {
        t.area_id: t
        for t in RiskShareTerms.objects.filter(area_id__in=list(area_ids), financial_year=year).prefetch_related(
            "splits__partner"
        )
    }
    return {
        area_id: risk_share_from_terms(terms, nea=next((m for m in metrics[area_id] if m.code == "NEA"), None))
        for area_id, terms in terms_by_area.items()
    }


def risk_share_position(area, year: int, *, nea) -> RiskSharePosition | None:
    """The year's risk share; ``nea`` is the area's NEA performance (or None if it has none)."""
    return risk_share_positions([area.id], year, metrics={area.id: [nea] if nea else []}).get(area.id)


def cost_per_admission(area, year: int):
    """The cost of an emergency admission the area's risk share assumes for the year, or None (one query)."""
    return (
        RiskShareTerms.objects.filter(area=area, financial_year=year)
        .values_list("cost_per_admission", flat=True)
        .first()
    )
