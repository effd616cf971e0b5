"""Pages not covered by their own query-count tests: the summary JSON (cached and not) and the
monthly entry form (showing and saving), each the same number of queries for 3 schemes or 30."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bcf_dashboard.core.models import Area, Membership
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.pages import queries
from tests.support.personas import make_user

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@pytest.fixture
def small_and_large(db):
    small = fill_area(Area.objects.create(code="E09000101", name="Small", region="London"), schemes=3)
    large = fill_area(Area.objects.create(code="E09000102", name="Large", region="London"), schemes=30, scale=2)
    officer = make_user("officer", area=small, role=Membership.Role.FINANCE_OFFICER)
    Membership.objects.create(user=officer, area=large, role=Membership.Role.FINANCE_OFFICER)
    return small, large, officer


@pytest.mark.parametrize("caches", ["db", "none"])
def test_summary_json_queries_do_not_grow(client, small_and_large, settings, caches):
    if caches == "none":
        settings.CACHES = NO_CACHE
    small, large, officer = small_and_large
    client.force_login(officer)
    counts = [queries(client, reverse("summary_json", args=[area.code, YEAR]))[0] for area in (small, large)]
    assert counts[0] == counts[1]
    again = [queries(client, reverse("summary_json", args=[area.code, YEAR]))[0] for area in (small, large)]
    assert again[0] == again[1] <= (6 if caches == "db" else 20)  # a hit: session, user, area, version, cache


def _save(client, area, scheme):
    url = reverse("entry", args=[area.code, f"{YEAR}-10"])
    page = client.get(url).content.decode()
    state = re.search(r'name="state" value="([^"]+)"', page).group(1)
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, {"state": state, f"spend-{scheme.id}": "4321.00"})
    assert response.status_code == 302
    return len(ctx.captured_queries)


def test_entry_form_queries_do_not_grow(client, small_and_large):
    small, large, officer = small_and_large
    client.force_login(officer)
    shown = [queries(client, reverse("entry", args=[area.code, f"{YEAR}-10"]))[0] for area in (small, large)]
    assert shown[0] == shown[1]
    saved = [_save(client, area, area.schemes.get(ref="S1")) for area in (small, large)]
    assert saved[0] == saved[1]
