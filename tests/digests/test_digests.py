"""The digest table: every write path moves the area-year's version in its own transaction, the
services refresh its headline there too, and a headline shows exactly the engine's figures."""

from decimal import Decimal

import pytest

from bcf_dashboard.digests import selectors, services
from bcf_dashboard.digests.models import AreaYearDigest
from bcf_dashboard.engine.headlines import Headline, headline_of
from bcf_dashboard.engine.summary import area_year_summary
from bcf_dashboard.returns.services import import_returns
from funding.models import Contribution
from metrics.models import MetricDefinition
from tests.support.dashboard_data import YEAR, make_areas


def digest(area, year=YEAR):
    return AreaYearDigest.objects.get(area=area, financial_year=year)


@pytest.fixture
def areas(db):
    return make_areas(2, schemes=4)


def test_a_headline_holds_the_engines_figures(areas):
    for area in areas:
        summary = area_year_summary(area, YEAR)
        headline = services.up_to_date_headlines([area], YEAR)[area.id]
        assert headline == Headline.read(headline_of(summary, populations=headline.populations))
        assert (headline.spend.budget, headline.spend.actual_ytd, headline.spend.forecast_outturn) == (
            summary.spend.budget,
            summary.spend.actual_ytd,
            summary.spend.forecast_outturn,
        )
        assert headline.failing_checks == len(summary.funding.failing_checks)
        for mine, engine in zip(headline.metrics, summary.metrics, strict=True):
            assert (mine.code, mine.status, mine.actual_ytd, mine.plan_ytd, mine.variance_pct) == (
                engine.code,
                engine.status,
                engine.actual_ytd,
                engine.plan_ytd,
                engine.variance_pct,
            )
        assert headline.uncovered_cost == summary.risk_share.ytd.uncovered_cost


def test_an_import_bumps_and_refreshes_in_its_transaction(areas):
    area = areas[0]
    services.up_to_date_headlines([area], YEAR)  # current before the write
    version = digest(area).version
    content = f"area_code,period,measure,kind,value\n{area.code},{YEAR}-10,spend:S1,actual,5000\n".encode()
    assert import_returns(content=content, file_name="oct.csv").ok
    row = digest(area)
    assert row.version == version + 1 and row.current  # nothing left for a page to work out
    assert Headline.read(row.headline).spend.actual_ytd == area_year_summary(area, YEAR).spend.actual_ytd


def test_a_refused_import_moves_nothing(areas):
    area = areas[0]
    services.up_to_date_headlines([area], YEAR)
    version = digest(area).version
    content = f"area_code,period,measure,kind,value\n{area.code},{YEAR}-10,spend:S1,actual,12a\n".encode()
    assert not import_returns(content=content, file_name="bad.csv").ok
    assert digest(area).version == version and digest(area).current


def test_orm_saves_bump_through_signals_and_pages_repair_the_headline(areas):
    area = areas[0]
    services.up_to_date_headlines([area], YEAR)
    version = digest(area).version
    contribution = Contribution.objects.filter(area=area, financial_year=YEAR).first()
    contribution.amount += Decimal("1000.00")
    contribution.save()  # as the admin does
    assert digest(area).version == version + 1 and not digest(area).current
    headline = services.up_to_date_headlines([area], YEAR)[area.id]  # the next page works it out and keeps it
    assert digest(area).current
    assert headline.failing_checks == len(area_year_summary(area, YEAR).funding.failing_checks)


def test_national_reference_changes_bump_every_area(areas):
    before = {d.id: d.version for d in AreaYearDigest.objects.all()}
    nea = MetricDefinition.objects.get(code="NEA")
    nea.tolerance_pct = 5
    nea.save()
    assert all(d.version == before[d.id] + 1 for d in AreaYearDigest.objects.all())


def test_years_come_from_the_digests_and_match_the_data(areas):
    assert selectors.years_with_data(services.up_to_date_flags(areas)) == [YEAR]
    assert selectors.latest_year_with_actuals(services.up_to_date_flags(areas), YEAR + 1) == YEAR
    assert selectors.latest_year_with_actuals(services.up_to_date_flags(areas), YEAR) is None


def test_a_national_change_does_not_send_the_year_list_through_the_engine(areas, django_assert_num_queries):
    selectors.years_with_data(services.up_to_date_flags(areas))  # every row known
    nea = MetricDefinition.objects.get(code="NEA")
    nea.tolerance_pct = 5
    nea.save()  # every version moves, headlines go stale
    with django_assert_num_queries(1):
        assert selectors.years_with_data(services.up_to_date_flags(areas)) == [YEAR]
    headlines = services.up_to_date_headlines(areas, YEAR)  # the listed year's headlines are worked out
    assert all(digest(a).current for a in areas) and set(headlines) == {a.id for a in areas}


def test_a_contribution_moved_to_another_area_moves_both_areas_versions(areas):
    """The admin can change a record's area: the area it leaves changes as much as the one it joins."""
    first, second = areas
    before = {area.id: digest(area).version for area in areas}
    contribution = Contribution.objects.filter(area=first, financial_year=YEAR).first()
    contribution.area = second
    contribution.save()
    assert digest(first).version == before[first.id] + 1
    assert digest(second).version == before[second.id] + 1


def test_a_scheme_moved_to_another_area_moves_every_year_of_both(areas):
    from schemes.models import Scheme

    first, second = areas
    before = {d.id: d.version for d in AreaYearDigest.objects.filter(area__in=areas)}
    scheme = Scheme.objects.filter(area=first).first()
    scheme.area, scheme.ref = second, "MOVED"
    scheme.save()
    assert all(d.version == before[d.id] + 1 for d in AreaYearDigest.objects.filter(area__in=areas))


def test_a_national_metric_made_local_moves_every_areas_version(areas):
    """Every other area's figures counted it and no longer do."""
    before = {d.id: d.version for d in AreaYearDigest.objects.all()}
    nea = MetricDefinition.objects.get(code="NEA")
    nea.area = areas[0]
    nea.save()
    assert all(d.version == before[d.id] + 1 for d in AreaYearDigest.objects.all())


def test_an_edited_period_moves_every_version(areas):
    from bcf_dashboard.core.models import Period

    before = {d.id: d.version for d in AreaYearDigest.objects.all()}
    period = Period.objects.filter(financial_year=YEAR).first()
    period.save()  # the admin's save of a month
    assert all(d.version == before[d.id] + 1 for d in AreaYearDigest.objects.all())
