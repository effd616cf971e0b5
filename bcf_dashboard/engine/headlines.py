"""An area-year's headline: the engine's figures that pages listing many areas show, as JSON.

The overview and the comparison read 153 of these (one small row each) instead of working
out 153 summaries from two hundred thousand monthly values. Numbers are kept as the
engine's own Decimals written as strings, so a page drawn from a headline shows exactly
what one drawn from the engine would (tests/digests prove it).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from bcf_dashboard.core import periods
from metrics.foresight import MISSES
from schemes.spend import forecast_variance, moved_totals, spend_variance


def _text(value):
    return None if value is None else str(value)


def _number(text):
    return None if text is None else Decimal(text)


def _period(code):
    return periods.parse_period(code) if code else None


def _projection(m) -> dict | None:
    """Where the metric's year is heading, for the overview's early warning."""
    found = m.projection
    if found is None:
        return None
    places = Decimal(1) if m.definition.unit == "count" else Decimal("0.01")
    return {
        "status": found.status,
        "year_end": _text(found.year_end.quantize(places, rounding=ROUND_HALF_UP)),
        "unit": m.definition.unit,
        "first_missed": m.months[found.crossed - 1].period.code if found.crossed else None,
    }


def headline_of(summary, *, populations: dict, illustrative: bool = False) -> dict:
    """The JSON kept in ``AreaYearDigest.headline`` for one ``AreaYearSummary``."""
    spend, risk, c = summary.spend, summary.risk_share, summary.completeness
    return {
        "illustrative": illustrative,  # holds figures or populations made up for the demo
        "as_of": summary.as_of.code if summary.as_of else None,
        "metrics": [
            {
                "id": m.definition.id,
                "code": m.code,
                "name": m.definition.name,
                "short_name": m.definition.short_name,
                "component": bool(m.definition.parent_id),
                "status": m.status,
                "as_of": m.as_of.code if m.as_of else None,
                "plan_ytd": _text(m.plan_ytd),
                "actual_ytd": _text(m.actual_ytd),
                "plan_year": _text(m.plan_year),
                "variance_pct": _text(m.variance_pct),
                "projection": _projection(m),
            }
            for m in summary.metrics
        ],
        "spend": {
            "schemes": len(spend.schemes),
            "as_of": spend.as_of.code if spend.as_of else None,
            "budget": _text(spend.budget),
            "plan_ytd": _text(spend.plan_ytd),
            "actual_ytd": _text(spend.actual_ytd),
            "forecast_outturn": _text(spend.forecast_outturn),
        },
        "checks": len(summary.funding.checks),
        "failing_checks": len(summary.funding.failing_checks),
        "risk_share": None
        if risk is None
        else {
            "uncovered_cost": _text(risk.ytd.uncovered_cost) if risk.ytd else None,
            "contingency_remaining": _text(risk.ytd.contingency_remaining) if risk.ytd else None,
        },
        "populations": populations,
        "completeness": {
            "through": c.through.code if c.through else None,
            "schemes_expected": c.schemes_expected,
            "schemes_reported": c.schemes_reported,
            "missing_scheme_months": c.missing_scheme_months,
            "missing_metric_months": c.missing_metric_months,
        },
    }


def moved_by_actuals(headline: dict, changes, *, overridden: set[int]) -> dict | None:
    """The headline after these changes of schemes' monthly actuals (``digests.services.ActualChange``),
    or None when only the engine can tell (a month of spend after the headline's last one, or no spend yet).

    The arithmetic is the spend rule's own (``schemes.spend.moved_totals``); metrics, checks and the
    risk share read no scheme actuals, and a change of an actual that was there leaves what is missing
    as it was (an actual where there was none goes to the engine), so nothing else in a headline moves.
    ``overridden``: ids of the schemes with a forecast override in the year.
    """
    spend = headline["spend"]
    if spend["as_of"] is None or spend["actual_ytd"] is None:
        return None
    moved = moved_totals(
        actual_ytd=Decimal(spend["actual_ytd"]),
        forecast_outturn=Decimal(spend["forecast_outturn"]),
        last_month=periods.parse_period(spend["as_of"]).number,
        changes=changes,
        overridden=overridden,
    )
    if moved is None:
        return None
    actual_ytd, forecast_outturn = moved
    return {**headline, "spend": {**spend, "actual_ytd": str(actual_ytd), "forecast_outturn": str(forecast_outturn)}}


@dataclass
class HeadlineMetric:
    id: int
    code: str
    name: str
    component: bool
    status: str
    as_of: periods.PeriodRef | None
    plan_ytd: Decimal | None
    actual_ytd: Decimal | None
    plan_year: Decimal | None
    variance_pct: Decimal | None
    projection_status: str | None = None  # the year-end's status; None before three months of actuals
    projection_year_end: Decimal | None = None
    unit: str = "count"
    first_missed: periods.PeriodRef | None = None  # the month the projection first missed the plan, and has since
    short_name: str = ""

    @property
    def label(self) -> str:
        """The name people know (``MetricDefinition.label``): the short name, else the name."""
        return self.short_name or self.name

    @property
    def heading_off_plan(self) -> bool:
        return self.projection_status in MISSES

    @classmethod
    def read(cls, d: dict) -> "HeadlineMetric":
        # Headlines stored before projections existed have no "projection": read as none yet.
        projection = d.get("projection") or {}
        return cls(
            id=d["id"],
            code=d["code"],
            name=d["name"],
            component=d["component"],
            status=d["status"],
            as_of=_period(d["as_of"]),
            plan_ytd=_number(d["plan_ytd"]),
            actual_ytd=_number(d["actual_ytd"]),
            plan_year=_number(d["plan_year"]),
            variance_pct=_number(d["variance_pct"]),
            projection_status=projection.get("status"),
            projection_year_end=_number(projection.get("year_end")),
            unit=projection.get("unit", "count"),
            first_missed=_period(projection.get("first_missed")),
            short_name=d.get("short_name") or "",
        )


@dataclass
class HeadlineSpend:
    schemes: int
    as_of: periods.PeriodRef | None
    budget: Decimal
    plan_ytd: Decimal | None
    actual_ytd: Decimal | None
    forecast_outturn: Decimal

    @property
    def variance_ytd(self):
        return spend_variance(self.actual_ytd, self.plan_ytd)

    @property
    def forecast_variance(self) -> Decimal:
        return forecast_variance(self.forecast_outturn, self.budget)


@dataclass
class Headline:
    """One area-year's headline, read back from its JSON."""

    as_of: periods.PeriodRef | None
    metrics: list[HeadlineMetric]
    spend: HeadlineSpend
    checks: int
    failing_checks: int
    has_risk_share: bool
    uncovered_cost: Decimal | None
    contingency_remaining: Decimal | None
    populations: dict
    has_data: bool = True
    illustrative: bool = False
    missing_scheme_months: int = 0  # returns missing to the area's last month with spend (completeness)
    missing_metric_months: int = 0
    schemes_expected: int | None = None
    schemes_reported: int | None = None

    @property
    def missing_returns(self) -> int:
        return self.missing_scheme_months + self.missing_metric_months

    @classmethod
    def read(cls, d: dict, *, has_data: bool = True) -> "Headline":
        s, risk = d["spend"], d["risk_share"]
        return cls(
            as_of=_period(d["as_of"]),
            metrics=[HeadlineMetric.read(m) for m in d["metrics"]],
            spend=HeadlineSpend(
                schemes=s["schemes"],
                as_of=_period(s["as_of"]),
                budget=Decimal(s["budget"]),
                plan_ytd=_number(s["plan_ytd"]),
                actual_ytd=_number(s["actual_ytd"]),
                forecast_outturn=Decimal(s["forecast_outturn"]),
            ),
            checks=d["checks"],
            failing_checks=d["failing_checks"],
            has_risk_share=risk is not None,
            uncovered_cost=_number(risk["uncovered_cost"]) if risk else None,
            contingency_remaining=_number(risk["contingency_remaining"]) if risk else None,
            populations=d["populations"],
            has_data=has_data,
            illustrative=bool(d.get("illustrative")),
            # A headline stored before completeness was kept has none: it reads as nothing missing.
            missing_scheme_months=d.get("completeness", {}).get("missing_scheme_months", 0),
            missing_metric_months=d.get("completeness", {}).get("missing_metric_months", 0),
            schemes_expected=d.get("completeness", {}).get("schemes_expected"),
            schemes_reported=d.get("completeness", {}).get("schemes_reported"),
        )

    def headline_metrics(self) -> list[HeadlineMetric]:
        """As ``AreaYearSummary.headline_metrics``: everything but components of another metric."""
        return [m for m in self.metrics if not m.component]

    def metric(self, code: str) -> HeadlineMetric | None:
        return next((m for m in self.metrics if m.code == code), None)
