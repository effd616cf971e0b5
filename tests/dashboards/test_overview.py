"""The engine batched over many areas gives each area exactly its own summary, in a fixed number of queries."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bcf_dashboard.core.models import Area
from bcf_dashboard.digests.selectors import years_with_data
from bcf_dashboard.digests.services import up_to_date_flags
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import area_year_summaries, area_year_summary
from tests.support import builders as b
from tests.support.dashboard_data import YEAR, make_areas, overview_for


def assert_same(batched, engine):
    """Same document (every figure of docs/formats.md section 2) and the same figures behind the charts."""
    assert summary_document(batched) == summary_document(engine)
    assert batched.spend.cumulative_plan == engine.spend.cumulative_plan
    assert batched.spend.cumulative_actual == engine.spend.cumulative_actual
    assert batched.spend.by_type() == engine.spend.by_type()
    for mine, theirs in zip(batched.spend.schemes, engine.spend.schemes, strict=True):
        assert (mine.activity_plan, mine.activity_actual, mine.saving_plan, mine.plan_months) == (
            theirs.activity_plan,
            theirs.activity_actual,
            theirs.saving_plan,
            theirs.plan_months,
        )
    assert [m.months for m in batched.metrics] == [m.months for m in engine.metrics]
    assert [(c.name, c.passed, c.detail) for c in batched.funding.checks] == [
        (c.name, c.passed, c.detail) for c in engine.funding.checks
    ]


def test_every_area_matches_the_engine(db):
    areas = make_areas(4, schemes=5)
    b.area("E09000020", "Kensington and Chelsea")  # an area with no data at all
    everyone = list(Area.objects.all())
    batched = area_year_summaries(everyone, YEAR)
    assert set(batched) == {a.id for a in everyone}
    for area in everyone:
        assert_same(batched[area.id], area_year_summary(area, YEAR))
    # The local metric of one area does not leak into another's list.
    codes = [m.code for m in batched[areas[0].id].metrics]
    assert f"LOCAL-{areas[0].code}" in codes and f"LOCAL-{areas[1].code}" not in codes
    assert batched[areas[0].id].risk_share.fund_quarters  # scale 1: a performance fund


def test_demo_data_matches_the_engine_every_year(db):
    call_command("load_demo", stdout=open("/dev/null", "w"))
    areas = list(Area.objects.all())
    for year in years_with_data(up_to_date_flags(Area.objects.all())):
        batched = area_year_summaries(areas, year)
        for area in areas:
            assert_same(batched[area.id], area_year_summary(area, year))


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


@pytest.mark.parametrize("small, large", [(2, 20)])
def test_query_count_does_not_grow_with_areas(db, small, large):
    areas = make_areas(large, schemes=4)
    few = count_queries(lambda: area_year_summaries(areas[:small], YEAR))
    many = count_queries(lambda: area_year_summaries(areas, YEAR))
    assert few == many <= 14


def test_overview_defaults_to_the_latest_year_and_filters(db, personas):
    make_areas(3)
    b.scheme(personas.area_a, "A1", 2016, "1000")  # Bromley: an older year only
    overview = overview_for(personas.staff)
    assert overview.year == YEAR and overview.years == [2017, 2016]
    assert overview.area_count == 5
    assert [h.area.name for h in overview_for(personas.staff, region="South East").headlines] == ["Borough 02"]
    statuses = {h.area.name: h.status for h in overview.headlines}
    for status in set(statuses.values()):
        listed = overview_for(personas.staff, status=status).headlines
        assert {h.area.name for h in listed} == {name for name, s in statuses.items() if s == status}


def test_overview_only_lists_the_users_areas(db, personas):
    make_areas(2)
    b.scheme(personas.area_a, "A1", 2016, "1000")
    b.scheme(personas.area_b, "S1", 2015, "1000")
    for user in personas.all_members_of_a():
        overview = overview_for(user)
        assert [h.area.code for h in overview.headlines] == ["E09000006"]
        assert overview.years == [2016]  # only Bromley's years
    assert [h.area.code for h in overview_for(personas.user_b).headlines] == ["E09000028"]
