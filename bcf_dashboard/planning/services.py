"""Changes to an area-year's plan: schemes and their budgets and profiles, contributions, metric plans, risk share.

Each is one transaction under the area's lock. While the plan is a draft a finance officer changes it
freely; once agreed every change needs a reason (``core.plans.revision_reason``), kept on the history
row of the record it changes (simple-history's change reason) and on the batch of any monthly figure.
Each ends by bringing the area-year's digest up to date.
"""

from contextlib import contextmanager
from decimal import Decimal

from django.db import transaction

from bcf_dashboard.core import periods, plans
from bcf_dashboard.core.access import EDIT, can
from bcf_dashboard.core.locks import lock_areas, on_primary
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.digests import services as digests
from bcf_dashboard.planning import profiles
from bcf_dashboard.planning.values import new_batch, scheme_plan_differs, write_metric_plan, write_scheme_plan
from funding.models import Contribution, RiskShareSplit, RiskShareTerms
from schemes.models import Scheme, SchemeValue, SchemeYear

SCHEME_FIELDS = (
    "ref",
    "name",
    "description",
    "scheme_type",
    "area_of_spend",
    "commissioner",
    "la_share_pct",
    "nhs_share_pct",
    "provider",
    "provider_name",
    "funding_source",
    "is_new",
)
EVEN, LIKE_LAST_YEAR, TYPED = "even", "like_last_year", "typed"


@contextmanager
def plan_change(*, user, area, year: int, reason: str = ""):
    """The frame of every plan change: access, the reason an agreed plan needs, the lock, the digest."""
    if not can(user, area, EDIT):
        raise PlanRefused("only a finance officer of the area may change its plan")
    with on_primary(), transaction.atomic():
        lock_areas([area.id])
        yield plans.revision_reason(area, year, reason)
        digests.changed([(area.id, year)])


def _save(instance, reason, user):
    """Save with the history row naming who and why (also from the command, where no request says who)."""
    instance._change_reason = reason or None
    instance._history_user = user
    instance.save()


def check_split(commissioner: str, la_share_pct: Decimal, nhs_share_pct: Decimal) -> None:
    if la_share_pct is None or nhs_share_pct is None or la_share_pct + nhs_share_pct != 100:
        raise PlanRefused(
            "the commissioner split must add up to 100%: give the local authority's and the NHS's "
            "shares so that together they make 100"
        )
    if min(la_share_pct, nhs_share_pct) < 0:
        raise PlanRefused("a commissioner's share cannot be below 0%")
    if (commissioner == "la" and la_share_pct != 100) or (commissioner == "nhs" and nhs_share_pct != 100):
        raise PlanRefused("a single commissioner takes 100% of the split: choose 'Joint' to share it")


def save_scheme(
    *,
    user,
    area,
    year: int,
    fields: dict,
    budget: Decimal,
    scheme: Scheme | None = None,
    reason: str = "",
    restart: bool = True,
) -> Scheme:
    """Add a scheme to the year (``scheme`` None) or change one, with its budget for the year.

    A scheme changed on the plan's pages runs again (``restart``); the planning workbook, which has no
    column for a scheme's status, leaves an ended scheme's status as it is."""
    check_split(fields["commissioner"], fields["la_share_pct"], fields["nhs_share_pct"])
    if budget is None or budget < 0:
        raise PlanRefused("give the scheme's budget for the year in pounds, 0 or more")
    with plan_change(user=user, area=area, year=year, reason=reason) as reason:
        clash = Scheme.objects.filter(area=area, ref=fields["ref"]).exclude(pk=getattr(scheme, "pk", None))
        if clash.exists():
            raise PlanRefused(f"{area.name} already has a scheme {fields['ref']}: give this one another reference")
        scheme = scheme or Scheme(area=area)
        for name in SCHEME_FIELDS:
            setattr(scheme, name, fields[name])
        if restart or scheme.pk is None:
            scheme.status = Scheme.Status.ACTIVE
        _save(scheme, reason, user)
        scheme_year = SchemeYear.objects.filter(scheme=scheme, financial_year=year).first() or SchemeYear(
            scheme=scheme, financial_year=year
        )
        if scheme_year.pk is None or scheme_year.budget != budget:
            scheme_year.budget = budget
            _save(scheme_year, reason, user)
    return scheme


def end_scheme(*, user, area, year: int, scheme: Scheme, reason: str = "") -> Scheme:
    """The scheme ends (moves to business as usual): it keeps its past years and is not rolled forward."""
    with plan_change(user=user, area=area, year=year, reason=reason) as reason:
        scheme.status = Scheme.Status.BAU
        _save(scheme, reason, user)
    return scheme


def last_years_actuals(scheme: Scheme, year: int) -> list[Decimal | None]:
    found = {
        v.period.number: v.value
        for v in SchemeValue.objects.filter(
            scheme=scheme, kind="actual", measure="spend", period__financial_year=year - 1, period__kind="month"
        ).select_related("period")
    }
    return [found.get(n) for n in range(1, 13)]


def profile_scheme(
    *, user, area, year: int, scheme: Scheme, how: str, months: list | None = None, reason: str = ""
) -> list[Decimal | None]:
    """Set the scheme's planned monthly spend: spread evenly, shaped like last year's actuals, or typed."""
    scheme_year = SchemeYear.objects.filter(scheme=scheme, financial_year=year).first()
    if scheme_year is None:
        raise PlanRefused(f"{scheme.ref} has no budget for {periods.year_label(year)}: give it one first")
    try:
        if how == EVEN:
            months = profiles.even(scheme_year.budget)
        elif how == LIKE_LAST_YEAR:
            months = profiles.shaped_like(scheme_year.budget, last_years_actuals(scheme, year))
        elif how != TYPED or months is None or len(months) != 12:
            raise PlanRefused("choose how to profile the budget: evenly, like last year's actuals, or typed")
    except profiles.ProfileError as error:
        raise PlanRefused(str(error)) from None
    if not scheme_plan_differs(scheme=scheme, year=year, months=dict(enumerate(months, start=1))):
        return months
    with plan_change(user=user, area=area, year=year, reason=reason) as reason:
        batch = new_batch(user=user, reason=reason, file_name=f"Profile of {scheme.ref}")
        write_scheme_plan(batch=batch, user=user, scheme=scheme, year=year, months=dict(enumerate(months, start=1)))
    return months


def plan_activity(*, user, area, year: int, scheme: Scheme, months: list, reason: str = "") -> int:
    """The scheme's planned activity by month (packages, hours, placements: the plan's own unit); None clears."""
    if len(months) != 12 or any(v is not None and v < 0 for v in months):
        raise PlanRefused("give the planned activity as twelve months of 0 or more, or leave a month blank")
    if not scheme_plan_differs(scheme=scheme, year=year, months=dict(enumerate(months, start=1)), measure="activity"):
        return 0
    with plan_change(user=user, area=area, year=year, reason=reason) as reason:
        batch = new_batch(user=user, reason=reason, file_name=f"Activity plan of {scheme.ref}")
        return write_scheme_plan(
            batch=batch,
            user=user,
            scheme=scheme,
            year=year,
            months=dict(enumerate(months, start=1)),
            measure="activity",
        )


def save_contribution(
    *, user, area, year: int, partner, source, amount: Decimal | None, note: str = "", reason: str = ""
) -> Contribution | None:
    """Set a partner's contribution from a source for the year; no amount removes it."""
    if not source.applies_in(year):
        raise PlanRefused(f"{source.name} does not apply in {periods.year_label(year)}: choose a source of that year")
    if amount is not None and amount < 0:
        raise PlanRefused("a contribution cannot be negative")
    with plan_change(user=user, area=area, year=year, reason=reason) as reason:
        found = Contribution.objects.filter(area=area, financial_year=year, partner=partner, source=source).first()
        if amount is None:
            if found:
                found._change_reason, found._history_user = reason or None, user
                found.delete()
            return None
        found = found or Contribution(area=area, financial_year=year, partner=partner, source=source)
        found.amount, found.note = amount, note
        _save(found, reason, user)
    return found


def save_metric_plan(
    *, user, area, year: int, metric, annual: Decimal | None, months: list | None = None, reason: str = ""
) -> int:
    """A metric's plan for the year, and its monthly trajectory where it is planned monthly (None clears)."""
    if not metric.applies_in(year):
        raise PlanRefused(f"{metric.code} does not apply in {periods.year_label(year)}")
    values = {periods.whole_year(year).code: annual}
    for number, value in enumerate(months or [], start=1):
        values[periods.month(year, number).code] = value
    if any(v is not None and v < 0 for v in values.values()):
        raise PlanRefused(f"{metric.code}'s plan cannot be negative")
    with plan_change(user=user, area=area, year=year, reason=reason) as reason:
        batch = new_batch(user=user, reason=reason, file_name=f"Plan for {metric.code}")
        return write_metric_plan(batch=batch, user=user, area=area, metric=metric, year=year, values=values)


def save_risk_share(
    *,
    user,
    area,
    year: int,
    planned_nea_reduction: int,
    cost_per_admission: Decimal,
    contingency: Decimal,
    performance_fund: bool,
    shares: dict,
    reason: str = "",
) -> RiskShareTerms:
    """The year's risk share terms and the partners' shares (partner -> percent, adding up to 100)."""
    if planned_nea_reduction < 0 or cost_per_admission < 0 or contingency < 0:
        raise PlanRefused("the planned reduction, cost per admission and contingency cannot be negative")
    if shares and sum(shares.values()) != 100:
        raise PlanRefused(f"the partners' shares add up to {sum(shares.values())}%: they must make 100%")
    with plan_change(user=user, area=area, year=year, reason=reason) as reason:
        terms = RiskShareTerms.objects.filter(area=area, financial_year=year).first() or RiskShareTerms(
            area=area, financial_year=year
        )
        terms.planned_nea_reduction, terms.cost_per_admission = planned_nea_reduction, cost_per_admission
        terms.contingency, terms.performance_fund = contingency, performance_fund
        _save(terms, reason, user)
        terms.splits.exclude(partner__in=list(shares)).delete()
        for partner, pct in shares.items():
            RiskShareSplit.objects.update_or_create(terms=terms, partner=partner, defaults={"share_pct": pct})
    return terms
