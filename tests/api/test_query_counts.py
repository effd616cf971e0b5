"""The read API asks the database the same number of times for a small area-year or a large one, and
for one area or five (after a first request has worked out the digests and noted the token's use)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bcf_dashboard.core.models import Area, Membership
from tests.api.conftest import BASE, bearer, returns_url, summary_url, token_for
from tests.support.dashboard_data import fill_area, make_areas
from tests.support.personas import make_user

NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def counted(client, url, token) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **bearer(token))
    assert response.status_code == 200, (url, response.content)
    return len(ctx.captured_queries)


@pytest.fixture
def small_and_large(db):
    small = fill_area(Area.objects.create(code="E09000101", name="Small", region="London"), schemes=3)
    large = fill_area(Area.objects.create(code="E09000102", name="Large", region="London"), schemes=30, scale=2)
    officer = make_user("officer", area=small, role=Membership.Role.FINANCE_OFFICER)
    Membership.objects.create(user=officer, area=large, role=Membership.Role.FINANCE_OFFICER)
    return small, large, token_for(officer)


@pytest.mark.parametrize("caches", ["db", "none"])
@pytest.mark.parametrize(
    "address",
    [summary_url, returns_url, lambda area: returns_url(area, format="json")],
    ids=["summary", "returns-csv", "returns-json"],
)
def test_an_area_years_queries_do_not_grow_with_its_size(client, small_and_large, settings, caches, address):
    if caches == "none":
        settings.CACHES = NO_CACHE
    small, large, token = small_and_large
    counted(client, f"{BASE}/areas/", token)  # the digests worked out, the token's use noted
    counts = [counted(client, address(area), token) for area in (small, large)]
    assert counts[0] == counts[1], counts
    if address is returns_url:
        assert counts[0] <= 4  # the token (with its owner), the area, the metric values, the scheme values


def test_the_area_list_queries_do_not_grow_with_the_areas(client, db):
    def listing_for(areas, username):
        user = make_user(username)
        for area in areas:
            Membership.objects.create(user=user, area=area, role=Membership.Role.HWB_MEMBER)
        token = token_for(user)
        counted(client, f"{BASE}/areas/", token)
        return counted(client, f"{BASE}/areas/", token)

    areas = make_areas(5, schemes=1)
    one, five = listing_for(areas[:1], "one"), listing_for(areas, "five")
    assert one == five <= 3  # the token, the areas, their digests' flags
