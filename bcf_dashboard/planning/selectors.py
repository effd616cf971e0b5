"""What the plan pages show: the plan's state, its figures in the national template's order, and its checks."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max

from bcf_dashboard.core import periods, plans
from bcf_dashboard.core.access import APPROVE, EDIT, can
from bcf_dashboard.core.models import AreaYearPlan
from bcf_dashboard.digests.figures import area_year_summary
from funding.models import Contribution, FundingRequirement, RiskShareTerms
from metrics.models import MetricDefinition, MetricValue
from schemes.models import Scheme, SchemeValue, SchemeYear


@dataclass
class PlanPage:
    area: object
    year: int
    plan: AreaYearPlan
    can_edit: bool
    can_approve: bool
    started: bool
    checks: list = field(default_factory=list)

    @property
    def year_label(self):
        return periods.year_label(self.year)

    @property
    def months(self):
        return periods.months_of_year(self.year)


def plan_page(user, area, year: int, *, with_checks: bool = True) -> PlanPage:
    plan = plans.plan_for(area, year)
    checks = area_year_summary(area, year).funding.checks if with_checks else []
    started = year in started_years(area)
    return PlanPage(area, year, plan, can(user, area, EDIT), can(user, area, APPROVE), started, checks)


def scheme_rows(area, year: int) -> list[tuple]:
    """(scheme, its year, planned months April-March) for the year's schemes, in reference order."""
    years = list(
        SchemeYear.objects.filter(scheme__area=area, financial_year=year)
        .select_related("scheme", "scheme__funding_source", "scheme__provider")
        .order_by("scheme__ref")
    )
    months = {}
    for v in SchemeValue.objects.filter(
        scheme__area=area, kind="plan", measure="spend", period__financial_year=year, period__kind="month"
    ).select_related("period"):
        months.setdefault(v.scheme_id, {})[v.period.number] = v.value
    return [(sy.scheme, sy, [months.get(sy.scheme_id, {}).get(n) for n in range(1, 13)]) for sy in years]


def contributions(area, year: int):
    return list(Contribution.objects.filter(area=area, financial_year=year).select_related("partner", "source"))


def requirement(area, year: int):
    return FundingRequirement.objects.filter(area=area, financial_year=year).first()


def metrics_for(area, year: int) -> list[MetricDefinition]:
    found = MetricDefinition.objects.filter(parent__isnull=True).filter(
        area__isnull=True
    ) | MetricDefinition.objects.filter(parent__isnull=True, area=area)
    return [m for m in found.order_by("display_order", "code") if m.applies_in(year)]


def metric_plans(area, year: int) -> dict[int, dict]:
    """metric id -> {0: the year's plan, 1..12: the months'}."""
    found = {}
    for v in (
        MetricValue.objects.filter(area=area, kind="plan", period__financial_year=year)
        .exclude(period__kind="quarter")
        .select_related("period")
    ):
        found.setdefault(v.metric_id, {})[v.period.number] = v.value
    return found


def risk_terms(area, year: int):
    return RiskShareTerms.objects.filter(area=area, financial_year=year).prefetch_related("splits__partner").first()


def ended_schemes(area):
    return list(Scheme.objects.filter(area=area, status=Scheme.Status.BAU))


def started_years(area) -> set[int]:
    """The years the area has started: a stored plan state, or budgets or contributions (a year loaded
    before plans had a state). Starting a year again is refused (``rollforward.start_year``)."""
    years = set(AreaYearPlan.objects.filter(area=area).values_list("financial_year", flat=True))
    years |= set(SchemeYear.objects.filter(scheme__area=area).values_list("financial_year", flat=True).distinct())
    years |= set(Contribution.objects.filter(area=area).values_list("financial_year", flat=True).distinct())
    return years


def planned_years(area) -> list[AreaYearPlan]:
    """Every started year, oldest first, with its plan's state: one without a stored state reads as a
    draft, as ``plans.plan_for`` reads it."""
    stored = {plan.financial_year: plan for plan in AreaYearPlan.objects.filter(area=area)}
    return [stored.get(year) or AreaYearPlan(area=area, financial_year=year) for year in sorted(started_years(area))]


def latest_year(area) -> int:
    """The area's last year with a plan, a budget or a contribution; the current financial year less one if none."""
    found = [
        AreaYearPlan.objects.filter(area=area).aggregate(y=Max("financial_year"))["y"],
        SchemeYear.objects.filter(scheme__area=area).aggregate(y=Max("financial_year"))["y"],
        Contribution.objects.filter(area=area).aggregate(y=Max("financial_year"))["y"],
    ]
    return max([y for y in found if y is not None], default=periods.financial_year_of(datetime.date.today()) - 1)


def activity_initial(scheme, year: int) -> dict:
    """The scheme's planned activity by month, as the activity form's initial values (a1 ... a12)."""
    found = SchemeValue.objects.filter(
        scheme=scheme, kind="plan", measure="activity", period__financial_year=year, period__kind="month"
    ).select_related("period")
    return {f"a{v.period.number}": v.value for v in found}
