"""Cached pages are the pages: the same HTML on a miss, on a hit and with no cache at all, and a
write changes the key (the data version) so nobody sees figures from before it."""

import re

import pytest
from django.urls import reverse

from bcf_dashboard.core.models import Membership
from bcf_dashboard.returns.services import import_returns
from tests.support.dashboard_data import YEAR, make_areas
from tests.support.pages import queries
from tests.support.personas import make_user

DB_CACHE = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bcf_cache"}}
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def pages(area):
    return [
        reverse("home"),
        reverse("home") + "?sort=-budget&region=London",
        reverse("compare") + "?metric=NEA",
        reverse("compare") + "?metric=RES",
        reverse("area_year", args=[area.code, YEAR]),
        reverse("area_year", args=[area.code, YEAR]) + "?sort=-budget&scheme_type=carers",
        reverse("scheme", args=[area.code, "S1"]),
        reverse("summary_json", args=[area.code, YEAR]),
        reverse("quarter_summary", args=[area.code, YEAR, 3]) + "?draft=1",
        reverse("metric", args=[area.code, "NEA"]),
        reverse("metric", args=[area.code, "DTOC"]) + f"?year={YEAR}",
    ]


def same(html: bytes) -> str:
    """The page without the per-request CSRF token (it is masked differently on every response)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


@pytest.fixture
def world(db):
    areas = make_areas(3, schemes=4)
    staff = make_user("cache-staff", is_staff=True)
    return areas, staff


def test_cached_and_uncached_pages_are_identical(client, world, settings):
    areas, staff = world
    client.force_login(staff)
    for url in pages(areas[0]):
        settings.CACHES = NO_CACHE
        uncached = same(client.get(url).content)
        settings.CACHES = DB_CACHE
        miss_queries, miss = queries(client, url)
        hit_queries, hit = queries(client, url)
        assert same(miss.content) == uncached, url
        assert same(hit.content) == uncached, url
        assert hit_queries < miss_queries, url


def test_a_write_changes_the_key_so_the_page_shows_it(client, world, settings):
    settings.CACHES = DB_CACHE
    areas, staff = world
    client.force_login(staff)
    urls = pages(areas[0])
    before = {url: same(client.get(url).content) for url in urls}
    content = (
        f"area_code,period,measure,kind,value\n{areas[0].code},{YEAR}-10,spend:S1,actual,123456.78\n"
        f"{areas[0].code},{YEAR}-10,NEA,actual,1234\n"
    ).encode()
    assert import_returns(content=content, file_name="october.csv").ok
    after = {url: same(client.get(url).content) for url in urls}
    for url in (
        reverse("area_year", args=[areas[0].code, YEAR]),
        reverse("summary_json", args=[areas[0].code, YEAR]),
        reverse("scheme", args=[areas[0].code, "S1"]),
        reverse("home"),
        reverse("quarter_summary", args=[areas[0].code, YEAR, 3]) + "?draft=1",
        reverse("metric", args=[areas[0].code, "NEA"]),
    ):
        assert after[url] != before[url], url
    settings.CACHES = NO_CACHE
    for url in urls:
        assert same(client.get(url).content) == after[url], url


def test_people_who_see_different_areas_never_share_a_listing(client, world, settings):
    settings.CACHES = DB_CACHE
    areas, staff = world
    one = make_user("one-area", area=areas[1], role=Membership.Role.COMMISSIONER)
    client.force_login(staff)
    everyone = client.get(reverse("home")).content.decode()
    assert all(a.name in everyone for a in areas)
    client.force_login(one)
    mine = client.get(reverse("home")).content.decode()
    assert areas[1].name in mine and areas[0].name not in mine and areas[2].name not in mine
    assert client.get(reverse("area_year", args=[areas[0].code, YEAR])).status_code == 404
    assert client.get(reverse("summary_json", args=[areas[0].code, YEAR])).status_code == 404


def test_the_entry_forms_cached_tables_are_the_tables(client, world, settings):
    areas, _ = world
    officer = make_user("cache-officer", area=areas[0], role=Membership.Role.FINANCE_OFFICER)
    client.force_login(officer)
    url = reverse("entry", args=[areas[0].code, f"{YEAR}-05"])

    def page():
        return re.sub(r'name="state" value="[^"]+"', "", same(client.get(url).content))  # signed with the time

    settings.CACHES = NO_CACHE
    uncached = page()
    settings.CACHES = DB_CACHE
    assert page() == uncached and page() == uncached
    content = f"area_code,period,measure,kind,value\n{areas[0].code},{YEAR}-05,spend:S1,actual,4321\n".encode()
    assert import_returns(content=content, file_name="may.csv").ok
    after = page()
    settings.CACHES = NO_CACHE
    assert after == page() and "4321" in after


def test_a_new_release_does_not_serve_pages_drawn_by_the_last(client, world, settings, monkeypatch):
    from bcf_dashboard.digests import pagecache

    settings.CACHES = DB_CACHE
    areas, staff = world
    client.force_login(staff)
    url = reverse("area_year", args=[areas[0].code, YEAR])
    miss_queries, _ = queries(client, url)
    hit_queries, _ = queries(client, url)
    assert hit_queries < miss_queries
    monkeypatch.setattr(pagecache, "code_version", lambda: "the-next-release")
    after_deploy, _ = queries(client, url)
    again, _ = queries(client, url)
    assert after_deploy > hit_queries  # drawn again, not taken from the last release's entry
    assert again == hit_queries  # and cached under the new release


def test_the_code_version_follows_the_templates_and_code(tmp_path, monkeypatch, settings):
    from bcf_dashboard.digests import pagecache

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>{{ figure }}</p>")
    settings.BASE_DIR = tmp_path
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path / "templates"]}]
    before = pagecache.code_version.__wrapped__()
    assert pagecache.code_version.__wrapped__() == before
    page.write_text("<p>{{ figure|floatformat:2 }}</p>")
    assert pagecache.code_version.__wrapped__() != before


def test_the_code_version_covers_every_installed_app_of_the_project(settings):
    """A new app needs no listing: every installed app inside the project's folder is part of the key."""
    from pathlib import Path

    from django.apps import apps

    from bcf_dashboard.digests import pagecache

    folders = pagecache.code_folders()
    root = Path(settings.BASE_DIR).resolve()
    ours = [Path(c.path).resolve() for c in apps.get_app_configs() if Path(c.path).resolve().is_relative_to(root)]
    assert {
        "core",
        "dashboards",
        "returns",
        "signoff",
        "quarterly",
        "audit",
        "demo",
        "digests",
        "schemes",
        "metrics",
        "funding",
    } <= {p.name for p in ours}
    assert all(folder in folders for folder in ours)
    assert root / "templates" in folders


def test_a_release_name_replaces_the_code_digest(settings):
    from bcf_dashboard.digests import pagecache

    settings.BCF_RELEASE = "2026.12.1"
    first = pagecache.code_version.__wrapped__()
    settings.BCF_RELEASE = "2026.12.2"
    assert pagecache.code_version.__wrapped__() != first
