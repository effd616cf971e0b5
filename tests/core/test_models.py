from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import Sum

from bcf_dashboard.core.models import Area, Partner, Period, Plan, Population
from funding.models import Contribution, FundingSource, RiskShareSplit, RiskShareTerms
from metrics.models import MetricDefinition, MetricValue
from schemes.models import Scheme, SchemeValue, SchemeYear


@pytest.fixture
def bromley(db):
    return Area.objects.create(code="E09000006", name="Bromley", region="London")


@pytest.fixture
def ccg(db):
    return Partner.objects.create(code="07N", name="NHS Bromley CCG", kind=Partner.Kind.CCG)


@pytest.fixture
def nhs_minimum(db):
    return FundingSource.objects.create(
        code="nhs-minimum",
        name="NHS minimum contribution",
        paid_by=FundingSource.From.NHS,
        first_year=2014,
        counts_towards_nhs_minimum=True,
    )


def make_scheme(area, source, ref="A1", **overrides):
    fields = dict(
        area=area,
        ref=ref,
        name="Community Independence Service",
        scheme_type=Scheme.Type.INTERMEDIATE_CARE,
        area_of_spend=Scheme.AreaOfSpend.COMMUNITY_HEALTH,
        commissioner=Scheme.Commissioner.NHS,
        la_share_pct=0,
        nhs_share_pct=100,
        funding_source=source,
    )
    fields.update(overrides)
    return Scheme.objects.create(**fields)


def assert_refused(create):
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def test_money_is_exact_pence_and_sums_exactly(bromley, ccg, nhs_minimum):
    other = FundingSource.objects.create(code="dfg", name="DFG", paid_by="la", first_year=2015)
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("21611000.07")]
    for year, amount in enumerate(amounts, start=2016):
        Contribution.objects.create(area=bromley, financial_year=year, partner=ccg, source=nhs_minimum, amount=amount)
    Contribution.objects.create(area=bromley, financial_year=2016, partner=ccg, source=other, amount="-0.01")
    total = Contribution.objects.aggregate(total=Sum("amount"))["total"]
    # 0.1 + 0.2 in floats is 0.30000000000000004: a float sum would not compare equal here.
    assert total == Decimal("21611000.36")
    assert isinstance(total, Decimal)
    assert Contribution.objects.get(financial_year=2018).amount == Decimal("21611000.07")


def test_money_with_more_than_two_decimals_is_refused(bromley, ccg, nhs_minimum):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="more than two decimal"):
        Contribution.objects.create(
            area=bromley, financial_year=2016, partner=ccg, source=nhs_minimum, amount=Decimal("1.005")
        )


def test_one_contribution_per_area_year_partner_source(bromley, ccg, nhs_minimum):
    Contribution.objects.create(area=bromley, financial_year=2016, partner=ccg, source=nhs_minimum, amount=1)
    assert_refused(
        lambda: Contribution.objects.create(
            area=bromley, financial_year=2016, partner=ccg, source=nhs_minimum, amount=2
        )
    )


def test_joint_commissioner_split_must_sum_to_100(bromley, nhs_minimum):
    make_scheme(bromley, nhs_minimum, ref="J1", commissioner="joint", la_share_pct=40, nhs_share_pct=60)
    assert_refused(
        lambda: make_scheme(bromley, nhs_minimum, ref="J2", commissioner="joint", la_share_pct=40, nhs_share_pct=50)
    )
    assert_refused(
        lambda: make_scheme(bromley, nhs_minimum, ref="J3", commissioner="la", la_share_pct=50, nhs_share_pct=50)
    )
    assert_refused(
        lambda: make_scheme(bromley, nhs_minimum, ref="J4", commissioner="joint", la_share_pct=140, nhs_share_pct=-40)
    )


def test_scheme_refs_unique_within_an_area_only(bromley, nhs_minimum):
    other = Area.objects.create(code="E09000028", name="Southwark")
    make_scheme(bromley, nhs_minimum)
    make_scheme(other, nhs_minimum)
    assert_refused(lambda: make_scheme(bromley, nhs_minimum))


def test_one_value_per_scheme_period_measure_kind(bromley, nhs_minimum):
    scheme = make_scheme(bromley, nhs_minimum)
    april = Period.ensure_years([2017])["2017-04"]
    SchemeValue.objects.create(scheme=scheme, period=april, measure="spend", kind="plan", value="1000.50")
    SchemeValue.objects.create(scheme=scheme, period=april, measure="spend", kind="actual", value="-20.00")
    assert_refused(
        lambda: SchemeValue.objects.create(scheme=scheme, period=april, measure="spend", kind="plan", value=1)
    )
    assert_refused(
        lambda: SchemeValue.objects.create(scheme=scheme, period=april, measure="activity", kind="actual", value=-1)
    )


def test_one_metric_value_per_area_metric_period_kind(bromley):
    nea = MetricDefinition.objects.create(
        code="NEA", name="Non-elective admissions", unit="count", better="lower", rollup="sum", first_year=2014
    )
    year = Period.ensure_years([2016])["2016/17"]
    MetricValue.objects.create(area=bromley, metric=nea, period=year, kind="plan", value=25758)
    assert_refused(lambda: MetricValue.objects.create(area=bromley, metric=nea, period=year, kind="plan", value=1))
    assert_refused(lambda: MetricValue.objects.create(area=bromley, metric=nea, period=year, kind="actual", value=-1))


def test_percent_fields_stay_within_0_to_100(bromley, ccg):
    assert_refused(
        lambda: MetricDefinition.objects.create(
            code="X", name="x", unit="count", better="lower", rollup="sum", first_year=2014, tolerance_pct=101
        )
    )
    terms = RiskShareTerms.objects.create(
        area=bromley,
        financial_year=2016,
        planned_nea_reduction=825,
        cost_per_admission=Decimal("2795.426667"),
        contingency="1323000",
    )
    assert_refused(lambda: RiskShareSplit.objects.create(terms=terms, partner=ccg, share_pct=120))


def test_count_entry_needs_a_population_band(db):
    assert_refused(
        lambda: MetricDefinition.objects.create(
            code="RES",
            name="Care home admissions",
            unit="rate",
            better="lower",
            rollup="sum",
            entered_as="count",
            first_year=2014,
        )
    )


def test_forecast_override_needs_a_reason(bromley, nhs_minimum):
    scheme = make_scheme(bromley, nhs_minimum)
    assert_refused(
        lambda: SchemeYear.objects.create(scheme=scheme, financial_year=2014, budget=100, forecast_override=90)
    )
    SchemeYear.objects.create(
        scheme=scheme, financial_year=2014, budget=100, forecast_override=90, forecast_reason="Projected outturn at Q1"
    )


def test_area_codes_and_plan_spans(db):
    assert_refused(lambda: Area.objects.create(code="X123", name="Nowhere"))
    area = Area.objects.create(code="E09000033", name="Westminster")
    assert area.kind == "London borough"
    plan = Plan.objects.create(name="Integration and BCF Plan", first_year=2017, last_year=2018)
    assert str(plan) == "Integration and BCF Plan (2017-19)"
    assert_refused(lambda: Plan.objects.create(name="Too long", first_year=2017, last_year=2020))
    Population.objects.create(area=area, year=2017, band="65+", population=31000)
    assert_refused(lambda: Population.objects.create(area=area, year=2017, band="65+", population=1))


def test_periods_are_made_once_with_the_calendar_helper(db):
    first = Period.ensure_years([2017, 2017])
    again = Period.ensure_years([2017])
    assert len(first) == 17 and first.keys() == again.keys()
    assert Period.objects.count() == 17
    q3 = first["2017/18-Q3"]
    assert (q3.start.isoformat(), q3.end.isoformat(), str(q3)) == ("2017-10-01", "2017-12-31", "Q3 2017/18")


def test_plain_rows_give_stored_hundredths_that_read_back_exactly(bromley, nhs_minimum):
    from bcf_dashboard.core.fields import from_hundredths, plain_rows

    scheme = make_scheme(bromley, nhs_minimum)
    april = Period.ensure_years([2017])["2017-04"]
    typed = {"plan": Decimal("1000.50"), "actual": Decimal("-0.07")}
    for kind, value in typed.items():
        SchemeValue.objects.create(scheme=scheme, period=april, measure="spend", kind=kind, value=value)
    rows = plain_rows(SchemeValue.objects.order_by("kind").values_list("kind", "value"))
    assert rows == [("actual", -7), ("plan", 100050)]
    read = {kind: from_hundredths(value) for kind, value in rows}
    assert read == typed and read == {v.kind: v.value for v in SchemeValue.objects.all()}
    assert str(read["plan"]) == "1000.50" and from_hundredths(None) is None
