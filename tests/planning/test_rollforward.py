"""Starting 2017/18 for Bromley: rolled forward from 2016/17 with the 1.79% uplift, or from empty."""

from decimal import Decimal

import pytest

from bcf_dashboard.core.models import AreaYearPlan, ValueChange
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning.rollforward import EMPTY, start_year
from funding.models import Contribution, FundingRequirement, RiskShareTerms
from metrics.models import MetricValue
from schemes.models import SchemeValue, SchemeYear


def test_rolling_forward_carries_the_plan_with_the_uplift(bromley):
    p = bromley.personas
    plan = start_year(user=p.finance_a, area=bromley.area, year=2017)
    assert plan.state == "draft"
    # £21,611,000 × 1.0179 = £21,997,836.90: the NHS minimum and the NHS contribution counting towards it.
    assert FundingRequirement.objects.get(area=bromley.area, financial_year=2017).nhs_minimum == Decimal("21997836.90")
    amounts = {c.source.code: c.amount for c in Contribution.objects.filter(financial_year=2017)}
    assert amounts == {"nhs-minimum": Decimal("21997836.90"), "dfg": Decimal("1200000.00")}
    # The continuing scheme with its budget and monthly plan; the ended one stays behind.
    assert list(SchemeYear.objects.filter(financial_year=2017).values_list("scheme__ref", "budget")) == [
        ("A1", Decimal("1200000.00"))
    ]
    plan_months = SchemeValue.objects.filter(kind="plan", period__financial_year=2017)
    assert plan_months.count() == 12 and {v.value for v in plan_months} == {Decimal("100000.00")}
    # Metrics that apply in 2017/18 only; the risk share with the partners' shares.
    rolled = MetricValue.objects.filter(area=bromley.area, kind="plan", period__financial_year=2017)
    assert sorted((v.metric.code, v.period.code, v.value) for v in rolled) == [
        ("NEA", "2017-04", Decimal("2250")),
        ("NEA", "2017/18", Decimal("27000")),
    ]
    terms = RiskShareTerms.objects.get(financial_year=2017)
    assert terms.planned_nea_reduction == 825 and terms.splits.count() == 2
    # Every monthly figure written is on the audit trail.
    assert ValueChange.objects.filter(period__financial_year=2017, kind="plan").count() == 14


def test_the_rolled_forward_year_passes_the_uplift_check(bromley):
    from bcf_dashboard.engine.summary import area_year_summary

    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    checks = {c.code: c for c in area_year_summary(bromley.area, 2017).funding.checks}
    assert checks["nhs_minimum"].passed and checks["nhs_minimum_uplift"].passed


def test_starting_from_empty_writes_only_the_draft(bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017, how=EMPTY)
    assert AreaYearPlan.objects.get(financial_year=2017).state == "draft"
    assert not SchemeYear.objects.filter(financial_year=2017).exists()
    assert not Contribution.objects.filter(financial_year=2017).exists()


@pytest.mark.parametrize("who", ["approver_a", "commissioner_a", "user_b"])
def test_only_the_areas_finance_officers_start_a_year(bromley, who):
    with pytest.raises(PlanRefused):
        start_year(user=getattr(bromley.personas, who), area=bromley.area, year=2017)
    assert not AreaYearPlan.objects.exists()


def test_a_year_starts_once(bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    with pytest.raises(PlanRefused, match="already started"):
        start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    assert SchemeYear.objects.filter(financial_year=2017).count() == 1
