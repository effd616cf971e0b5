"""How an area-year's scheme values are read (decision 17): from the unique index, by each scheme's
range of the year's month ids, with the same figures whatever order the periods were made in."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Period
from schemes.models import SchemeValue
from schemes.selectors import spend_summaries
from tests.support import builders as b

pytestmark = pytest.mark.django_db


def _interleaved_months(*years):
    """The years' months made in turn (April of one, April of the next, May of one, ...), so that
    each year's month ids have the other year's months between them."""
    for number in range(1, 13):
        for year in years:
            ref = periods.month(year, number)
            Period.objects.create(
                code=ref.code, kind=ref.kind, financial_year=year, number=number, start=ref.start, end=ref.end
            )
    Period.ensure_years(years)  # then their quarters and whole years


def test_a_years_figures_leave_out_other_years_months_among_its_ids():
    _interleaved_months(2030, 2031)
    area = b.area(code="E09000097", name="Interleaved")
    b.scheme(area, "S1", 2030, 12_000, plan=[1000] * 12, actual=[900, 1100, 1000])
    b.scheme(area, "S1", 2031, 24_000, plan=[2000] * 12, actual=[5000] * 12)
    ids = list(Period.objects.filter(financial_year=2030, kind=periods.MONTH).values_list("id", flat=True))
    assert Period.objects.filter(financial_year=2031, id__gt=min(ids), id__lt=max(ids)).count() == 11
    found = spend_summaries([area.id], 2030)[area.id].schemes[0]
    assert found.budget == Decimal(12_000)
    assert found.plan_ytd == Decimal(3000) and found.actual_ytd == Decimal(3000)
    later = spend_summaries([area.id], 2031)[area.id].schemes[0]
    assert later.actual_ytd == Decimal(60_000)


def test_the_unique_key_holds_on_every_database():
    """The model declares the plain constraint (Django makes none on SQLite for one with INCLUDE)."""
    area = b.area(code="E09000096", name="Unique")
    scheme = b.scheme(area, "S1", 2030, 1000, plan=[100])
    row = SchemeValue.objects.get(scheme=scheme)
    with pytest.raises(IntegrityError), transaction.atomic():
        SchemeValue.objects.create(scheme=scheme, period=row.period, measure="spend", kind="plan", value=5)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="INCLUDE is PostgreSQL's")
def test_on_postgresql_the_unique_index_carries_the_value():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'scheme_value_unique'")
        (definition,) = cursor.fetchone()
    assert definition.startswith("CREATE UNIQUE INDEX") and "(scheme_id, period_id, measure, kind)" in definition
    assert definition.endswith("INCLUDE (value)")
