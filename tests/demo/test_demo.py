"""The demo loader: idempotent, faithful to the seed documents, and never in production."""

from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.test import override_settings

from bcf_dashboard.core.models import Area, Membership, Period, Population
from bcf_dashboard.demo import DEMO_PASSWORD, ILLUSTRATIVE
from funding.models import Contribution, FundingRequirement, FundingSource, RiskShareTerms, UpliftRate
from metrics.models import MetricDefinition, MetricValue
from schemes.models import Scheme, SchemeValue, SchemeYear

BROMLEY, SOUTHWARK, WESTMINSTER, KENSINGTON, HAMMERSMITH = (
    "E09000006",
    "E09000028",
    "E09000033",
    "E09000020",
    "E09000013",
)
DOCUMENTS = ("Bromley BCF plan 2016/17", "Integration and BCF Plan 2017-19", "Southwark HWB report 28 July 2014")


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The demo creates 22 users; the production hasher would make every test slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(db):
    return load()


def metric(area, code, period, kind):
    return MetricValue.objects.get(area__code=area, metric__code=code, period__code=period, kind=kind).value


def months(area, code, year, kind):
    return list(
        MetricValue.objects.filter(
            area__code=area, metric__code=code, kind=kind, period__kind="month", period__financial_year=year
        )
        .order_by("period__start")
        .values_list("value", flat=True)
    )


def scheme_months(area, ref, measure, kind, year):
    return list(
        SchemeValue.objects.filter(
            scheme__area__code=area,
            scheme__ref=ref,
            measure=measure,
            kind=kind,
            period__financial_year=year,
            period__kind="month",
        )
        .order_by("period__start")
        .values_list("value", flat=True)
    )


def budget(area, ref, year):
    return SchemeYear.objects.get(scheme__area__code=area, scheme__ref=ref, financial_year=year).budget


def snapshot():
    """Every row of every table, history included, in primary key order."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in apps.get_models()}


@pytest.mark.django_db
def test_loading_twice_changes_nothing():
    load()
    before = snapshot()
    output = load()
    after = snapshot()
    assert {k: len(v) for k, v in after.items()} == {k: len(v) for k, v in before.items()}
    assert after == before
    assert " created" not in output and " updated" not in output


@pytest.mark.django_db
def test_every_year_with_demo_figures_is_listed_as_a_year_with_data():
    """Bromley's only 2015/16 figures are the plan's outturns (metric values, written in bulk): its
    dashboard's year list and the read API's ``years`` name 2015 as they do 2016."""
    from bcf_dashboard.digests import services as digest_services
    from bcf_dashboard.digests.selectors import years_with_data

    load()
    for code in (BROMLEY, SOUTHWARK, WESTMINSTER):
        area = Area.objects.get(code=code)
        written = set(MetricValue.objects.filter(area=area).values_list("period__financial_year", flat=True))
        written |= set(SchemeValue.objects.filter(scheme__area=area).values_list("period__financial_year", flat=True))
        assert set(years_with_data(digest_services.up_to_date_flags([area]))) >= written, code
    bromley = Area.objects.get(code=BROMLEY)
    assert 2015 in years_with_data(digest_services.up_to_date_flags([bromley]))
    # A database loaded before the loader bumped its area-years gets the missing row when loaded again.
    from bcf_dashboard.digests.models import AreaYearDigest

    AreaYearDigest.objects.filter(area=bromley, financial_year=2015).delete()
    load()
    assert 2015 in years_with_data(digest_services.up_to_date_flags([bromley]))


@pytest.mark.django_db
def test_load_reference_alone_is_idempotent_and_complete():
    call_command("load_reference", stdout=StringIO())
    before = snapshot()
    call_command("load_reference", stdout=StringIO())
    assert snapshot() == before
    dtoc = MetricDefinition.objects.get(code="DTOC")
    assert (dtoc.unit, dtoc.better, dtoc.rollup) == ("rate", "lower", "mean")
    assert {m.code for m in dtoc.components.all()} == {"DTOC-NHS", "DTOC-SC"}
    res = MetricDefinition.objects.get(code="RES")
    assert (res.entered_as, res.population_band, res.per_population, res.rollup) == ("count", "65+", 100_000, "sum")
    assert MetricDefinition.objects.get(code="REA").rollup == "latest"
    assert FundingSource.objects.get(code="nhs-minimum").counts_towards_nhs_minimum
    assert FundingSource.objects.get(code="dfg").kind == "capital"
    assert FundingSource.objects.get(code="winter-pressures").applies_in(2019)
    assert not FundingSource.objects.get(code="winter-pressures").applies_in(2020)
    assert {u.financial_year: u.rate_pct for u in UpliftRate.objects.all()} == {
        2017: Decimal("1.79"),
        2018: Decimal("1.90"),
    }
    assert not get_user_model().objects.exists()  # reference data makes no users


@pytest.mark.django_db
def test_bromley_published_figures(demo):
    assert Contribution.objects.get(area__code=BROMLEY, financial_year=2016).amount == 21_611_000
    minima = FundingRequirement.objects.get(area__code=BROMLEY, financial_year=2016)
    assert (minima.nhs_minimum, minima.out_of_hospital_minimum, minima.social_care_minimum) == (
        21_611_000,
        5_660_000,
        None,
    )
    # Figure 9
    assert metric(BROMLEY, "NEA", "2015/16", "actual") == 26_583
    assert metric(BROMLEY, "NEA", "2016/17", "plan") == 25_758
    assert sum(months(BROMLEY, "NEA", 2016, "plan")) == 25_758
    assert metric(BROMLEY, "RES", "2015/16", "actual") == 279
    assert metric(BROMLEY, "RES", "2016/17", "plan") == 283
    assert metric(BROMLEY, "REA", "2015/16", "actual") == Decimal("90.2")
    assert metric(BROMLEY, "REA", "2016/17", "plan") == Decimal("93.6")
    assert metric(BROMLEY, "DTOC", "2015/16", "actual") == Decimal("329.7")
    assert metric(BROMLEY, "DTOC", "2016/17", "plan") == Decimal("265.6")
    # Schemes named in section 9 and the contingency in 12.2
    for ref, amount in {"B1": 4_260_000, "B2": 4_400_000, "B3": 974_000, "B4": 800_000, "B5": 1_323_000}.items():
        assert budget(BROMLEY, ref, 2016) == amount
    assert Scheme.objects.get(area__code=BROMLEY, ref="B5").scheme_type == "contingency"
    terms = RiskShareTerms.objects.get(area__code=BROMLEY, financial_year=2016)
    assert (terms.planned_nea_reduction, terms.contingency, terms.performance_fund) == (825, 1_323_000, False)
    assert (terms.planned_nea_reduction * terms.cost_per_admission).quantize(Decimal(1)) == 2_306_227
    assert [(s.partner.code, s.share_pct) for s in terms.splits.all()] == [("07N", 100)]
    # Figure 10, month by month as printed (its columns add to £2,306,225; the table says £2,306,227)
    assert scheme_months(BROMLEY, "B8", "activity", "plan", 2016) == [0, 0, 0] + [22] * 9
    assert scheme_months(BROMLEY, "B9", "saving", "plan", 2016)[-1] == 185_291
    savings = SchemeValue.objects.filter(scheme__area__code=BROMLEY, measure="saving", kind="plan")
    assert savings.aggregate(total=Sum("value"))["total"] == 2_306_225


@pytest.mark.django_db
def test_bromley_budgets_meet_the_published_totals(demo):
    years = SchemeYear.objects.filter(scheme__area__code=BROMLEY, financial_year=2016).select_related("scheme")
    assert sum(sy.budget for sy in years) == 21_611_000
    out_of_hospital = sum(
        sy.budget * sy.scheme.nhs_share_pct / 100
        for sy in years
        if sy.scheme.area_of_spend != "acute" and sy.scheme.scheme_type != "contingency"
    )
    assert out_of_hospital == 6_780_000
    for sy in years:  # every monthly spend profile adds up to the penny
        assert sum(scheme_months(BROMLEY, sy.scheme.ref, "spend", "plan", 2016)) == sy.budget
        assert len(scheme_months(BROMLEY, sy.scheme.ref, "spend", "actual", 2016)) == 12


@pytest.mark.django_db
def test_triborough_published_figures(demo):
    assert months(WESTMINSTER, "NEA", 2017, "plan")[0] == 1260
    assert metric(WESTMINSTER, "NEA", "2017/18", "plan") == 15_088
    assert sum(months(WESTMINSTER, "NEA", 2017, "plan")) == 15_087  # the published slip stays
    assert metric(HAMMERSMITH, "NEA", "2018/19", "plan") == 15_331
    assert metric(KENSINGTON, "NEA", "2017/18", "plan") == 11_234
    minimum = {
        a: FundingRequirement.objects.get(area__code=a, financial_year=2017).nhs_minimum
        for a in (WESTMINSTER, KENSINGTON, HAMMERSMITH)
    }
    assert minimum == {WESTMINSTER: 8_086_075, KENSINGTON: 5_373_555, HAMMERSMITH: 5_781_803}
    assert FundingRequirement.objects.get(area__code=WESTMINSTER, financial_year=2016).nhs_minimum == 7_944_000
    ibcf = Contribution.objects.filter(source__code="ibcf", financial_year=2017)
    assert {c.area.code: c.amount for c in ibcf} == {
        WESTMINSTER: 8_920_000,
        KENSINGTON: 3_948_000,
        HAMMERSMITH: 5_228_000,
    }
    assert budget(WESTMINSTER, "iBCF1", 2017) == 2_128_000
    assert budget(HAMMERSMITH, "iBCF3", 2017) == 919_000
    assert Scheme.objects.get(area__code=WESTMINSTER, ref="A2").status == "bau"
    # DToC: September and March are the published positions; April is one step on from the baseline.
    assert metric(WESTMINSTER, "DTOC-NHS", "2017-09", "plan") == Decimal("5.49")
    assert metric(WESTMINSTER, "DTOC-NHS", "2018-03", "plan") == Decimal("4.12")
    assert metric(HAMMERSMITH, "DTOC-NHS", "2017-04", "plan") == Decimal("8.88")
    assert metric(HAMMERSMITH, "DTOC", "2017-04", "plan") == Decimal("8.88") + Decimal("7.03")
    # RES is stored as a count from the published rate and the 65+ population.
    population = Population.objects.get(area__code=WESTMINSTER, year=2017, band="65+").population
    count = metric(WESTMINSTER, "RES", "2017/18", "plan")
    assert count == (Decimal("331.3") * population / 100_000).quantize(Decimal("0.0001"))
    assert metric(KENSINGTON, "REA", "2016/17", "actual") == Decimal("89.7")
    assert metric(HAMMERSMITH, "REA", "2018/19", "plan") == 90


@pytest.mark.django_db
def test_triborough_spend_by_source_within_income(demo):
    for area in (WESTMINSTER, KENSINGTON, HAMMERSMITH):
        for year in (2017, 2018):
            for source in FundingSource.objects.all():
                spend = SchemeYear.objects.filter(
                    scheme__area__code=area, financial_year=year, scheme__funding_source=source
                ).aggregate(s=Sum("budget"))["s"]
                income = Contribution.objects.filter(area__code=area, financial_year=year, source=source).aggregate(
                    s=Sum("amount")
                )["s"]
                assert (spend or 0) <= (income or 0), (area, year, source.code)


@pytest.mark.django_db
def test_southwark_published_figures(demo):
    years = SchemeYear.objects.filter(scheme__area__code=SOUTHWARK, financial_year=2014).select_related("scheme")
    assert sorted(sy.scheme.ref for sy in years) == sorted(
        ["Scheme 1", "Scheme 2", "Scheme 3", "Scheme 4", "Scheme 5", "Scheme 7", "Scheme 11"]
    )
    assert sum(sy.budget for sy in years) == 8_957_000
    assert sum(sy.forecast_override for sy in years) == 8_957_000
    assert budget(SOUTHWARK, "Scheme 1", 2014) == 5_621_000
    eleven = years.get(scheme__ref="Scheme 11")
    assert eleven.forecast_override == 214_000 and "£214,00" in eleven.forecast_reason
    assert Contribution.objects.get(area__code=SOUTHWARK, source__code="integration-payment").amount == 1_300_000
    assert Contribution.objects.filter(area__code=SOUTHWARK).aggregate(s=Sum("amount"))["s"] == 8_957_000
    assert metric(SOUTHWARK, "RES", "2014/15", "plan") == 167
    assert metric(SOUTHWARK, "RES", "2014/15-Q1", "actual") == 23
    assert metric(SOUTHWARK, "REA", "2014/15", "plan") == 85
    assert metric(SOUTHWARK, "REA", "2014-06", "actual") == 88
    assert sum(months(SOUTHWARK, "SOUTHWARK-DELAYED-DAYS", 2014, "actual")) == 808
    assert sum(months(SOUTHWARK, "SOUTHWARK-DELAYED-DAYS", 2014, "plan")[:2]) == 424
    assert metric(SOUTHWARK, "SOUTHWARK-LTC-SUPPORTED", "2014-06", "actual") == 59
    assert MetricDefinition.objects.get(code="SOUTHWARK-LTC-SUPPORTED").area.code == SOUTHWARK


@pytest.mark.django_db
def test_every_value_says_where_it_came_from(demo):
    def sourced(note):
        return note.startswith(ILLUSTRATIVE) or any(doc in note for doc in DOCUMENTS)

    notes = list(MetricValue.objects.values_list("note", flat=True))
    notes += list(SchemeValue.objects.values_list("note", flat=True))
    notes += list(Contribution.objects.values_list("note", flat=True))
    notes += list(FundingRequirement.objects.values_list("note", flat=True))
    assert notes and all(sourced(note) for note in notes)
    year_rows = MetricValue.objects.filter(period__kind="year")
    assert year_rows.exists() and all(sourced(v.note) for v in year_rows)
    assert (
        metric(BROMLEY, "NEA", "2016/17", "plan")
        and "Figure 9"
        in MetricValue.objects.get(area__code=BROMLEY, metric__code="NEA", period__code="2016/17", kind="plan").note
    )
    assert all(p.source.startswith(ILLUSTRATIVE) for p in Population.objects.all())
    assert Period.objects.filter(code="2016/17", kind="year").exists()


@pytest.mark.django_db
def test_demo_users_and_memberships(demo):
    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_staff and admin.is_superuser and admin.check_password(DEMO_PASSWORD)
    assert len(DEMO_PASSWORD) >= 12
    slugs = {
        "bromley": BROMLEY,
        "southwark": SOUTHWARK,
        "westminster": WESTMINSTER,
        "kensington": KENSINGTON,
        "hammersmith": HAMMERSMITH,
    }
    roles = {"finance": "finance_officer", "approver": "approver", "commissioner": "commissioner", "hwb": "hwb_member"}
    for slug, code in slugs.items():
        for suffix, role in roles.items():
            user = users.get(username=f"{slug}.{suffix}")
            assert user.first_name and user.last_name and not user.is_staff
            assert user.check_password(DEMO_PASSWORD)
            assert list(Membership.objects.filter(user=user).values_list("area__code", "role")) == [(code, role)]
    london = users.get(username="london.commissioner")
    assert sorted(Membership.objects.filter(user=london).values_list("area__code", "role")) == sorted(
        (code, "commissioner") for code in slugs.values()
    )
    assert "london.commissioner" in demo and DEMO_PASSWORD in demo


@pytest.mark.django_db
def test_areas_partners_and_plans(demo):
    assert Area.objects.count() == 5
    for area in Area.objects.all():
        assert area.region == "London" and area.pool_host.code == f"LA-{area.code}"
    westminster = Area.objects.get(code=WESTMINSTER)
    assert westminster.plans.get().agreed_on.isoformat() == "2017-09-11"
    assert {p.code for p in westminster.partners.filter(kind="ccg")} == {"09A", "08Y"}
    assert Area.objects.get(code=BROMLEY).partners.filter(code="RJZ").exists()


@pytest.mark.django_db
def test_refuses_in_production():
    with override_settings(PRODUCTION=True), pytest.raises(CommandError, match="production"):
        load()
    assert not get_user_model().objects.exists()
    assert not Area.objects.exists()
