"""QuickBody draws exactly the rows django-tables2 would, sorted any way, for both listing tables."""

import re

import pytest
from django.test import RequestFactory
from django_tables2 import RequestConfig

from bcf_dashboard.dashboards.tables import ComparisonTable, OverviewTable
from tests.support.dashboard_data import comparison_for, make_areas, overview_for
from tests.support.personas import make_user

PLAIN = "django_tables2/bcf_table.html"


def html(table, request):
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", table.as_html(request)))


@pytest.fixture
def staff(db):
    make_areas(5, schemes=3)
    return make_user("tables-staff", is_staff=True)


@pytest.mark.parametrize("sort", ["", "-budget", "status", "-status", "failing_checks", "uncovered_cost"])
def test_overview_rows_match_django_tables2(staff, sort):
    request = RequestFactory().get("/", {"sort": sort} if sort else {})
    request.user = staff
    page = overview_for(staff)
    tables = []
    for template in (None, PLAIN):
        table = OverviewTable(page.headlines, year=page.year)
        if template:
            table.template_name = template
        RequestConfig(request, paginate=False).configure(table)
        tables.append(html(table, request))
    assert tables[0] == tables[1] and "<tbody><tr" in tables[0]


@pytest.mark.parametrize("code", ["NEA", "DTOC", "RES", "REA"])
def test_comparison_rows_match_django_tables2(staff, code):
    request = RequestFactory().get("/")
    request.user = staff
    comparison = comparison_for(staff, code)
    tables = []
    for template in (None, PLAIN):
        table = ComparisonTable(comparison.rows, comparison=comparison)
        if template:
            table.template_name = template
        RequestConfig(request).configure(table)
        tables.append(html(table, request))
    assert tables[0] == tables[1]
