"""The engine: an area-year assembled from the domain apps, with every figure worked out once.

``area_year_summaries`` gathers one area's year, or many areas' (the overview, the headlines),
with a fixed number of queries whatever the number of schemes, metrics or months, and the domain
apps' pure arithmetic does the sums. ``document.summary_document`` writes it in the interface
other tools depend on (docs/formats.md section 2) and ``headlines.headline_of`` keeps the figures the
listings show. Every page, export and document presents this same ``AreaYearSummary``.
"""

from dataclasses import dataclass

from funding.checks import FundingPosition, avoided_admissions_agree
from funding.risk_share import RiskSharePosition
from funding.selectors import funding_positions, risk_share_positions
from metrics.performance import MetricPerformance
from metrics.selectors import metric_performances
from schemes.spend import SpendSummary
from schemes.selectors import spend_summaries

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Area


@dataclass
class AreaYearSummary:
    area: Area
    year: int
    metrics: list[MetricPerformance]
    spend: SpendSummary
    funding: FundingPosition
    risk_share: RiskSharePosition | None

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


def area_year_summaries(areas, year: int, *, through: int = 12,
                        populations: dict | None = None) -> dict[int, AreaYearSummary]:
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
    for a in areas:  # the risk share's stated reduction against the schemes' months (terms are read above)
        risk = risks.get(a.id)
        fundings[a.id].checks.extend(avoided_admissions_agree(spends[a.id], risk.terms if risk else None))
    return {a.id: AreaYearSummary(area=a, year=year, metrics=metrics[a.id], spend=spends[a.id],
                                  funding=fundings[a.id], risk_share=risks.get(a.id)) for a in areas}


def area_year_summary(area: Area, year: int, *, through: int = 12) -> AreaYearSummary:
    """Everything known about an area's financial year. The caller has checked access."""
    return area_year_summaries([area], year, through=through)[area.id]
