"""Small, explicit builders for test data (the demo loader is tested on its own)."""

from decimal import Decimal

from bcf_dashboard.core.models import Area, Partner, Period, Population
from funding.models import Contribution, FundingRequirement, FundingSource, RiskShareSplit, RiskShareTerms, UpliftRate
from metrics.models import MetricDefinition, MetricValue
from schemes.models import Scheme, SchemeValue, SchemeYear

METRICS = {
    # lag_months as the reference data has them: a month's figure is due that many months after it.
    "NEA": dict(name="Non-elective admissions", unit="count", better="lower", rollup="sum", lag_months=2),
    "DTOC": dict(name="Delayed transfers of care", unit="rate", better="lower", rollup="mean", lag_months=2),
    "RES": dict(
        name="Permanent admissions to care homes, 65+",
        unit="rate",
        better="lower",
        rollup="sum",
        entered_as="count",
        population_band="65+",
        lag_months=3,
    ),
    "REA": dict(
        name="Still at home 91 days after reablement", unit="percent", better="higher", rollup="latest", lag_months=3
    ),
}


def area(code="E09000033", name="Westminster"):
    return Area.objects.get_or_create(code=code, defaults={"name": name, "region": "London"})[0]


def partner(code, name, kind):
    return Partner.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]


def metric(code, **overrides):
    fields = dict(METRICS.get(code, {}), first_year=2014)
    fields.update(overrides)
    return MetricDefinition.objects.get_or_create(code=code, defaults=fields)[0]


def periods_for(*years):
    return Period.ensure_years(years)


def metric_values(the_area, the_metric, kind, values: dict):
    """``values`` maps period codes ('2017-04', '2017/18-Q1', '2017/18') to numbers."""
    found = Period.ensure_years({_year_of(c) for c in values})
    for code, value in values.items():
        MetricValue.objects.update_or_create(
            area=the_area, metric=the_metric, period=found[code], kind=kind, defaults={"value": Decimal(str(value))}
        )


def _year_of(code):
    from bcf_dashboard.core import periods

    return periods.parse_period(code).financial_year


def source(code="nhs-minimum", name="NHS minimum contribution", paid_by="nhs", counts=True, first_year=2014):
    return FundingSource.objects.get_or_create(
        code=code,
        defaults={"name": name, "paid_by": paid_by, "counts_towards_nhs_minimum": counts, "first_year": first_year},
    )[0]


def scheme(the_area, ref, year, budget, *, plan=None, actual=None, funding=None, **fields):
    """A scheme with a budget for ``year``; ``plan``/``actual`` are lists of monthly spend from April."""
    defaults = dict(
        name=f"Scheme {ref}",
        scheme_type="intermediate_care",
        area_of_spend="community_health",
        commissioner="nhs",
        la_share_pct=0,
        nhs_share_pct=100,
        funding_source=funding or source(),
    )
    defaults.update(fields)
    the_scheme = Scheme.objects.get_or_create(area=the_area, ref=ref, defaults=defaults)[0]
    SchemeYear.objects.update_or_create(
        scheme=the_scheme, financial_year=year, defaults={"budget": Decimal(str(budget))}
    )
    found = Period.ensure_years([year])
    from bcf_dashboard.core import periods

    rows = []
    for kind, months in (("plan", plan or []), ("actual", actual or [])):
        for number, value in enumerate(months, start=1):
            if value is not None:
                rows.append(
                    SchemeValue(
                        scheme=the_scheme,
                        period=found[periods.month(year, number).code],
                        measure="spend",
                        kind=kind,
                        value=Decimal(str(value)),
                    )
                )
    SchemeValue.objects.bulk_create(rows)
    return the_scheme


def contribution(the_area, year, amount, *, the_partner=None, the_source=None):
    the_partner = the_partner or partner("09A", "NHS Central London CCG", "ccg")
    return Contribution.objects.create(
        area=the_area,
        financial_year=year,
        partner=the_partner,
        source=the_source or source(),
        amount=Decimal(str(amount)),
    )


def requirement(the_area, year, nhs_minimum, **minima):
    return FundingRequirement.objects.create(
        area=the_area, financial_year=year, nhs_minimum=Decimal(str(nhs_minimum)), **minima
    )


def uplift(year, rate):
    return UpliftRate.objects.get_or_create(financial_year=year, defaults={"rate_pct": Decimal(str(rate))})[0]


def population(the_area, year, band, value):
    return Population.objects.create(area=the_area, year=year, band=band, population=value)


def risk_terms(the_area, year, *, reduction, cost, contingency, splits=(), performance_fund=False):
    terms = RiskShareTerms.objects.create(
        area=the_area,
        financial_year=year,
        planned_nea_reduction=reduction,
        cost_per_admission=Decimal(str(cost)),
        contingency=Decimal(str(contingency)),
        performance_fund=performance_fund,
    )
    for the_partner, pct in splits:
        RiskShareSplit.objects.create(terms=terms, partner=the_partner, share_pct=Decimal(str(pct)))
    return terms
