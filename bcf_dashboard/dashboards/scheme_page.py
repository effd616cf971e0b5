"""A scheme's page: its fields, its year's months of plan against actual, and its history of changes."""

import datetime
from dataclasses import dataclass, field

from django.http import Http404

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import ValueChange
from bcf_dashboard.engine.foresight import unit_costs_of
from funding.selectors import cost_per_admission
from schemes.charts import scheme_activity_figure, scheme_spend_figure
from schemes.models import Scheme, SchemeValue
from schemes.selectors import scheme_spend
from schemes.spend import SchemeSpend

CHANGES_SHOWN = 50  # the latest; the scheme's history page has them all


@dataclass
class MonthRow:
    period: periods.PeriodRef
    plan: object
    actual: object
    activity_plan: object = None
    activity_actual: object = None
    saving_plan: object = None

    @property
    def variance(self):
        return None if self.plan is None or self.actual is None else self.actual - self.plan


@dataclass
class SchemePage:
    area: object
    scheme: Scheme
    year: int
    years: list[int]
    item: SchemeSpend | None  # the engine's figures for the scheme's year, None without a budget
    as_of: periods.PeriodRef | None  # the area's last month with spend: months to it without an actual are missing
    months: list[MonthRow] = field(default_factory=list)
    spend_figure: dict | None = None
    activity_figure: dict | None = None
    changes: list = field(default_factory=list)
    changes_cut: bool = False  # older changes exist than those shown (the history page lists them all)
    unit_costs: object = None  # ``schemes.unit_costs.UnitCosts`` where the scheme has an activity plan
    risk_share_cost: object = None  # the cost per admission the area's risk share assumes, for comparison

    @property
    def year_label(self):
        return periods.year_label(self.year)

    @property
    def reported_to(self) -> periods.PeriodRef | None:
        """The scheme's own last month with an actual: its year to date covers the months it reported."""
        return periods.month(self.year, self.item.as_of) if self.item and self.item.as_of else None

    @property
    def missing(self) -> list[periods.PeriodRef]:
        return [periods.month(self.year, n) for n in self.item.missing_months] if self.item else []

    @property
    def has_activity(self) -> bool:
        return self.activity_figure is not None

    @property
    def has_savings(self) -> bool:
        return bool(self.item) and any(v is not None for v in self.item.saving_plan)


def build_scheme_page(area, ref: str, year: int | None, *, with_history: bool = True) -> SchemePage:
    """404 for a ref the area does not have; ``year`` defaults to the scheme's latest budget year."""
    scheme = Scheme.objects.filter(area=area, ref=ref).select_related("funding_source", "provider").first()
    if scheme is None:
        raise Http404("No such scheme in this area")
    years = sorted(scheme.years.values_list("financial_year", flat=True))
    if year is None:
        year = years[-1] if years else periods.financial_year_of(datetime.date.today())
    item, as_of = scheme_spend(area, scheme, year)
    changes = scheme_changes(area, scheme) if with_history else []
    page = SchemePage(
        area=area,
        scheme=scheme,
        year=year,
        years=sorted(set(years) | {year}),
        item=item,
        as_of=as_of,
        changes=changes[:CHANGES_SHOWN],
        changes_cut=len(changes) > CHANGES_SHOWN,
    )
    if item is not None:
        page.months = [
            MonthRow(
                ref,
                item.plan_months[n],
                item.actual_months[n],
                item.activity_plan[n],
                item.activity_actual[n],
                item.saving_plan[n],
            )
            for n, ref in enumerate(periods.months_of_year(year))
        ]
        page.spend_figure = scheme_spend_figure(item, year)
        page.activity_figure = scheme_activity_figure(item, year)
        page.unit_costs = unit_costs_of(item)
        if page.unit_costs is not None:
            page.risk_share_cost = cost_per_admission(area, year)
    return page


def scheme_changes(area, scheme) -> list[ValueChange]:
    """Recorded changes to the scheme's spend, activity and savings, newest first: the latest
    ``CHANGES_SHOWN`` and one more, which says there are older ones."""
    measures = [f"{measure}:{scheme.ref}" for measure in SchemeValue.Measure.values]
    # One more than is shown, to know whether there are older ones (``SchemePage.changes_cut``).
    return list(
        ValueChange.objects.filter(area=area, measure__in=measures)
        .select_related("period", "batch", "batch__user")
        .order_by("-batch__created_at", "-id")[: CHANGES_SHOWN + 1]
    )
