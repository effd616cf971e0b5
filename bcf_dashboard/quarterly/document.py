"""The quarterly summary as one JSON document: what the page shows and what an approval freezes.

The figures are the engine's, as of the end of the quarter (``area_year_summary(..., through=3q)``)
and written by ``summary_document`` (docs/formats.md section 2); this module only adds the headline
sentence, spend by scheme type, the small charts and the narrative. A live page and a frozen one
are drawn from the same shape, so what an approval freezes is exactly what was on the page.
"""

from decimal import ROUND_HALF_UP, Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import gbp, metric_figure, money_json
from bcf_dashboard.core.statuses import AT_RISK, NO_DATA, NOT_ON_TRACK, ON_TRACK, STATUS_LABEL
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import AreaYearSummary
from bcf_dashboard.quarterly import charts
from metrics.projection import ACTUAL

SCHEMA = 1  # bump when the document's shape changes; the page reads every version it has frozen


def through_month(quarter: int) -> int:
    """A quarter's summary is the year as it stood at the end of the quarter's last month."""
    return 3 * quarter


def build_document(area, year: int, quarter: int, *, narrative: dict) -> dict:
    """Everything the summary page shows for the quarter, from the engine, as JSON-ready values."""
    summary = area_year_summary(area, year, through=through_month(quarter))
    return {
        "schema": SCHEMA,
        "year": year,
        "quarter": quarter,
        "through": periods.month(year, through_month(quarter)).code,
        "headline": headline(summary),
        "summary": summary_document(summary),
        "spend_variance_ytd": money_json(summary.spend.variance_ytd),
        "spend_by_type": [
            {
                "type": g["type"],
                "schemes": g["schemes"],
                "budget": money_json(g["budget"]),
                "plan_ytd": money_json(g["plan_ytd"]),
                "actual_ytd": money_json(g["actual_ytd"]),
                "forecast_outturn": money_json(g["forecast_outturn"]),
                "forecast_variance": money_json(g["forecast_outturn"] - g["budget"]),
            }
            for g in summary.spend.by_type()
        ],
        "figures": {m.code: charts.metric_figure(m, year, quarter) for m in summary.headline_metrics()},
        "shown": shown_figures(summary),
        "narrative": narrative,
    }


def shown_figures(summary: AreaYearSummary) -> dict:
    """Each figure as the dashboards write it, from the engine's exact values: written again from the
    JSON's two decimals a rate could round differently (7.6475 is 7.6 on the dashboard, but 7.65 would
    print as 7.7), and the summary must say what the dashboard says."""
    metrics = {}
    for m in summary.metrics:
        unit = m.definition.unit
        metrics[m.code] = {
            "plan_ytd": metric_figure(m.plan_ytd, unit),
            "actual_ytd": metric_figure(m.actual_ytd, unit),
            "variance_ytd": None if m.variance_ytd is None else metric_figure(abs(m.variance_ytd), unit),
            "variance_pct": None if m.variance_pct is None else f"{m.variance_pct:.1f}%",
            "plan_year": metric_figure(m.plan_year, unit),
            "heading": heading_sentence(m),
        }
    risk = summary.risk_share
    share = risk.contingency_share_pct if risk else None
    return {"metrics": metrics, "contingency_share_pct": None if share is None else f"{share:.1f}%"}


def heading_sentence(m) -> str | None:
    """Where the metric's year is heading, in one sentence for board members; None without actuals
    or once all twelve months are in.

    The status is the projection's, in the same words as every status (``STATUS_LABEL``)."""
    found = m.projection
    if m.as_of is None or (found is not None and found.projection.basis == ACTUAL):
        return None  # no figures yet, or the whole year is in: the card's outturn says it
    unit = m.definition.unit
    if found is None:
        return "Too early to say where the year is heading: fewer than three months of figures so far."
    year_end = found.year_end.quantize(Decimal(1)) if unit == "count" else found.year_end
    status = STATUS_LABEL[found.status].lower()
    if found.plan_year is None:
        against = "with no plan for the year to compare it with"
    else:
        against = f"against a plan of {metric_figure(found.plan_year, unit)}"
        if found.plan_year:
            # From the exact figures: the JSON's two places rounded again could read 0.95 as 1.0.
            pct = ((found.year_end - found.plan_year) / found.plan_year * 100).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
            if pct:
                against += f" ({abs(pct)}% {'above' if pct > 0 else 'below'})"
    months = found.projection.months_of_actuals
    return (
        f"On {months} months of figures the year is heading for {metric_figure(year_end, unit)} "
        f"{against}: {status} by the year-end."
    )


def headline(summary: AreaYearSummary) -> str:
    """One sentence: "2 of 4 metrics on track, 1 at risk; spend £x to Sep 2017 against a budget of £y;
    forecast £z." The statuses are the product's, as on the dashboard and in the JSON (an at-risk metric
    is not counted on track, though the national returns would call it so). The forecast is called the
    outturn once the year's last month of spend is in."""
    metrics = summary.headline_metrics()
    count = {s: sum(1 for m in metrics if m.status == s) for s in (ON_TRACK, AT_RISK, NOT_ON_TRACK, NO_DATA)}
    if metrics:
        part = f"{count[ON_TRACK]} of {len(metrics)} metric{'s' if len(metrics) != 1 else ''} on track"
        part += "".join(
            f", {count[s]} {words}" for s, words in ((AT_RISK, "at risk"), (NOT_ON_TRACK, "not on track")) if count[s]
        )
        if count[NO_DATA]:
            part += f" ({count[NO_DATA]} without data yet)"
    else:
        part = "no metrics in force"
    spend = summary.spend
    if not spend.schemes:
        money = "no scheme has a budget for the year"
    elif spend.actual_ytd is None:
        money = (
            f"no spend recorded yet against a budget of {_pounds(spend.budget)}; "
            f"forecast {_pounds(spend.forecast_outturn)}"
        )
    else:
        # Once March's spend is in, the forecast is the outturn.
        outturn = "outturn" if spend.as_of.number == 12 else "forecast"
        money = (
            f"spend {_pounds(spend.actual_ytd)} to {spend.as_of.label} against a budget of "
            f"{_pounds(spend.budget)}; {outturn} {_pounds(spend.forecast_outturn)}"
        )
    return f"{part[0].upper()}{part[1:]}; {money}."


def _pounds(value) -> str:
    return gbp(value, pennies=False)
