"""Turn each seed document's plain data into rows for the loader.

Rows name things by natural key (area ONS code, partner code, scheme ref, metric code,
period code) so the loader can upsert them; nothing here touches the database.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.demo import ILLUSTRATIVE, bromley, southwark
from bcf_dashboard.demo.phasing import PENNY, UNIT, distribute, scaled

FOUR_PLACES = Decimal("0.0001")


@dataclass
class DemoSet:
    """Everything one document contributes."""

    name: str
    years: set = field(default_factory=set)
    local_metrics: list = field(default_factory=list)
    funding_requirements: list = field(default_factory=list)
    contributions: list = field(default_factory=list)
    schemes: list = field(default_factory=list)
    scheme_values: list = field(default_factory=list)  # (area, ref, measure, period, kind, value, note)
    metric_values: list = field(default_factory=list)  # (area, metric, period, kind, value, note)
    risk_shares: list = field(default_factory=list)


def month(year, number):
    return periods.month(year, number).code


def year_code(year):
    return periods.whole_year(year).code


def shares(commissioner, nhs_share=None):
    """(LA %, NHS %) for a scheme's commissioner."""
    if commissioner == "la":
        return 100, 0
    if commissioner == "nhs":
        return 0, 100
    return 100 - nhs_share, nhs_share


def scheme_row(area, spec, years, *, description, source):
    la, nhs = shares(spec["commissioner"], spec.get("nhs_share"))
    return {
        "area": area,
        "ref": spec["ref"],
        "name": spec["name"],
        "description": description,
        "scheme_type": spec["scheme_type"],
        "area_of_spend": spec["area_of_spend"],
        "commissioner": spec["commissioner"],
        "la_share_pct": la,
        "nhs_share_pct": nhs,
        "provider": spec.get("provider"),
        "provider_name": spec.get("provider_name", ""),
        "funding_source": source,
        "is_new": spec.get("is_new", False),
        "status": spec.get("status", "active"),
        "years": years,
    }


def add_months(rows, area, key, year, values, note, first=1):
    """Append one row per month from month ``first``; ``key`` is (ref, measure) or (metric,)."""
    for offset, value in enumerate(values):
        rows.append((area, *key[:-1], month(year, first + offset), key[-1], value, note))


# ---------------------------------------------------------------------------- Bromley


def build_bromley() -> DemoSet:
    d, area, year, doc = bromley, bromley.AREA, bromley.YEAR, bromley.DOC
    out = DemoSet("Bromley 2016/17", years={2015, 2016})
    out.local_metrics = [{**m, "area": area} for m in d.LOCAL_METRICS]
    out.funding_requirements.append({"area": area, "year": year, **d.FUNDING_REQUIREMENT})
    out.contributions += [{"area": area, "year": year, **c} for c in d.CONTRIBUTIONS]

    spend_note = f"{ILLUSTRATIVE} monthly profile of the annual budget"
    actual_note = f"{ILLUSTRATIVE} demo actual spend"
    for spec in d.SCHEMES:
        budget = Decimal(spec["budget"])
        if spec.get("cite"):
            provenance = f"Budget £{budget:,.0f} as published: {doc}, {spec['cite']}."
        else:
            provenance = (
                f"{ILLUSTRATIVE} budget chosen so the schemes add up to the published £21,611,000 "
                "and the NHS-commissioned out-of-hospital share to £6.78m."
            )
        out.schemes.append(
            scheme_row(
                area,
                spec,
                {year: {"budget": budget}},
                source="nhs-minimum",
                description=f"{spec['description']} {provenance}",
            )
        )
        plan = distribute(budget, d.PROFILES[spec["profile"]], PENNY)
        factors = [Decimal(spec["actual_factor"]) * Decimal(w) for w in d.ACTUAL_WOBBLE]
        sv = out.scheme_values
        add_months(sv, area, (spec["ref"], "spend", "plan"), year, plan, spend_note)
        add_months(sv, area, (spec["ref"], "spend", "actual"), year, scaled(plan, factors, PENNY), actual_note)

    for ref, fig in d.FIGURE_10.items():
        for measure, label in (("activity", "admissions avoided"), ("saving", "savings (£)")):
            months, stated = fig[measure], fig[f"{measure}_total"]
            note = f"{doc}, Figure 10: {label} as published (stated total {stated:,}"
            note += ")" if sum(months) == stated else f"; the months add up to {sum(months):,})"
            add_months(out.scheme_values, area, (ref, measure, "plan"), year, [Decimal(v) for v in months], note)
        add_months(
            out.scheme_values,
            area,
            (ref, "activity", "actual"),
            year,
            scaled(fig["activity"], [d.ACTIVITY_ACTUAL_FACTOR] * 12),
            f"{ILLUSTRATIVE} admissions avoided, about 90% of the Figure 10 plan",
        )

    mv = out.metric_values
    for metric, fy, kind, value, what in d.FIGURE_9:
        mv.append((area, metric, year_code(fy), kind, Decimal(str(value)), f"{doc}, Figure 9: {what}"))

    # NEA: the 2015/16 outturn phased by season, less a reduction that grows with Figure 10's activity.
    base = distribute(26_583, d.NEA_BASE_WEIGHTS, UNIT)
    reduction = [sum(fig["activity"][n] for fig in d.FIGURE_10.values()) for n in range(12)]
    reduction[-1] += d.NEA_PLANNED_REDUCTION - sum(reduction)  # Figure 10's months add to 824, not 825
    nea_plan = [b - r for b, r in zip(base, reduction)]
    add_months(
        mv,
        area,
        ("NEA", "plan"),
        year,
        nea_plan,
        f"{ILLUSTRATIVE} monthly phasing of the published 25,758 plan; the 825 reduction grows "
        "with Figure 10's activity",
    )
    add_months(
        mv,
        area,
        ("NEA", "actual"),
        year,
        scaled(nea_plan, d.NEA_ACTUAL_FACTORS),
        f"{ILLUSTRATIVE} demo actual, running a little above plan",
    )
    add_months(
        mv,
        area,
        ("DTOC", "actual"),
        year,
        [Decimal(v) for v in d.DTOC_ACTUALS],
        f"{ILLUSTRATIVE} demo actual (delayed days per 100,000 aged 18+)",
    )
    add_months(
        mv,
        area,
        ("RES", "actual"),
        year,
        [Decimal(v) for v in d.RES_ACTUALS],
        f"{ILLUSTRATIVE} demo actual (admissions in the month)",
    )
    rea_month, rea_value = d.REA_ACTUAL
    mv.append(
        (
            area,
            "REA",
            month(year, rea_month),
            "actual",
            Decimal(rea_value),
            f"{ILLUSTRATIVE} demo actual for October-December discharges",
        )
    )
    hub, ltc = d.LOCAL_METRICS[0]["code"], d.LOCAL_METRICS[1]["code"]
    add_months(
        mv,
        area,
        (hub, "plan"),
        year,
        [Decimal(v) for v in d.DEMENTIA_HUB_PLAN],
        f"{ILLUSTRATIVE} 1,500 a year at full capacity (9.11) from the July 2016 launch",
    )
    add_months(
        mv, area, (hub, "actual"), year, [Decimal(v) for v in d.DEMENTIA_HUB_ACTUALS], f"{ILLUSTRATIVE} demo actual"
    )
    mv.append((area, ltc, year_code(year), "plan", Decimal(d.LTC_SUPPORTED_PLAN), f"{ILLUSTRATIVE} local target"))
    ltc_month, ltc_value = d.LTC_SUPPORTED_ACTUAL
    mv.append((area, ltc, month(year, ltc_month), "actual", Decimal(ltc_value), f"{ILLUSTRATIVE} demo actual"))

    terms = dict(d.RISK_SHARE)
    terms["cost_per_admission"] = (Decimal(d.FIGURE_10_TOTAL) / terms["planned_nea_reduction"]).quantize(
        Decimal("0.000001"), rounding=ROUND_HALF_UP
    )
    out.risk_shares.append({"area": area, "year": year, **terms})
    return out


# ----------------------------------------------------------------------- Tri-borough


# -------------------------------------------------------------------------- Southwark


def build_southwark() -> DemoSet:
    d, area, year, doc = southwark, southwark.AREA, southwark.YEAR, southwark.DOC
    out = DemoSet("Southwark 2014/15", years={2014})
    out.local_metrics = [{**m, "area": area} for m in d.LOCAL_METRICS]
    out.contributions += [{"area": area, "year": year, **c} for c in d.CONTRIBUTIONS]
    for spec in d.SCHEMES:
        reason = d.FORECAST_REASON + (f"; {spec['outturn_remark']}" if spec.get("outturn_remark") else "")
        years = {
            year: {
                "budget": Decimal(spec["budget"]),
                "forecast_override": Decimal(spec["outturn"]),
                "forecast_reason": reason,
                "stated_forecast_label": d.FORECAST_LABEL,
            }
        }
        out.schemes.append(scheme_row(area, spec, years, source=spec["source"], description=spec["description"]))
        plan = distribute(spec["budget"], [1] * 12, PENNY)
        add_months(
            out.scheme_values,
            area,
            (spec["ref"], "spend", "plan"),
            year,
            plan,
            f"{ILLUSTRATIVE} the 2014/15 budget ({doc}) profiled evenly over 12 months",
        )
        factors = [Decimal(spec["actual_factor"]) * Decimal(w) for w in d.ACTUAL_WOBBLE]
        add_months(
            out.scheme_values,
            area,
            (spec["ref"], "spend", "actual"),
            year,
            scaled(plan[: d.SPEND_ACTUAL_MONTHS], factors, PENNY),
            f"{ILLUSTRATIVE} demo actual spend",
        )

    mv = out.metric_values
    for metric, when, kind, value, note in d.METRICS:
        if when == "Y":
            code = year_code(year)
        elif when == "Q1":
            code = periods.quarter(year, 1).code
        else:
            code = month(year, when)
        mv.append((area, metric, code, kind, Decimal(value), note))
    days = d.LOCAL_METRICS[0]["code"]
    half = d.DELAYED_DAYS_PLAN_APR_MAY // 2
    add_months(
        mv,
        area,
        (days, "plan"),
        year,
        [Decimal(half)] * 2,
        f"{doc}, paragraph 29: target of {d.DELAYED_DAYS_PLAN_APR_MAY} for April-May, split evenly",
    )
    add_months(
        mv,
        area,
        (days, "plan"),
        year,
        [Decimal(d.DELAYED_DAYS_PLAN_MONTHLY)] * 10,
        f"{ILLUSTRATIVE} the April-May target rate carried through the year",
        first=3,
    )
    add_months(
        mv,
        area,
        (days, "actual"),
        year,
        [Decimal(v) for v in d.DELAYED_DAYS_ACTUAL_SPLIT],
        f"{ILLUSTRATIVE} split of the published {d.DELAYED_DAYS_ACTUAL_APR_MAY} delayed days in "
        f"April-May ({doc}, paragraph 29)",
    )
    avoidable = d.LOCAL_METRICS[2]["code"]
    add_months(
        mv,
        area,
        (avoidable, "plan"),
        year,
        [Decimal(d.AVOIDABLE_ADMISSIONS_PLAN)] * d.AVOIDABLE_ADMISSIONS_MONTHS,
        f"{doc}, paragraph 29: 450 per month on average April-December 2014",
    )
    return out


def build_all() -> list[DemoSet]:
    # Its own module, which builds on this one's helpers.
    from bcf_dashboard.demo.build_triborough import build_triborough

    return [build_bromley(), build_triborough(), build_southwark()]
