"""An area-year's figures kept in the database (bcf_dashboard.digests.figures): read in one query while
current, worked out again after any write, a deploy or a version moved meanwhile, and stored by the
write itself or by the worker just after it."""

import io
import zlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Membership
from bcf_dashboard.digests import figures, services
from bcf_dashboard.digests.models import AreaYearDigest, StoredFigures
from bcf_dashboard.digests.selectors import area_versions
from bcf_dashboard.engine import summary as engine
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.returns.services import import_returns
from schemes.models import SchemeValue
from tests.support.dashboard_data import YEAR, make_areas, member


@pytest.fixture
def area(db):
    area = make_areas(1, schemes=4)[0]
    services.up_to_date_headlines([area], YEAR)  # a digest row, as after any page or save
    return area


@pytest.fixture
def engine_runs(monkeypatch):
    """The (area id, year, through) the engine worked out for one area."""
    runs = []
    work_out = engine.area_year_summary

    def counting(area, year, *, through=12):
        runs.append((area.id, year, through))
        return work_out(area, year, through=through)

    monkeypatch.setattr(engine, "area_year_summary", counting)
    return runs


def write(area, rows):
    lines = ["area_code,period,measure,kind,value,note"] + [
        f"{area.code},{periods.month(YEAR, month).code},spend:{ref},actual,{value}," for ref, month, value in rows
    ]
    result = import_returns(content="\n".join(lines).encode(), file_name="actuals.csv")
    assert result.ok, result.errors


def version_of(area):
    return area_versions([area.id])[area.id]


def stored(area, through=12):
    return StoredFigures.objects.filter(digest__area=area, digest__financial_year=YEAR, through=through).first()


def document(summary):
    return summary_document(summary)


def test_the_first_read_works_them_out_and_stores_them_the_next_reads_them(area, engine_runs):
    first = figures.area_year_summary(area, YEAR)
    assert engine_runs == [(area.id, YEAR, 12)]
    assert stored(area).area_version == version_of(area)
    with CaptureQueriesContext(connection) as ctx:
        again = figures.area_year_summary(area, YEAR)
    assert len(ctx.captured_queries) == 1
    assert engine_runs == [(area.id, YEAR, 12)]
    assert document(again) == document(first) == document(engine.area_year_summaries([area], YEAR)[area.id])
    assert again.area is area  # the caller's own object, not a copy from the row


def test_each_month_read_to_is_kept_apart(area, engine_runs):
    whole = figures.area_year_summary(area, YEAR)
    first_quarter = figures.area_year_summary(area, YEAR, through=3)
    assert engine_runs == [(area.id, YEAR, 12), (area.id, YEAR, 3)]
    assert figures.area_year_summary(area, YEAR, through=3).spend.as_of.number == 3
    assert whole.spend.as_of.number == 6
    assert len(engine_runs) == 2
    assert document(first_quarter) == document(engine.area_year_summaries([area], YEAR, through=3)[area.id])


def test_a_save_that_fills_a_month_stores_its_own_figures_in_its_transaction(area, engine_runs):
    figures.area_year_summary(area, YEAR)
    before = version_of(area)
    write(area, [("S1", 7, "55555.55")])  # month 7 was missing: the headline goes to the engine
    assert stored(area).area_version == version_of(area) != before
    with CaptureQueriesContext(connection) as ctx:
        summary = figures.area_year_summary(area, YEAR)
    assert len(ctx.captured_queries) == 1  # read, not worked out
    assert summary.spend.as_of.number == 7
    assert document(summary) == document(engine.area_year_summaries([area], YEAR)[area.id])


def test_a_correction_moved_without_the_engine_asks_the_worker(
    area, engine_runs, monkeypatch, django_capture_on_commit_callbacks
):
    figures.area_year_summary(area, YEAR)
    headlines_worked_out = []
    work_out = services._work_out
    monkeypatch.setattr(services, "_work_out", lambda *a: headlines_worked_out.append(a) or work_out(*a))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        write(area, [("S1", 2, "101250.25")])  # an actual already entered: its headline moves by the difference
    assert headlines_worked_out == []  # moved, so the save stored no figures of its own...
    assert stored(area).area_version < version_of(area)
    assert len(callbacks) == 1
    callbacks[0]()  # ...and the worker's task (run at once by the tests' backend) works them out
    for through in (12, 9, 6, 3):
        assert stored(area, through).area_version == version_of(area)
    del engine_runs[:]
    summary = figures.area_year_summary(area, YEAR)
    first_quarter = figures.area_year_summary(area, YEAR, through=3)
    assert engine_runs == []
    s1 = next(s for s in summary.spend.schemes if s.scheme.ref == "S1")
    assert s1.actual_hundredths[1] == 10125025
    assert document(first_quarter) == document(engine.area_year_summaries([area], YEAR, through=3)[area.id])


def test_after_a_save_the_worker_stores_each_quarters_figures_too(
    area, engine_runs, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(area, [("S1", 7, "55555.55")])  # the engine's path: the save stores the whole year itself
    for through in (12, 9, 6, 3):
        assert stored(area, through).area_version == version_of(area)
    for through in (12, 9, 6, 3):
        with CaptureQueriesContext(connection) as ctx:
            summary = figures.area_year_summary(area, YEAR, through=through)
        assert len(ctx.captured_queries) == 1  # read, not worked out
        assert document(summary) == document(engine.area_year_summaries([area], YEAR, through=through)[area.id])


def test_a_write_that_only_moves_the_version_is_never_served_stale(area, engine_runs):
    before = figures.area_year_summary(area, YEAR)
    value = SchemeValue.objects.get(
        scheme__area=area, scheme__ref="S1", period__number=2, kind="actual", measure="spend"
    )
    value.value += 1000  # the admin's save: a signal moves the version, nothing works the figures out
    value.save()
    after = figures.area_year_summary(area, YEAR)
    assert len(engine_runs) == 2
    s1 = {s.scheme.ref: s for s in after.spend.schemes}["S1"]
    assert s1.actual_ytd != {s.scheme.ref: s for s in before.spend.schemes}["S1"].actual_ytd
    assert document(after) == document(engine.area_year_summaries([area], YEAR)[area.id])


def test_a_write_committed_while_a_view_works_them_out_leaves_them_stale(area, engine_runs, monkeypatch):
    """The view names the version it read before the figures: the writer's change is not in what it stores."""
    work_out = engine.area_year_summary
    before = version_of(area)

    def with_a_writer_meanwhile(area, year, *, through=12):
        summary = work_out(area, year, through=through)
        services.bump([(area.id, YEAR)])  # a writer commits after the view read the values
        return summary

    monkeypatch.setattr(engine, "area_year_summary", with_a_writer_meanwhile)
    figures.area_year_summary(area, YEAR)
    assert stored(area).area_version == before < version_of(area)
    monkeypatch.setattr(engine, "area_year_summary", work_out)
    del engine_runs[:]
    with CaptureQueriesContext(connection) as ctx:
        figures.area_year_summary(area, YEAR)
    assert any("INSERT" in q["sql"] for q in ctx.captured_queries)  # worked out again and stored
    assert stored(area).area_version == version_of(area)


def test_a_slow_view_never_replaces_what_a_later_write_stored(area):
    digest = AreaYearDigest.objects.get(area=area, financial_year=YEAR)
    early = engine.area_year_summaries([area], YEAR)[area.id]
    slow_view_read = version_of(area)
    write(area, [("S1", 7, "55555.55")])  # stores its own figures at a later version
    written = stored(area)
    figures.store([(digest.id, slow_view_read, early)])  # the slow view finishes last
    assert stored(area).area_version == written.area_version > slow_view_read
    assert stored(area).data == written.data


def test_a_write_to_an_earlier_year_makes_a_later_years_figures_stale(area, engine_runs):
    """A year's projections read the years before it: its stored figures name every year's version."""
    figures.area_year_summary(area, YEAR)
    services.bump([(area.id, YEAR - 1)])  # e.g. last year's emergency admissions corrected
    figures.area_year_summary(area, YEAR)
    assert len(engine_runs) == 2


def test_another_release_works_them_out_again(area, engine_runs, monkeypatch):
    figures.area_year_summary(area, YEAR)
    monkeypatch.setattr(figures, "code_version", lambda: "next-release")
    figures.area_year_summary(area, YEAR)
    figures.area_year_summary(area, YEAR)
    assert len(engine_runs) == 2
    assert stored(area).release.startswith("next-release-")


def test_a_copy_that_cannot_be_read_back_is_worked_out_again(area, engine_runs):
    """A release named by hand (BCF_RELEASE) and not renamed when its classes changed: never a 500."""
    figures.area_year_summary(area, YEAR)
    StoredFigures.objects.update(data=zlib.compress(b"not a pickle of this release's classes"))
    summary = figures.area_year_summary(area, YEAR)
    assert len(engine_runs) == 2
    assert document(summary) == document(engine.area_year_summaries([area], YEAR)[area.id])


def test_a_year_without_a_digest_row_is_worked_out_and_not_stored(area, engine_runs):
    summary = figures.area_year_summary(area, YEAR + 5)
    assert summary.spend.schemes == []
    assert not StoredFigures.objects.filter(digest__financial_year=YEAR + 5).exists()


def test_the_worker_task_works_out_only_what_is_stale_and_is_safe_to_run_twice(db):
    from bcf_dashboard.digests.tasks import work_out_figures

    areas = make_areas(3, schemes=2)
    services.up_to_date_headlines(areas, YEAR)
    figures.area_year_summary(areas[0], YEAR)
    pairs = [[a.id, YEAR] for a in areas]
    assert work_out_figures.call(pairs) == 3 * 4 - 1  # each area's whole year and quarters, but the one stored
    assert work_out_figures.call(pairs) == 0
    for a in areas:
        assert stored(a).area_version == version_of(a)
        assert document(figures.area_year_summary(a, YEAR)) == document(engine.area_year_summaries([a], YEAR)[a.id])


def test_refresh_summaries_stores_figures_after_a_load_by_hand(area, engine_runs):
    figures.area_year_summary(area, YEAR)
    figures.area_year_summary(area, YEAR, through=3)
    # SQL by hand (a restore, COPY): no version moves, so what was stored is what a view would read...
    SchemeValue.objects.filter(scheme__area=area, scheme__ref="S1", period__number=2, kind="actual").update(
        value=Decimal("1.00")
    )
    call_command("refresh_summaries", stdout=io.StringIO())
    del engine_runs[:]
    summary = figures.area_year_summary(area, YEAR)  # ...until the command the runbook names stores them again
    assert engine_runs == []
    assert document(summary) == document(engine.area_year_summaries([area], YEAR)[area.id])
    s1 = {s.scheme.ref: s for s in summary.spend.schemes}["S1"]
    assert s1.actual_hundredths[1] == 100
    first_quarter = figures.area_year_summary(area, YEAR, through=3)  # a quarter's copy was dropped, not kept
    assert engine_runs == [(area.id, YEAR, 3)]
    assert {s.scheme.ref: s for s in first_quarter.spend.schemes}["S1"].actual_hundredths[1] == 100


def test_a_save_asks_the_worker_once_per_year_latest_first(area, monkeypatch, django_capture_on_commit_callbacks):
    from bcf_dashboard.digests import tasks

    asked = []
    monkeypatch.setattr(tasks, "work_out_figures", type("Queue", (), {"enqueue": staticmethod(asked.append)}))
    with django_capture_on_commit_callbacks(execute=True):
        services.changed([(area.id, YEAR - 1), (area.id, YEAR)])  # a file with figures of two years
    assert asked == [[[area.id, YEAR]], [[area.id, YEAR - 1]]]


def test_a_change_of_national_reference_data_makes_every_areas_figures_stale(area, engine_runs):
    from metrics.models import MetricDefinition

    figures.area_year_summary(area, YEAR)
    definition = MetricDefinition.objects.filter(area__isnull=True).first()
    definition.name, definition.short_name = definition.name + " (revised)", ""
    definition.save()  # the admin's save: every area's version moves
    summary = figures.area_year_summary(area, YEAR)
    assert len(engine_runs) == 2
    assert summary.metric(definition.code).definition.label.endswith("(revised)")


def test_a_sign_off_step_asks_the_worker_for_the_figures_it_made_stale(db, django_capture_on_commit_callbacks):
    from bcf_dashboard.signoff.services import take_step

    area = make_areas(1, schemes=2)[0]
    finance = member(area, Membership.Role.FINANCE_OFFICER)
    figures.area_year_summary(area, YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        take_step(user=finance, area=area, financial_year=YEAR, quarter=1, action="submit", reason="Early")
    for through in (12, 9, 6, 3):
        assert stored(area, through).area_version == version_of(area)
