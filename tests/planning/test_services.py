"""Schemes with every template field, their budgets and profiles; metric plans; the risk share."""

from decimal import Decimal

import pytest

from bcf_dashboard.core.models import ImportBatch, ValueChange
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.digests.models import AreaYearDigest
from bcf_dashboard.planning import services
from bcf_dashboard.planning.rollforward import start_year
from funding.models import RiskShareTerms
from metrics.models import MetricValue
from schemes.models import Scheme, SchemeValue


def fields(bromley, **overrides):
    found = dict(
        ref="C3",
        name="Falls prevention",
        description="Strength and balance classes",
        scheme_type="prevention",
        area_of_spend="community_health",
        commissioner="joint",
        la_share_pct=Decimal(40),
        nhs_share_pct=Decimal(60),
        provider=bromley.council,
        provider_name="",
        funding_source=bromley.nhs_source,
        is_new=True,
    )
    found.update(overrides)
    return found


@pytest.fixture
def year(bromley):
    start_year(user=bromley.personas.finance_a, area=bromley.area, year=2017)
    return bromley


def plan_of(scheme):
    return [
        v.value
        for v in SchemeValue.objects.filter(scheme=scheme, kind="plan", period__financial_year=2017).order_by(
            "period__start"
        )
    ]


def test_a_new_scheme_with_every_field_and_an_even_profile(year):
    p = year.personas
    version = AreaYearDigest.objects.get(area=year.area, financial_year=2017).version
    scheme = services.save_scheme(
        user=p.finance_a, area=year.area, year=2017, fields=fields(year), budget=Decimal("100000")
    )
    assert (scheme.la_share_pct, scheme.provider, scheme.is_new) == (Decimal(40), year.council, True)
    months = services.profile_scheme(user=p.finance_a, area=year.area, year=2017, scheme=scheme, how="even")
    assert months[0] == Decimal("8333.33") and months[-1] == Decimal("8333.37") and sum(months) == Decimal("100000")
    assert plan_of(scheme) == months
    assert AreaYearDigest.objects.get(area=year.area, financial_year=2017).version > version


def test_a_profile_shaped_like_last_years_actuals(year):
    months = services.profile_scheme(
        user=year.personas.finance_a, area=year.area, year=2017, scheme=year.continuing, how="like_last_year"
    )
    # 2016/17 actuals: £90,000 a month to September, then £110,000: the £1.2m budget in that shape.
    assert months[:6] == [Decimal("90000.00")] * 6 and months[6:] == [Decimal("110000.00")] * 6
    assert ValueChange.objects.filter(measure="spend:A1", period__code="2017-04").latest("id").new_value == 90000


def test_a_typed_profile_and_a_scheme_without_last_years_actuals(year):
    p = year.personas
    scheme = services.save_scheme(
        user=p.finance_a, area=year.area, year=2017, fields=fields(year), budget=Decimal("1200")
    )
    with pytest.raises(PlanRefused, match="last year's actuals"):
        services.profile_scheme(user=p.finance_a, area=year.area, year=2017, scheme=scheme, how="like_last_year")
    typed = [Decimal(100)] * 11 + [None]
    services.profile_scheme(user=p.finance_a, area=year.area, year=2017, scheme=scheme, how="typed", months=typed)
    assert plan_of(scheme) == [Decimal(100)] * 11


@pytest.mark.parametrize(
    "bad, message",
    [
        (dict(la_share_pct=Decimal(40), nhs_share_pct=Decimal(50)), "add up to 100%"),
        (dict(commissioner="la", la_share_pct=Decimal(40), nhs_share_pct=Decimal(60)), "single commissioner"),
        (dict(ref="A1"), "already has a scheme A1"),
    ],
)
def test_bad_schemes_are_refused_and_nothing_is_written(year, bad, message):
    with pytest.raises(PlanRefused, match=message):
        services.save_scheme(
            user=year.personas.finance_a, area=year.area, year=2017, fields=fields(year, **bad), budget=Decimal(1)
        )
    assert not Scheme.objects.filter(name="Falls prevention").exists()


def test_ending_a_scheme_keeps_it_out_of_the_next_year(year):
    services.end_scheme(user=year.personas.finance_a, area=year.area, year=2017, scheme=year.continuing)
    year.continuing.refresh_from_db()
    assert year.continuing.status == "bau"
    start_year(user=year.personas.finance_a, area=year.area, year=2018)
    assert not year.continuing.years.filter(financial_year=2018).exists()


def test_a_metric_plan_with_its_trajectory(year):
    months = [Decimal(2200)] * 12
    changes = services.save_metric_plan(
        user=year.personas.finance_a, area=year.area, year=2017, metric=year.nea, annual=Decimal(26400), months=months
    )
    assert changes == 13  # the year (27,000 to 26,400), April (2,250 to 2,200) and 11 new months
    assert MetricValue.objects.get(metric=year.nea, period__code="2017/18", kind="plan").value == Decimal(26400)
    with pytest.raises(PlanRefused, match="does not apply"):
        services.save_metric_plan(
            user=year.personas.finance_a, area=year.area, year=2017, metric=year.retired, annual=Decimal(1)
        )


def test_risk_share_terms_and_shares_that_make_100(year):
    kw = dict(
        user=year.personas.finance_a,
        area=year.area,
        year=2017,
        planned_nea_reduction=900,
        cost_per_admission=Decimal("2795.43"),
        contingency=Decimal(600000),
        performance_fund=False,
    )
    with pytest.raises(PlanRefused, match="add up to 90"):
        services.save_risk_share(**kw, shares={year.ccg: Decimal(40), year.council: Decimal(50)})
    terms = services.save_risk_share(**kw, shares={year.ccg: Decimal(60), year.council: Decimal(40)})
    assert RiskShareTerms.objects.get(pk=terms.pk).planned_nea_reduction == 900
    assert {s.partner.code: s.share_pct for s in terms.splits.all()} == {"07Q": 60, "E09000006": 40}
    assert ImportBatch.objects.exists()
