"""Read queries for schemes: an area-year's spend against plan, per scheme and in total."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max

from bcf_dashboard import periods
from bcf_dashboard.fields import PENNY, from_hundredths, plain_rows
from funding.models import FundingSource
from metrics import performance

from .models import Scheme, SchemeValue, SchemeYear

ZERO = Decimal("0.00")
SPEND_TOLERANCE_PCT = Decimal(2)


def even_profile(budget: Decimal) -> list[Decimal]:
    """A budget spread over twelve months to the penny, the odd pence in the last month."""
    month = (budget / 12).quantize(PENNY, rounding="ROUND_DOWN")
    return [month] * 11 + [budget - month * 11]


@dataclass
class SchemeSpend:
    scheme: Scheme
    scheme_year: SchemeYear
    plan_months: list[Decimal | None]
    actual_months: list[Decimal | None]
    activity_plan: list[Decimal | None]
    activity_actual: list[Decimal | None]
    saving_plan: list[Decimal | None]
    profiled: bool  # False when no monthly plan was entered and the budget is spread evenly
    as_of: int | None = None
    plan_ytd: Decimal | None = None
    actual_ytd: Decimal | None = None
    forecast_outturn: Decimal = ZERO
    status: str = performance.NO_DATA

    @property
    def budget(self) -> Decimal:
        return self.scheme_year.budget

    @property
    def variance_ytd(self):
        return None if self.actual_ytd is None else self.actual_ytd - self.plan_ytd

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast_outturn - self.budget

    @property
    def has_override(self) -> bool:
        return self.scheme_year.forecast_override is not None

    @property
    def profile_total(self) -> Decimal | None:
        return sum((v for v in self.plan_months if v is not None), ZERO) if self.profiled else None

    @property
    def activity_plan_ytd(self):
        return _sum_through(self.activity_plan, self.as_of)

    @property
    def activity_actual_ytd(self):
        return _sum_through(self.activity_actual, self.as_of)


@dataclass
class SpendSummary:
    year: int
    as_of: periods.PeriodRef | None
    schemes: list[SchemeSpend]
    budget: Decimal = ZERO
    plan_ytd: Decimal | None = None
    actual_ytd: Decimal | None = None
    forecast_outturn: Decimal = ZERO
    cumulative_plan: list[Decimal] = field(default_factory=list)
    cumulative_actual: list[Decimal | None] = field(default_factory=list)

    @property
    def variance_ytd(self):
        return None if self.actual_ytd is None else self.actual_ytd - self.plan_ytd

    @property
    def forecast_variance(self) -> Decimal:
        return self.forecast_outturn - self.budget

    @property
    def status(self) -> str:
        return performance.status(plan=self.plan_ytd, actual=self.actual_ytd, better="lower",
                                  tolerance_pct=SPEND_TOLERANCE_PCT)

    def by_type(self) -> list[dict]:
        """Budget, YTD and forecast per scheme type, largest budget first."""
        groups: dict[str, dict] = {}
        for s in self.schemes:
            group = groups.setdefault(s.scheme.scheme_type, {
                "type": s.scheme.get_scheme_type_display(), "budget": ZERO, "plan_ytd": ZERO,
                "actual_ytd": ZERO, "forecast_outturn": ZERO, "schemes": 0})
            group["budget"] += s.budget
            group["plan_ytd"] += s.plan_ytd or ZERO
            group["actual_ytd"] += s.actual_ytd or ZERO
            group["forecast_outturn"] += s.forecast_outturn
            group["schemes"] += 1
        return sorted(groups.values(), key=lambda g: -g["budget"])


def _sum_through(months: list, through: int | None):
    if through is None:
        return None
    return sum((v for v in months[:through] if v is not None), Decimal(0))


def spend_summaries(area_ids, year: int, *, through: int = 12) -> dict[int, SpendSummary]:
    """Each area's schemes with a budget in the year, keyed by area id, in two queries for any number of areas.

    ``through`` (a month number) leaves out actuals for later months.
    """
    area_ids = list(area_ids)
    # The handful of national funding sources once, not joined to every scheme (the checks group by them).
    sources = {source.id: source for source in FundingSource.objects.all()}
    scheme_years = defaultdict(list)
    for sy in (SchemeYear.objects.filter(scheme__area_id__in=area_ids, financial_year=year)
               .select_related("scheme").order_by("scheme__ref")):
        sy.scheme.funding_source = sources[sy.scheme.funding_source_id]
        scheme_years[sy.scheme.area_id].append(sy)
    grid = _month_grid(SchemeValue.objects.filter(scheme__area_id__in=area_ids), year, through)
    return {area_id: spend_from_rows(year, scheme_years[area_id], grid) for area_id in area_ids}


def _month_grid(values, year: int, through: int) -> dict[tuple, list]:
    """(scheme id, measure, kind) -> the year's twelve months of ``values``, actuals only ``through``."""
    grid: dict[tuple, list] = defaultdict(lambda: [None] * 12)
    # The bulk of the rows at national scale: fetched unsorted, since the grid needs no order.
    rows = plain_rows(values.filter(period__financial_year=year, period__kind=periods.MONTH).order_by()
                      .values_list("scheme_id", "measure", "kind", "period__number", "value"))
    for scheme_id, measure, kind, number, value in rows:
        if kind == "actual" and number > through:
            continue
        grid[(scheme_id, measure, kind)][number - 1] = from_hundredths(value)
    return grid


def scheme_spend(area, scheme: Scheme, year: int) -> tuple[SchemeSpend | None, periods.PeriodRef | None]:
    """One scheme's figures exactly as the area-year's ``SpendSummary`` has them, and the summary's
    ``as_of``, without working out the area's other schemes: the scheme's year to date runs to the
    area's last month with actual spend, found with one aggregate. None without a budget that year."""
    scheme_years = list(SchemeYear.objects.filter(scheme=scheme, financial_year=year))
    last = SchemeValue.objects.filter(
        scheme__area_id=area.id, scheme__years__financial_year=year, period__financial_year=year,
        period__kind=periods.MONTH, measure=SchemeValue.Measure.SPEND, kind="actual",
    ).aggregate(last=Max("period__number"))["last"]
    if not scheme_years:
        return None, periods.month(year, last) if last else None
    scheme_years[0].scheme = scheme
    summary = spend_from_rows(year, scheme_years, _month_grid(SchemeValue.objects.filter(scheme=scheme), year, 12),
                              last=last)
    return summary.schemes[0], summary.as_of


_FROM_SCHEMES = object()


def spend_from_rows(year: int, scheme_years, grid, *, last=_FROM_SCHEMES) -> SpendSummary:
    """Plan, actual and forecast from scheme years and a (scheme, measure, kind) -> 12 months grid.

    ``last``, the area's last month with actual spend, is worked out from these schemes unless given.
    """
    schemes = []
    for sy in scheme_years:
        sid = sy.scheme_id
        planned = (sid, "spend", "plan") in grid
        schemes.append(SchemeSpend(
            scheme=sy.scheme, scheme_year=sy,
            plan_months=grid[(sid, "spend", "plan")] if planned else even_profile(sy.budget),
            actual_months=grid[(sid, "spend", "actual")],
            activity_plan=grid[(sid, "activity", "plan")], activity_actual=grid[(sid, "activity", "actual")],
            saving_plan=grid[(sid, "saving", "plan")], profiled=planned,
        ))

    if last is _FROM_SCHEMES:
        last = max((n + 1 for s in schemes for n, v in enumerate(s.actual_months) if v is not None), default=None)
    summary = SpendSummary(year=year, as_of=periods.month(year, last) if last else None, schemes=schemes)
    for s in schemes:
        _complete(s, last)
        summary.budget += s.budget
        summary.forecast_outturn += s.forecast_outturn
    if last:
        summary.plan_ytd = sum((s.plan_ytd for s in schemes), ZERO)
        summary.actual_ytd = sum((s.actual_ytd for s in schemes), ZERO)
    running_plan, running_actual = ZERO, ZERO
    for n in range(12):
        running_plan += sum((s.plan_months[n] or ZERO for s in schemes), ZERO)
        summary.cumulative_plan.append(running_plan)
        if last and n < last:
            running_actual += sum((s.actual_months[n] or ZERO for s in schemes), ZERO)
            summary.cumulative_actual.append(running_actual)
        else:
            summary.cumulative_actual.append(None)
    return summary


def _complete(s: SchemeSpend, last: int | None) -> None:
    """YTD to the area's last month with spend, and the forecast outturn."""
    s.as_of = last
    plan = [v or ZERO for v in s.plan_months]
    if last:
        s.plan_ytd = sum(plan[:last], ZERO)
        s.actual_ytd = sum((v or ZERO for v in s.actual_months[:last]), ZERO)
        s.status = performance.status(plan=s.plan_ytd, actual=s.actual_ytd, better="lower",
                                      tolerance_pct=SPEND_TOLERANCE_PCT)
    if s.has_override:
        s.forecast_outturn = s.scheme_year.forecast_override
    else:
        s.forecast_outturn = (s.actual_ytd or ZERO) + sum(plan[last or 0:], ZERO)
