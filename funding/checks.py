"""The national-condition and consistency checks, like the national templates' checker cells.

Each check says what it tested in plain English, with the figures, so a finance officer
can find and fix the slip. Checks that cannot apply (no minimum recorded) are left out.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import figure, gbp, pence

ZERO = Decimal("0.00")


@dataclass
class Check:
    code: str
    name: str
    passed: bool
    detail: str


def nhs_minimum_met(year, contributions, requirement) -> Check | None:
    """Left out while no contribution of the year is recorded: a pool not yet entered is missing, and a
    check against nothing would report a shortfall no document supports."""
    if requirement is None or not contributions:
        return None
    paid = sum((c.amount for c in contributions if c.source.counts_towards_nhs_minimum), ZERO)
    short = requirement.nhs_minimum - paid
    detail = (
        f"NHS contributions of {gbp(paid)} against the {periods.year_label(year)} minimum of "
        f"{gbp(requirement.nhs_minimum)}"
    )
    detail += f": {gbp(short)} short." if short > 0 else "."
    return Check("nhs_minimum", "Contributions meet the NHS minimum", short <= 0, detail)


def nhs_minimum_uplift(year, requirement, previous, uplift_rate) -> Check | None:
    """This year's NHS minimum is at least last year's plus the national uplift.

    The national templates work in whole pounds, so a shortfall that vanishes when the
    requirement is rounded to the pound (pence from the multiplication) passes.
    """
    if requirement is None or previous is None or uplift_rate is None:
        return None
    required = pence(previous.nhs_minimum * (1 + uplift_rate.rate_pct / 100))
    required_pounds = required.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    stated = requirement.nhs_minimum
    passed = stated >= min(required, required_pounds)  # the exact figure to the penny meets it too
    detail = (
        f"{periods.year_label(year)} NHS minimum {gbp(stated)} against {periods.year_label(year - 1)}'s "
        f"{gbp(previous.nhs_minimum)} plus the {uplift_rate.rate_pct.normalize()}% uplift "
        f"({gbp(required, pennies=True)})"
    )
    detail += f": {gbp(required - stated, pennies=True)} short." if not passed else "."
    return Check("nhs_minimum_uplift", "NHS minimum rose by at least the year's uplift", passed, detail)


def social_care_maintained(spend, requirement) -> Check | None:
    if requirement is None or requirement.social_care_minimum is None:
        return None
    planned = sum((s.budget for s in spend.schemes if s.scheme.area_of_spend == "social_care"), ZERO)
    minimum = requirement.social_care_minimum
    detail = f"Schemes spending on social care plan {gbp(planned)} against a minimum of {gbp(minimum)}"
    detail += f": {gbp(minimum - planned)} short." if planned < minimum else "."
    return Check("social_care", "Adult social care is maintained", planned >= minimum, detail)


def out_of_hospital_planned(spend) -> Decimal:
    """The NHS-commissioned share of every scheme outside acute care, contingency aside."""
    return pence(
        sum(
            (
                s.budget * s.scheme.nhs_share_pct / 100
                for s in spend.schemes
                if s.scheme.area_of_spend != "acute" and s.scheme.scheme_type != "contingency"
            ),
            ZERO,
        )
    )


def out_of_hospital_met(spend, requirement) -> Check | None:
    if requirement is None or requirement.out_of_hospital_minimum is None:
        return None
    planned = out_of_hospital_planned(spend)
    minimum = requirement.out_of_hospital_minimum
    detail = f"NHS-commissioned out-of-hospital services plan {gbp(planned)} against a minimum of {gbp(minimum)}"
    detail += f": {gbp(minimum - planned)} short." if planned < minimum else "."
    return Check("out_of_hospital", "NHS out-of-hospital minimum is met", planned >= minimum, detail)


def spend_within_income(spend, contributions) -> list[Check]:
    """Per funding source: planned scheme budgets do not exceed the money paid in."""
    income: dict = {}
    for c in contributions:
        income[c.source] = income.get(c.source, ZERO) + c.amount
    planned: dict = {}
    for s in spend.schemes:
        planned[s.scheme.funding_source] = planned.get(s.scheme.funding_source, ZERO) + s.budget
    checks = []
    for source in sorted(set(income) | set(planned), key=lambda src: (src.first_year, src.name)):
        got, used = income.get(source, ZERO), planned.get(source, ZERO)
        detail = f"Schemes funded from {source.name} plan {gbp(used)} against income of {gbp(got)}"
        detail += f": {gbp(used - got)} more than is paid in." if used > got else "."
        checks.append(
            Check(
                f"within_income:{source.code}",
                f"Planned spend from {source.name} is within income",
                used <= got,
                detail,
            )
        )
    return checks


def profiles_add_up(spend) -> Check | None:
    profiled = [s for s in spend.schemes if s.profiled]
    if not profiled:
        return None
    wrong = [s for s in profiled if s.profile_total != s.budget]
    if not wrong:
        return Check(
            "spend_profiles",
            "Monthly spend profiles add up to budgets",
            True,
            f"All {len(profiled)} profiled schemes' monthly plans add up to their budgets.",
        )
    parts = [
        f"{s.scheme.ref}: months add up to {gbp(s.profile_total)} against a budget of {gbp(s.budget)} "
        f"(difference {gbp(s.profile_total - s.budget)})"
        for s in wrong
    ]
    return Check("spend_profiles", "Monthly spend profiles add up to budgets", False, "; ".join(parts) + ".")


def metric_plans_agree(metrics) -> list[Check]:
    """A metric's monthly (or quarterly) plan agrees with its stated annual figure."""
    checks = []
    for m in metrics:
        counts = m.definition.entered_as == "count"
        computed = m.counts.get("plan_year") if counts else m.plan_year
        stated = m.counts.get("stated_plan_year") if counts else m.stated_plan_year
        plan_values = m.plan_values
        if stated is None or not (plan_values.months or plan_values.quarters):
            continue
        places = (
            Decimal("1")
            if m.definition.rollup == "sum" and computed == computed.to_integral_value()
            else Decimal("0.01")
        )
        difference = computed - stated
        agrees = computed.quantize(places, rounding=ROUND_HALF_UP) == stated.quantize(places, rounding=ROUND_HALF_UP)
        verb = {"sum": "add up to", "mean": "average", "latest": "end at"}[m.definition.rollup]
        detail = f"The monthly plan's figures {verb} {figure(computed)}; the stated annual figure is {figure(stated)}"
        detail += f" (difference {figure(difference)})." if not agrees else "."
        checks.append(
            Check(
                f"plan_agrees:{m.code}", f"{m.code} monthly plan agrees with the stated annual figure", agrees, detail
            )
        )
    return checks


def avoided_admissions_agree(spend, terms) -> list[Check]:
    """The schemes that plan savings from avoided admissions, month by month, against the risk share's stated
    planned reduction and its value (reduction × cost per admission): a plan whose months do not add up to
    its own stated totals (Bromley's Figure 10: 824 and £2,306,225 against the printed 825 and £2,306,227)
    is named, not hidden. Left out where no scheme plans savings or there are no risk-share terms."""
    if terms is None:
        return []
    saving = [s for s in spend.schemes if any(v is not None for v in s.saving_plan_hundredths)]
    if not saving:
        return []
    activity = sum((v for s in saving for v in s.activity_plan if v is not None), Decimal(0))
    savings = pence(sum((v for s in saving for v in s.saving_plan if v is not None), ZERO))
    stated = terms.planned_nea_reduction
    value = pence(terms.cost_per_admission * stated)
    refs = ", ".join(s.scheme.ref for s in saving)
    checks = []
    detail = (
        f"The monthly plans of {refs} avoid {figure(activity)} admissions; the risk share states a planned "
        f"reduction of {figure(stated)}"
    )
    detail += f" (difference {figure(activity - stated)})." if activity != stated else "."
    checks.append(
        Check(
            "avoided_admissions",
            "Schemes' avoided admissions add up to the planned reduction",
            activity == stated,
            detail,
        )
    )
    # The stated value is whole pounds in the plans; the cost per admission carries its division's pence.
    agrees = savings.quantize(Decimal(1), rounding=ROUND_HALF_UP) == value.quantize(Decimal(1), rounding=ROUND_HALF_UP)
    detail = (
        f"The monthly savings plans of {refs} add up to {gbp(savings)}; the planned reduction is worth "
        f"{gbp(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))} ({figure(stated)} admissions at "
        f"{gbp(pence(terms.cost_per_admission), pennies=True)})"
    )
    detail += (
        f" (difference {gbp(savings - value.quantize(Decimal(1), rounding=ROUND_HALF_UP))})." if not agrees else "."
    )
    checks.append(
        Check("avoided_admissions_value", "Schemes' planned savings add up to the reduction's value", agrees, detail)
    )
    return checks


@dataclass
class FundingPosition:
    contributions: list  # Contribution rows of the area-year
    requirement: object | None  # its FundingRequirement, if any
    checks: list[Check] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((c.amount for c in self.contributions), ZERO)

    @property
    def failing_checks(self) -> list[Check]:
        return [c for c in self.checks if not c.passed]

    def by_source(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = {}
        for c in self.contributions:
            totals[c.source.name] = totals.get(c.source.name, ZERO) + c.amount
        return sorted(totals.items(), key=lambda item: -item[1])

    def by_partner(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = {}
        for c in self.contributions:
            totals[c.partner.name] = totals.get(c.partner.name, ZERO) + c.amount
        return sorted(totals.items(), key=lambda item: -item[1])


def checks_for(year, *, contributions, spend, requirement, previous, uplift, metrics) -> list[Check]:
    """Every check of an area-year that applies, in the order the summary lists them: the national
    conditions, then spend within income per source, the spend profiles and the metric plans."""
    found = [
        nhs_minimum_met(year, contributions, requirement),
        nhs_minimum_uplift(year, requirement, previous, uplift),
        social_care_maintained(spend, requirement),
        out_of_hospital_met(spend, requirement),
        *spend_within_income(spend, contributions),
        profiles_add_up(spend),
        *metric_plans_agree(metrics),
    ]
    return [c for c in found if c is not None]
