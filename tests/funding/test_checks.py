"""The national-condition and consistency checks, as pure functions, on the seed documents' figures."""

from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace as Row

from funding import checks
from metrics.performance import Values, perform

D = Decimal


@dataclass(frozen=True)
class Source:
    """A funding source as the checks read it (a model instance is hashable in the same way)."""

    name: str
    code: str
    first_year: int
    counts_towards_nhs_minimum: bool


NHS_MINIMUM = Source("NHS minimum contribution", "nhs-minimum", 2014, True)
IBCF = Source("improved Better Care Fund", "ibcf", 2017, False)


def requirement(nhs_minimum, *, social_care=None, out_of_hospital=None):
    return Row(
        nhs_minimum=D(nhs_minimum),
        social_care_minimum=None if social_care is None else D(social_care),
        out_of_hospital_minimum=None if out_of_hospital is None else D(out_of_hospital),
    )


def scheme(
    ref,
    budget,
    *,
    area_of_spend="community_health",
    scheme_type="other",
    nhs_share=100,
    source=NHS_MINIMUM,
    profile=None,
):
    return Row(
        scheme=Row(
            ref=ref,
            area_of_spend=area_of_spend,
            scheme_type=scheme_type,
            nhs_share_pct=D(nhs_share),
            funding_source=source,
        ),
        budget=D(budget),
        profiled=profile is not None,
        profile_total=None if profile is None else sum((D(v) for v in profile), D(0)),
    )


def spend(*schemes):
    return Row(schemes=list(schemes))


def test_bromley_meets_the_nhs_minimum_of_21611000():
    paid = [Row(amount=D("21611000.00"), source=NHS_MINIMUM)]
    found = checks.nhs_minimum_met(2016, paid, requirement("21611000"))
    assert found.passed
    assert found.detail == "NHS contributions of £21,611,000 against the 2016/17 minimum of £21,611,000."


def test_a_contribution_short_of_the_minimum_says_by_how_much():
    paid = [Row(amount=D("21600000.00"), source=NHS_MINIMUM), Row(amount=D("500000.00"), source=IBCF)]
    found = checks.nhs_minimum_met(2016, paid, requirement("21611000"))
    assert not found.passed
    assert found.detail.endswith(": £11,000 short.")  # iBCF does not count towards the NHS minimum


def test_westminsters_stated_uplift_slip_is_caught():
    """Seed 002: £7,944,000 × 1.0179 = £8,086,197.60, but the plan states £8,086,075."""
    found = checks.nhs_minimum_uplift(2017, requirement("8086075"), requirement("7944000"), Row(rate_pct=D("1.79")))
    assert not found.passed
    assert "(£8,086,197.60)" in found.detail
    assert found.detail.endswith(": £122.60 short.")


def test_an_uplift_short_only_by_pence_passes_as_the_national_templates_work_in_pounds():
    found = checks.nhs_minimum_uplift(2017, requirement("8086198"), requirement("7944000"), Row(rate_pct=D("1.79")))
    assert found.passed


def test_the_uplift_check_needs_both_years_and_a_rate():
    assert checks.nhs_minimum_uplift(2017, requirement("1"), None, Row(rate_pct=D("1.79"))) is None
    assert checks.nhs_minimum_uplift(2017, requirement("1"), requirement("1"), None) is None


def test_bromleys_out_of_hospital_plan_of_678m_meets_the_566m_requirement():
    plan = spend(
        scheme("B10", "6780000"),
        scheme("B5", "1323000", area_of_spend="acute", scheme_type="contingency"),
        scheme("B1", "4260000", area_of_spend="social_care", nhs_share=0),
    )
    assert checks.out_of_hospital_planned(plan) == D("6780000.00")
    found = checks.out_of_hospital_met(plan, requirement("21611000", out_of_hospital="5660000"))
    assert found.passed
    assert "£6,780,000 against a minimum of £5,660,000." in found.detail


def test_a_joint_scheme_counts_its_nhs_share_towards_out_of_hospital():
    plan = spend(scheme("B13", "400000", nhs_share=50))
    assert checks.out_of_hospital_planned(plan) == D("200000.00")
    assert not checks.out_of_hospital_met(plan, requirement("1", out_of_hospital="300000")).passed


def test_social_care_maintained_counts_social_care_schemes_only():
    plan = spend(
        scheme("B1", "4260000", area_of_spend="social_care"),
        scheme("B2", "4400000", area_of_spend="social_care"),
        scheme("B6", "600000"),
    )
    assert checks.social_care_maintained(plan, requirement("1", social_care="8660000")).passed
    short = checks.social_care_maintained(plan, requirement("1", social_care="9000000"))
    assert not short.passed and short.detail.endswith(": £340,000 short.")
    assert checks.social_care_maintained(plan, requirement("1")) is None


def test_spend_within_income_is_checked_per_source():
    plan = spend(scheme("A1", "900"), scheme("A2", "300", source=IBCF))
    paid = [Row(amount=D("1000"), source=NHS_MINIMUM), Row(amount=D("200"), source=IBCF)]
    found = {c.code: c for c in checks.spend_within_income(plan, paid)}
    assert found["within_income:nhs-minimum"].passed
    assert not found["within_income:ibcf"].passed
    assert found["within_income:ibcf"].detail.endswith("£100 more than is paid in.")


def test_profiles_that_do_not_add_up_to_the_budget_are_named():
    plan = spend(scheme("B3", "974000", profile=["81166.66"] * 12), scheme("B4", "120", profile=["10"] * 12))
    found = checks.profiles_add_up(plan)
    assert not found.passed
    assert found.detail.startswith("B3: months add up to £973,999.92 against a budget of £974,000")
    assert "B4" not in found.detail
    assert checks.profiles_add_up(spend(scheme("B4", "120"))) is None


def _metric(months, stated):
    definition = Row(
        code="NEA",
        rollup="sum",
        entered_as="value",
        unit="count",
        better="lower",
        tolerance_pct=D(2),
        population_band="",
        per_population=100000,
    )
    plan = Values(months=dict(enumerate((D(v) for v in months), start=1)), year=D(stated))
    return perform(definition, 2017, plan, Values(), {})


def test_westminsters_monthly_trajectory_that_disagrees_with_its_stated_total_is_caught():
    """Seed 002: Westminster's 2017/18 months add up to 15,087 against a stated 15,088."""
    months = [1260] * 11 + [1227]
    assert sum(months) == 15087
    found = checks.metric_plans_agree([_metric(months, 15088)])
    assert [c.passed for c in found] == [False]
    assert found[0].detail == (
        "The monthly plan's figures add up to 15,087; the stated annual figure is 15,088 (difference -1)."
    )
    assert checks.metric_plans_agree([_metric(months, 15087)])[0].passed


def test_checks_for_lists_only_the_checks_that_apply():
    found = checks.checks_for(
        2016,
        contributions=[Row(amount=D("21611000"), source=NHS_MINIMUM)],
        spend=spend(scheme("B1", "21611000")),
        requirement=requirement("21611000"),
        previous=None,
        uplift=None,
        metrics=[],
    )
    assert [c.code for c in found] == ["nhs_minimum", "within_income:nhs-minimum"]
    assert all(c.passed for c in found)
