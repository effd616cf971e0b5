"""Starting an area's financial year: rolled forward from the year before, or empty.

Rolled forward: every scheme that ran last year and has not ended keeps all its fields, its budget and
its monthly plan; the partners' contributions by source carry over where the source still applies, the
NHS minimum and the contributions counting towards it raised by the year's uplift (reference data); the
plans of metrics that apply in the new year; the risk share terms with the partners' shares.
"""

from decimal import Decimal

from django.db import transaction

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, can
from bcf_dashboard.core.formats import pence
from bcf_dashboard.core.locks import lock_areas, on_primary
from bcf_dashboard.core.models import AreaYearPlan, Period
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.digests import services as digests
from bcf_dashboard.planning.selectors import started_years
from bcf_dashboard.planning.values import new_batch, write_metric_plan, write_scheme_plan
from funding.models import Contribution, FundingRequirement, RiskShareSplit, RiskShareTerms, UpliftRate
from metrics.models import MetricDefinition, MetricValue
from schemes.models import Scheme, SchemeValue, SchemeYear

ROLL_FORWARD = "roll_forward"
EMPTY = "empty"


def year_started(area, year: int) -> bool:
    return year in started_years(area)


def start_year(*, user, area, year: int, how: str = ROLL_FORWARD) -> AreaYearPlan:
    """Start ``year`` for ``area`` as a draft plan; PlanRefused (nothing written) if it may not be started."""
    label = periods.year_label(year)
    if how not in (ROLL_FORWARD, EMPTY):
        raise PlanRefused("choose to roll the last year forward or to start from empty")
    if not can(user, area, EDIT):
        raise PlanRefused("only a finance officer of the area may start its year")
    with on_primary(), transaction.atomic():
        lock_areas([area.id])
        if year_started(area, year):
            raise PlanRefused(f"{label} is already started for {area.name}: edit its plan instead")
        Period.ensure_years([year])
        plan = AreaYearPlan.objects.create(area=area, financial_year=year)
        if how == ROLL_FORWARD:
            _roll_forward(user, area, year)
        digests.changed([(area.id, year)])
    return plan


def _roll_forward(user, area, year):
    last = year - 1
    uplift = UpliftRate.objects.filter(financial_year=year).first()
    rise = 1 + uplift.rate_pct / 100 if uplift else Decimal(1)
    batch = new_batch(user=user, file_name=f"{periods.year_label(year)} rolled forward from {periods.year_label(last)}")

    previous = FundingRequirement.objects.filter(area=area, financial_year=last).first()
    if previous and not FundingRequirement.objects.filter(area=area, financial_year=year).exists():
        FundingRequirement.objects.create(
            area=area,
            financial_year=year,
            nhs_minimum=pence(previous.nhs_minimum * rise),
            social_care_minimum=previous.social_care_minimum,
            out_of_hospital_minimum=previous.out_of_hospital_minimum,
            note=f"Rolled forward from {periods.year_label(last)}"
            + (f" with the {uplift.rate_pct.normalize()}% uplift" if uplift else ""),
        )

    for c in Contribution.objects.filter(area=area, financial_year=last).select_related("source"):
        if c.source.applies_in(year):
            amount = pence(c.amount * rise) if c.source.counts_towards_nhs_minimum else c.amount
            Contribution.objects.create(
                area=area, financial_year=year, partner_id=c.partner_id, source=c.source, amount=amount, note=c.note
            )

    last_plans = {}
    for value in SchemeValue.objects.filter(
        scheme__area=area, kind="plan", measure="spend", period__financial_year=last, period__kind="month"
    ).select_related("period"):
        last_plans.setdefault(value.scheme_id, {})[value.period.number] = value.value
    for scheme_year in SchemeYear.objects.filter(
        scheme__area=area, financial_year=last, scheme__status=Scheme.Status.ACTIVE
    ).select_related("scheme"):
        SchemeYear.objects.create(scheme=scheme_year.scheme, financial_year=year, budget=scheme_year.budget)
        if last_plans.get(scheme_year.scheme_id):
            write_scheme_plan(
                batch=batch, user=user, scheme=scheme_year.scheme, year=year, months=last_plans[scheme_year.scheme_id]
            )

    metric_plans = {}
    for value in MetricValue.objects.filter(area=area, kind="plan", period__financial_year=last).select_related(
        "period", "metric"
    ):
        if value.period.kind == "quarter":
            continue
        month = value.period.kind == "month"
        code = periods.month(year, value.period.number).code if month else periods.whole_year(year).code
        metric_plans.setdefault(value.metric, {})[code] = value.value
    applying = {m.id for m in MetricDefinition.objects.all() if m.applies_in(year)}
    for metric, values in metric_plans.items():
        if metric.id in applying:
            write_metric_plan(batch=batch, user=user, area=area, metric=metric, year=year, values=values)

    terms = RiskShareTerms.objects.filter(area=area, financial_year=last).first()
    if terms:
        new_terms = RiskShareTerms.objects.create(
            area=area,
            financial_year=year,
            planned_nea_reduction=terms.planned_nea_reduction,
            cost_per_admission=terms.cost_per_admission,
            contingency=terms.contingency,
            performance_fund=terms.performance_fund,
            note=terms.note,
        )
        for split in terms.splits.all():
            RiskShareSplit.objects.create(terms=new_terms, partner_id=split.partner_id, share_pct=split.share_pct)
