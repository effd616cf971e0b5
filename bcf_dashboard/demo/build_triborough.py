"""The tri-borough plan 2017-19 (seed 002) as rows for the loader: Westminster, Kensington and Chelsea,
Hammersmith and Fulham, their money, schemes and metric trajectories."""

from decimal import ROUND_HALF_UP, Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.demo import ILLUSTRATIVE, common, triborough
from bcf_dashboard.demo.build import FOUR_PLACES, DemoSet, add_months, scheme_row, year_code
from bcf_dashboard.demo.phasing import PENNY, UNIT, distribute, glide, rounded, scaled


def _tri_minimum(year, area):
    if year in triborough.NHS_MINIMUM:
        return Decimal(triborough.NHS_MINIMUM[year][area])
    return rounded(triborough.NHS_MINIMUM[2017][area] * Decimal(triborough.UPLIFT_2018), UNIT)


def _tri_budgets(area, year):
    """Each scheme's budget in the year, with C2 taking the NHS minimum's balance."""
    budgets = {}
    for spec in triborough.SCHEMES:
        if spec.get("balance"):
            continue
        if spec["budgets"] == "dfg":
            budgets[spec["ref"]] = Decimal(triborough.DFG[year][area])
        else:
            budgets[spec["ref"]] = Decimal(spec["budgets"][area])
    balance = next(s["ref"] for s in triborough.SCHEMES if s.get("balance"))
    nhs_refs = [s["ref"] for s in triborough.SCHEMES if s["source"] == "nhs-minimum" and not s.get("balance")]
    budgets[balance] = _tri_minimum(year, area) - sum(budgets[r] for r in nhs_refs)
    for ref, (_, amounts) in triborough.IBCF.items():
        budgets[ref] = Decimal(amounts[area])
    return budgets


def build_triborough() -> DemoSet:
    d = triborough
    out = DemoSet("Westminster, Kensington and Chelsea, Hammersmith and Fulham 2017-19", years={2015, 2016, 2017, 2018})
    for area in d.AREAS:
        _tri_money(out, area)
        _tri_metrics(out, area)
    return out


def _tri_money(out, area):
    d, doc = triborough, triborough.DOC
    for year in (2016, 2017):
        label = "16/17 CCG minimum" if year == 2016 else "17/18 CCG minimum with uplift, as printed"
        out.funding_requirements.append(
            {
                "area": area,
                "year": year,
                "nhs_minimum": _tri_minimum(year, area),
                "note": f"{doc}, national condition 2 table: {label}",
            }
        )
    out.funding_requirements.append(
        {
            "area": area,
            "year": 2018,
            "nhs_minimum": _tri_minimum(2018, area),
            "note": f"{ILLUSTRATIVE} 2017/18 minimum as printed × 1.019",
        }
    )
    for year in d.YEARS:
        minimum_note = (
            f"{doc}, national condition 2: 17/18 CCG minimum with uplift"
            if year == 2017
            else f"{ILLUSTRATIVE} 2018/19 NHS minimum"
        )
        ibcf_note = (
            f"{doc}, section 9: Year One iBCF allocation"
            if year == 2017
            else f"{ILLUSTRATIVE} iBCF held at the Year One allocation"
        )
        out.contributions += [
            {
                "area": area,
                "year": year,
                "partner": d.CCG[area],
                "source": "nhs-minimum",
                "amount": _tri_minimum(year, area),
                "note": minimum_note,
            },
            {
                "area": area,
                "year": year,
                "partner": d.LA[area],
                "source": "ibcf",
                "amount": Decimal(d.IBCF_TOTAL[area]),
                "note": ibcf_note,
            },
            {
                "area": area,
                "year": year,
                "partner": d.LA[area],
                "source": "dfg",
                "amount": Decimal(d.DFG[year][area]),
                "note": f"{ILLUSTRATIVE} Disabled Facilities Grant",
            },
        ]
    budgets = {year: _tri_budgets(area, year) for year in d.YEARS}
    specs = list(d.SCHEMES) + [
        {"ref": ref, "name": name, **d.IBCF_SCHEME, "scheme_type": d.IBCF_TYPES.get(ref, "social_care")}
        for ref, (name, _) in d.IBCF.items()
    ]
    for spec in specs:
        ref = spec["ref"]
        if ref in d.IBCF:
            provenance = (
                f"Budget as published for 2017/18 ({doc}, section 9, iBCF table); {ILLUSTRATIVE} the same in 2018/19."
            )
            description = "Funded from the improved Better Care Fund grant."
        else:
            provenance = f"{ILLUSTRATIVE} budgets (the plan's template with the figures is not in the seed)."
            description = spec["description"]
        years = {year: {"budget": budgets[year][ref]} for year in d.YEARS}
        out.schemes.append(
            scheme_row(area, spec, years, source=spec["source"], description=f"{description} {provenance}")
        )
        profile = d.PROFILES["capital" if spec["source"] == "dfg" else "even"]
        for year in d.YEARS:
            plan = distribute(budgets[year][ref], profile, PENNY)
            add_months(
                out.scheme_values,
                area,
                (ref, "spend", "plan"),
                year,
                plan,
                f"{ILLUSTRATIVE} monthly profile of the annual budget",
            )
            if year == 2017:
                factor = Decimal(d.SPEND_ACTUAL_FACTORS.get(ref, {}).get(area, "1.00"))
                factors = [factor * Decimal(w) for w in d.ACTUAL_WOBBLE]
                add_months(
                    out.scheme_values,
                    area,
                    (ref, "spend", "actual"),
                    year,
                    scaled(plan[: d.SPEND_ACTUAL_MONTHS], factors, PENNY),
                    f"{ILLUSTRATIVE} demo actual spend",
                )


def _tri_metrics(out, area):
    d, doc, mv = triborough, triborough.DOC, out.metric_values
    for year in d.YEARS:
        months, stated = d.NEA_PLAN[area][year]
        add_months(
            mv,
            area,
            ("NEA", "plan"),
            year,
            [Decimal(v) for v in months],
            f"{doc}, 11.1: HWB non-elective admission trajectory for {periods.year_label(year)}",
        )
        note = f"{doc}, 11.1: stated total for {periods.year_label(year)}"
        if sum(months) != stated:
            note += f" (the months add up to {sum(months):,})"
        mv.append((area, "NEA", year_code(year), "plan", Decimal(stated), note))
    add_months(
        mv,
        area,
        ("NEA", "actual"),
        2017,
        scaled(d.NEA_PLAN[area][2017][0][:5], d.NEA_ACTUAL_FACTORS[area]),
        f"{ILLUSTRATIVE} demo actual",
    )

    # DToC: components glide from the baseline to the September and March positions.
    derived = (
        f"{doc}, 11.2 ({d.DTOC_CCG_ROW[area]} rows): Derived from the published baseline, September and March positions"
    )
    plans = {code: glide(*d.DTOC_TABLE[area][code]) for code in ("DTOC-NHS", "DTOC-SC")}
    plans["DTOC"] = [a + b for a, b in zip(plans["DTOC-NHS"], plans["DTOC-SC"])]
    actuals = {
        code: scaled(plans[code][:5], d.DTOC_ACTUAL_FACTORS[area][code], PENNY) for code in ("DTOC-NHS", "DTOC-SC")
    }
    actuals["DTOC"] = [a + b for a, b in zip(actuals["DTOC-NHS"], actuals["DTOC-SC"])]
    for code, plan in plans.items():
        add_months(mv, area, (code, "plan"), 2017, plan, derived)
        add_months(
            mv,
            area,
            (code, "plan"),
            2018,
            [plan[-1]] * 12,
            f"{ILLUSTRATIVE} held at the March 2018 position ({doc}, 11.2)",
        )
        add_months(mv, area, (code, "actual"), 2017, actuals[code], f"{ILLUSTRATIVE} demo actual")

    for year, rate in d.RES_RATES[area].items():
        population = common.POPULATIONS[area][year][2]
        count = (Decimal(rate) * population / 100_000).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)
        kind = "actual" if year in d.ACTUAL_YEARS else "plan"
        mv.append(
            (
                area,
                "RES",
                year_code(year),
                kind,
                count,
                f"{doc}, 11.3: {rate} per 100,000 aged 65+ in {periods.year_label(year)}; stored as the count "
                f"{rate} × {population:,} (illustrative 65+ population) / 100,000",
            )
        )
    for year, value in d.REA[area].items():
        kind = "actual" if year in d.ACTUAL_YEARS else "plan"
        mv.append(
            (
                area,
                "REA",
                year_code(year),
                kind,
                Decimal(value),
                f"{doc}, 11.4: {value}% still at home 91 days after discharge, {periods.year_label(year)}",
            )
        )
