"""The area-year summary as the JSON document of docs/formats.md section 2: the one shape other tools read.

Money as two-decimal strings, never floats; counts as integers; rates and percents to two decimals.
"""

import json
from decimal import ROUND_HALF_UP, Decimal

from django.core.serializers.json import DjangoJSONEncoder

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import money_json, number_json
from bcf_dashboard.engine.summary import AreaYearSummary
from funding.risk_share import RiskSharePosition
from metrics.performance import MetricPerformance


def _code(period):
    return period.code if period else None


def _metric_document(m: MetricPerformance) -> dict:
    d = m.definition
    integer = d.unit == "count"

    def num(value):
        return number_json(value, integer=integer)

    document = {
        "code": d.code,
        "name": d.name,
        "unit": d.unit,
        "better": d.better,
        "as_of": _code(m.as_of),
        "plan_year": num(m.plan_year),
        "stated_plan_year": num(m.stated_plan_year),
        "plan_ytd": num(m.plan_ytd),
        "actual_ytd": num(m.actual_ytd),
        "variance_ytd": num(m.variance_ytd),
        "variance_pct": number_json(m.variance_pct),
        "status": m.status,
        "months": [{"period": f.period.code, "plan": num(f.plan), "actual": num(f.actual)} for f in m.months],
        # Extensions (docs/formats.md allows new keys): how the figures were reached.
        "rollup": d.rollup,
        "tolerance_pct": number_json(d.tolerance_pct),
        "local": d.area_id is not None,
        "parent": d.parent.code if d.parent_id else None,
        "quarters": [{"period": f.period.code, "plan": num(f.plan), "actual": num(f.actual)} for f in m.quarters],
    }
    document["projection"] = _projection_document(m, num)
    if d.entered_as == "count":
        document["population"] = m.population
        document["counts"] = {key: number_json(value, integer=True) for key, value in m.counts.items()}
    return document


def _projection_document(m: MetricPerformance, num) -> dict | None:
    """Where the metric's year is heading (FORMATS.md, "Foresight"); the range and the month the
    projection first missed the plan are extensions."""
    found = m.projection
    if found is None:
        return None
    if m.definition.unit == "count":
        # A projected count is a whole number of people or admissions, like every other count here.
        def projected(value):
            return None if value is None else int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    else:
        projected = num
    return {
        "year_end": projected(found.year_end),
        "plan_year": num(found.plan_year),
        "variance_pct": number_json(found.variance_pct),
        "status": found.status,
        "method": found.method,
        "low": projected(found.low),
        "high": projected(found.high),
        "range_basis": found.range_basis,
        "months_of_actuals": found.projection.months_of_actuals,
        "first_missed": m.months[found.crossed - 1].period.code if found.crossed else None,
    }


def _risk_projection_document(position: RiskSharePosition) -> dict | None:
    found = position.projection
    if found is None:
        return None
    runs_out = found.contingency_runs_out
    return {
        "excess_admissions_year_end": found.excess_admissions_year_end,
        "contingency_drawn_year_end": money_json(found.contingency_drawn_year_end),
        "contingency_runs_out": periods.month(position.terms.financial_year, runs_out).code if runs_out else None,
        "uncovered_cost_year_end": money_json(found.uncovered_cost_year_end),
        "excess_cost_year_end": money_json(found.excess_cost_year_end),
        "contingency_remaining_year_end": money_json(found.contingency_remaining_year_end),
        "uncovered_by_partner_year_end": [
            {"partner": name, "share_pct": number_json(pct), "amount": money_json(amount)}
            for name, pct, amount in found.uncovered_by_partner_year_end
        ],
    }


def _activity_document(costs) -> dict:
    """A scheme's activity and what each unit costs (FORMATS.md, "Foresight"); null without an activity plan."""
    if costs is None:
        return dict.fromkeys(ACTIVITY_KEYS)
    return {
        "activity_plan_ytd": number_json(costs.activity_plan_ytd),
        "activity_actual_ytd": number_json(costs.activity_actual_ytd),
        "cost_per_unit_plan": money_json(costs.cost_per_unit_plan),
        "cost_per_unit_actual": money_json(costs.cost_per_unit_actual),
        "activity_plan_year": number_json(costs.activity_plan_year),
        "cost_per_unit_plan_year": money_json(costs.cost_per_unit_plan_year),
        "savings_plan_ytd": money_json(costs.savings_plan_ytd),
        "savings_realised_ytd": money_json(costs.savings_realised_ytd),
    }


ACTIVITY_KEYS = [
    "activity_plan_ytd",
    "activity_actual_ytd",
    "cost_per_unit_plan",
    "cost_per_unit_actual",
    "activity_plan_year",
    "cost_per_unit_plan_year",
    "savings_plan_ytd",
    "savings_realised_ytd",
]


def _risk_share_document(position: RiskSharePosition | None) -> dict:
    keys = [
        "value_at_risk",
        "contingency",
        "contingency_share_pct",
        "risk_beyond_contingency",
        "excess_admissions_ytd",
        "excess_cost_ytd",
        "contingency_drawn",
        "contingency_remaining",
        "uncovered_cost",
        "uncovered_by_partner",
        "quarters",
        "performance_fund",
        "projection",
    ]
    if position is None:
        return dict.fromkeys(keys)
    ytd = position.ytd

    def exposure(e):
        return {
            "through": periods.month(position.terms.financial_year, e.through_month).code,
            "excess_admissions": e.excess_admissions,
            "excess_cost": money_json(e.excess_cost),
            "contingency_drawn": money_json(e.contingency_drawn),
            "contingency_remaining": money_json(e.contingency_remaining),
            "uncovered_cost": money_json(e.uncovered_cost),
        }

    return {
        "value_at_risk": money_json(position.value_at_risk),
        "contingency": money_json(position.contingency),
        "contingency_share_pct": number_json(position.contingency_share_pct),
        "risk_beyond_contingency": money_json(position.risk_beyond_contingency),
        "excess_admissions_ytd": ytd.excess_admissions if ytd else None,
        "excess_cost_ytd": money_json(ytd.excess_cost) if ytd else None,
        "contingency_drawn": money_json(ytd.contingency_drawn) if ytd else None,
        "contingency_remaining": money_json(ytd.contingency_remaining) if ytd else None,
        "uncovered_cost": money_json(ytd.uncovered_cost) if ytd else None,
        "uncovered_by_partner": [
            {"partner": name, "share_pct": number_json(pct), "amount": money_json(amount)}
            for name, pct, amount in ytd.uncovered_by_partner
        ]
        if ytd
        else None,
        # Named by the month each runs to: a quarter with a month missing has no row (funding.risk_share).
        "quarters": [{"quarter": f"Q{e.through_month // 3}", **exposure(e)} for e in position.quarters],
        "performance_fund": [
            {
                "quarter": f"Q{q.quarter}",
                "planned_reduction": number_json(q.planned_reduction),
                "achieved_reduction": number_json(q.achieved_reduction),
                "released": money_json(q.released),
                "retained": money_json(q.retained),
            }
            for q in position.fund_quarters
        ]
        if position.terms.performance_fund
        else None,
        "projection": _risk_projection_document(position),
    }


def _completeness_document(summary: AreaYearSummary) -> dict:
    c = summary.completeness
    return {
        "through": _code(c.through),
        "schemes_expected": c.schemes_expected,
        "schemes_reported": c.schemes_reported,
        "missing": [{"measure": line.measure, "months": [p.code for p in line.missing]} for line in c.missing],
    }


def summary_document(summary: AreaYearSummary) -> dict:
    """The docs/formats.md section 2 document. Money as two-decimal strings, never floats."""
    spend = summary.spend
    return {
        "area": {"code": summary.area.code, "name": summary.area.name},
        "financial_year": summary.year_label,
        "as_of": _code(summary.as_of),
        "metrics": [_metric_document(m) for m in summary.metrics],
        "spend": {
            "as_of": _code(spend.as_of),
            "budget": money_json(spend.budget),
            "plan_ytd": money_json(spend.plan_ytd),
            "actual_ytd": money_json(spend.actual_ytd),
            "forecast_outturn": money_json(spend.forecast_outturn),
            "forecast_variance": money_json(spend.forecast_variance),
            "schemes": [
                {
                    "ref": s.scheme.ref,
                    "name": s.scheme.name,
                    "budget": money_json(s.budget),
                    "plan_ytd": money_json(s.plan_ytd),
                    "actual_ytd": money_json(s.actual_ytd),
                    "forecast_outturn": money_json(s.forecast_outturn),
                    "forecast_overridden": s.has_override,
                    "status": s.status,
                    **_activity_document(summary.unit_costs.get(s.scheme.id)),
                    "as_of": periods.month(summary.year, s.as_of).code if s.as_of else None,
                    "missing": [periods.month(summary.year, n).code for n in s.missing_months],
                }
                for s in spend.schemes
            ],
        },
        "completeness": _completeness_document(summary),
        "funding": {
            "total": money_json(summary.funding.total),
            "contributions": [
                {"source": c.source.name, "partner": c.partner.name, "amount": money_json(c.amount)}
                for c in summary.funding.contributions
            ],
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in summary.funding.checks],
        },
        "risk_share": _risk_share_document(summary.risk_share),
    }


def summary_json(summary: AreaYearSummary) -> str:
    """The document as text, as the signed-in ``summary.json`` and the read API both send it (the same bytes)."""
    return json.dumps(summary_document(summary), cls=DjangoJSONEncoder, indent=2)
