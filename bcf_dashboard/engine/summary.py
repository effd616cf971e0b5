"""The engine: an area-year assembled from the domain apps, with every figure worked out once.

``area_year_summaries`` gathers one area's year, or many areas' (the overview, the headlines),
with a fixed number of queries whatever the number of schemes, metrics or months, and the domain
apps' pure arithmetic does the sums. ``document.summary_document`` writes it in the interface
other tools depend on (docs/formats.md section 2) and ``headlines.headline_of`` keeps the figures the
listings show. Every page, export and document presents this same ``AreaYearSummary``.
"""

import functools
from dataclasses import dataclass, field

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Area
from bcf_dashboard.engine import foresight
from funding.checks import FundingPosition, avoided_admissions_agree
from funding.risk_share import RiskSharePosition
from funding.selectors import funding_positions, risk_share_positions
from metrics import completeness as metric_completeness
from metrics.performance import MetricPerformance
from metrics.selectors import metric_histories, metric_performances
from schemes.selectors import spend_summaries
from schemes.spend import SpendSummary, scheme_month_states, schemes_reporting
from schemes.unit_costs import UnitCosts


@dataclass
class ReturnLine:
    """One scheme's spend or one metric in the month-by-month record of what is in and what is missing."""

    measure: str  # as the returns file writes it: "spend:A3", "NEA"
    label: str  # what people call it: "A3 Reablement", "Emergency admissions"
    states: list[str]  # twelve months: in, missing, not_due (metrics.completeness), not_planned
    missing: list[periods.PeriodRef] = field(default_factory=list)

    @property
    def is_metric(self) -> bool:
        return not self.measure.startswith("spend:")


@dataclass
class Completeness:
    """What is in and what is missing, up to the area's last month with spend (docs/formats.md section 2)."""

    through: periods.PeriodRef | None
    schemes_expected: int | None
    schemes_reported: int | None
    lines: list[ReturnLine]

    @property
    def missing(self) -> list[ReturnLine]:
        return [line for line in self.lines if line.missing]

    @property
    def missing_scheme_months(self) -> int:
        return sum(len(line.missing) for line in self.missing if not line.is_metric)

    @property
    def missing_metric_months(self) -> int:
        return sum(len(line.missing) for line in self.missing if line.is_metric)

    def missing_within(self, first: int, last: int) -> list[tuple[ReturnLine, list[periods.PeriodRef]]]:
        """The lines missing a month between these month numbers, with those months (a quarter's sign-off)."""
        found = []
        for line in self.missing:
            months = [p for p in line.missing if p.kind != periods.MONTH or first <= p.number <= last]
            if months:
                found.append((line, months))
        return found


def completeness_of(
    year: int, metrics: list[MetricPerformance], spend: SpendSummary, *, through: int | None = None
) -> Completeness:
    """Schemes' months missing to the area's last month with spend, metrics' months missing by their lag.

    ``through`` (a month number) reads them as at a later month instead: a quarter's sign-off expects
    every month of the quarter, whether or not any scheme has reported its last month yet. Only active
    schemes are expected; a component of a metric (the NHS share of delays) comes with its metric.
    """
    last = spend.as_of.number if spend.as_of else None
    if through is not None:
        last = max(last or 0, through)
    expected, reported = schemes_reporting(spend.schemes, last)
    lines = []
    for s in spend.schemes:
        if s.scheme.status != "active":
            continue
        states = scheme_month_states(s, last)
        lines.append(
            ReturnLine(
                measure=f"spend:{s.scheme.ref}",
                label=f"{s.scheme.ref} {s.scheme.name}",
                states=states,
                missing=[periods.month(year, n) for n, state in enumerate(states, start=1) if state == "missing"],
            )
        )
    for m in metrics:
        if m.definition.parent_id:
            continue
        d = m.definition
        states = metric_completeness.month_states(
            rollup=d.rollup, lag=d.lag_months, plan=m.plan_values, actual=m.actual_values, through=last
        )
        if states is None:
            continue
        missing = [n for n, state in enumerate(states, start=1) if state == metric_completeness.MISSING]
        if missing and metric_completeness.expected_yearly(d.rollup, m.plan_values):
            found = [periods.whole_year(year)]
        else:
            found = [periods.month(year, n) for n in missing]
        lines.append(ReturnLine(measure=d.code, label=d.label, states=states, missing=found))
    return Completeness(
        through=periods.month(year, last) if last else None,
        schemes_expected=expected,
        schemes_reported=reported,
        lines=lines,
    )


@dataclass
class AreaYearSummary:
    area: Area
    year: int
    metrics: list[MetricPerformance]
    spend: SpendSummary
    funding: FundingPosition
    risk_share: RiskSharePosition | None
    unit_costs: dict[int, UnitCosts] = field(default_factory=dict)  # scheme id -> its activity's unit costs

    @functools.cached_property
    def completeness(self) -> Completeness:
        return completeness_of(self.year, self.metrics, self.spend)

    @property
    def year_label(self) -> str:
        return periods.year_label(self.year)

    @property
    def as_of(self) -> periods.PeriodRef | None:
        """The last month with any actual value, metric or spend."""
        found = [m.as_of for m in self.metrics if m.as_of] + ([self.spend.as_of] if self.spend.as_of else [])
        return max(found, key=lambda p: p.number, default=None)

    def metric(self, code: str) -> MetricPerformance | None:
        return next((m for m in self.metrics if m.code == code), None)

    def headline_metrics(self) -> list[MetricPerformance]:
        """The metrics a headline counts: everything but components of another metric."""
        return [m for m in self.metrics if m.definition.parent_id is None]


def area_year_summaries(
    areas, year: int, *, through: int = 12, populations: dict | None = None
) -> dict[int, AreaYearSummary]:
    """Each area's financial year, keyed by area id, in the same dozen queries for one area or all of
    them (the overview lists every area). The caller has checked access.

    ``through`` (a month number, 1-12) gives the year as it stood at the end of that month:
    actuals for later months are left out (a quarterly summary uses 3, 6, 9 or 12). ``populations``
    (``metrics.selectors.populations_by_area``), where the caller has them already.
    """
    areas = list(areas)
    if not areas:
        return {}
    ids = [a.id for a in areas]
    metrics = metric_performances(ids, year, through=through, populations=populations)
    spends = spend_summaries(ids, year, through=through)
    fundings = funding_positions(ids, year, spends=spends, metrics=metrics)
    risks = risk_share_positions(ids, year, metrics=metrics)
    histories = metric_histories(ids, year)
    for a in areas:
        foresight.project_metrics(a, metrics[a.id], histories.get(a.id, {}))
        if a.id in risks:
            foresight.project_risk_share(risks[a.id], next((m for m in metrics[a.id] if m.code == "NEA"), None))
    for a in areas:  # the risk share's stated reduction against the schemes' months (terms are read above)
        risk = risks.get(a.id)
        fundings[a.id].checks.extend(avoided_admissions_agree(spends[a.id], risk.terms if risk else None))
    return {
        a.id: AreaYearSummary(
            area=a,
            year=year,
            metrics=metrics[a.id],
            spend=spends[a.id],
            funding=fundings[a.id],
            risk_share=risks.get(a.id),
            unit_costs=foresight.scheme_unit_costs(spends[a.id]),
        )
        for a in areas
    }


def area_year_summary(area: Area, year: int, *, through: int = 12) -> AreaYearSummary:
    """Everything known about an area's financial year. The caller has checked access."""
    return area_year_summaries([area], year, through=through)[area.id]
