"""The area-year summary as the JSON document of docs/formats.md section 2: the one shape other tools read.

Money as two-decimal strings, never floats; counts as integers; rates and percents to two decimals.
"""

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import money_json, number_json
from funding.risk_share import RiskSharePosition
from metrics.performance import MetricPerformance

from bcf_dashboard.engine.summary import AreaYearSummary


def _code(period):
    return period.code if period else None


def _metric_document(m: MetricPerformance) -> dict:
    d = m.definition
    integer = d.unit == "count"

    def num(value):
        return number_json(value, integer=integer)

    document = {
        "code": d.code, "name": d.name, "unit": d.unit, "better": d.better,
        "as_of": _code(m.as_of),
        "plan_year": num(m.plan_year), "stated_plan_year": num(m.stated_plan_year),
        "plan_ytd": num(m.plan_ytd), "actual_ytd": num(m.actual_ytd),
        "variance_ytd": num(m.variance_ytd), "variance_pct": number_json(m.variance_pct),
        "status": m.status,
        "months": [{"period": f.period.code, "plan": num(f.plan), "actual": num(f.actual)} for f in m.months],
        # Extensions (docs/formats.md allows new keys): how the figures were reached.
        "rollup": d.rollup, "tolerance_pct": number_json(d.tolerance_pct), "local": d.area_id is not None,
        "parent": d.parent.code if d.parent_id else None,
        "quarters": [{"period": f.period.code, "plan": num(f.plan), "actual": num(f.actual)} for f in m.quarters],
    }
    if d.entered_as == "count":
        document["population"] = m.population
        document["counts"] = {key: number_json(value, integer=True) for key, value in m.counts.items()}
    return document


def _risk_share_document(position: RiskSharePosition | None) -> dict:
    keys = ["value_at_risk", "contingency", "contingency_share_pct", "risk_beyond_contingency",
            "excess_admissions_ytd", "excess_cost_ytd", "contingency_drawn", "contingency_remaining",
            "uncovered_cost", "uncovered_by_partner", "quarters", "performance_fund"]
    if position is None:
        return dict.fromkeys(keys)
    ytd = position.ytd

    def exposure(e):
        return {
            "through": periods.month(position.terms.financial_year, e.through_month).code,
            "excess_admissions": e.excess_admissions, "excess_cost": money_json(e.excess_cost),
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
        "uncovered_by_partner": [{"partner": name, "share_pct": number_json(pct), "amount": money_json(amount)}
                                 for name, pct, amount in ytd.uncovered_by_partner] if ytd else None,
        "quarters": [{"quarter": f"Q{i + 1}", **exposure(e)} for i, e in enumerate(position.quarters)],
        "performance_fund": [
            {"quarter": f"Q{q.quarter}", "planned_reduction": number_json(q.planned_reduction),
             "achieved_reduction": number_json(q.achieved_reduction), "released": money_json(q.released),
             "retained": money_json(q.retained)} for q in position.fund_quarters
        ] if position.terms.performance_fund else None,
    }


def _completeness_document(summary: AreaYearSummary) -> dict:
    c = summary.completeness
    return {
        "through": _code(c.through),
        "schemes_expected": c.schemes_expected, "schemes_reported": c.schemes_reported,
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
            "schemes": [{
                "ref": s.scheme.ref, "name": s.scheme.name, "budget": money_json(s.budget),
                "plan_ytd": money_json(s.plan_ytd), "actual_ytd": money_json(s.actual_ytd),
                "forecast_outturn": money_json(s.forecast_outturn),
                "forecast_overridden": s.has_override, "status": s.status,
                "as_of": periods.month(summary.year, s.as_of).code if s.as_of else None,
                "missing": [periods.month(summary.year, n).code for n in s.missing_months],
            } for s in spend.schemes],
        },
        "completeness": _completeness_document(summary),
        "funding": {
            "total": money_json(summary.funding.total),
            "contributions": [{"source": c.source.name, "partner": c.partner.name, "amount": money_json(c.amount)}
                              for c in summary.funding.contributions],
            "checks": [{"name": c.name, "passed": c.passed, "detail": c.detail} for c in summary.funding.checks],
        },
        "risk_share": _risk_share_document(summary.risk_share),
    }
