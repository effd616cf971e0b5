"""Which of an area-year's figures are made up: a metric value's or a scheme value's note, a population's source."""

import pytest

from bcf_dashboard.core.models import Population
from bcf_dashboard.engine.illustrative import MARK, illustrative_in
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support import builders as b

YEAR = 2017
pytestmark = pytest.mark.django_db


@pytest.fixture
def area():
    the_area = b.area()
    b.scheme(the_area, "A1", YEAR, 12000, plan=[1000] * 12, actual=[990, 1010])
    b.metric_values(the_area, b.metric("NEA"), "actual", {"2017-04": 1250, "2017-05": 1248})
    b.population(the_area, 2016, "65+", 38000)
    return the_area


def test_real_figures_are_not_flagged_and_it_takes_one_query(area, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert illustrative_in(area, YEAR) == {"figures": False, "populations": False}


def test_a_metric_value_marked_in_its_note_flags_the_figures(area):
    MetricValue.objects.filter(area=area).update(note=f"{MARK} made up for the demo")
    assert illustrative_in(area, YEAR) == {"figures": True, "populations": False}


def test_a_scheme_value_marked_in_its_note_flags_the_figures(area):
    SchemeValue.objects.filter(scheme__area=area, kind="actual").update(note=f"{MARK} made up for the demo")
    assert illustrative_in(area, YEAR) == {"figures": True, "populations": False}


def test_a_population_marked_in_its_source_flags_the_populations_of_that_year_and_later(area):
    Population.objects.filter(area=area).update(source=f"{MARK} an estimate made up for the demo")
    assert illustrative_in(area, YEAR) == {"figures": False, "populations": True}
    assert illustrative_in(area, 2015) == {"figures": False, "populations": False}  # before the population's year


def test_another_years_or_another_areas_marks_do_not_count(area):
    other = b.area("E09000020", "Kensington and Chelsea")
    b.scheme(other, "B1", YEAR, 12000, plan=[1000] * 12)
    SchemeValue.objects.filter(scheme__area=other).update(note=f"{MARK} made up")
    b.scheme(area, "A2", YEAR + 1, 12000, plan=[1000] * 12)
    SchemeValue.objects.filter(scheme__ref="A2", period__financial_year=YEAR + 1).update(note=f"{MARK} made up")
    assert illustrative_in(area, YEAR) == {"figures": False, "populations": False}
    assert illustrative_in(area, YEAR + 1)["figures"] is True
    assert illustrative_in(other, YEAR)["figures"] is True
