"""The demo data behind a live server, loaded once per test module: pages look as people will see them.

pytest-django's ``live_server`` empties the database after every test, and loading the demo
takes seconds, so a module using this fixture starts its own server over one demo load (committed)
and empties the database when it is done. Its tests are marked plain ``django_db``, not
``transaction=True`` and without ``live_server``: the mark makes pytest-django create the test
database; on SQLite, where the server shares the test's connection, each test's writes (an
upload, a failed sign-in) are rolled back after it; on PostgreSQL they stay until the module ends.
Anything the whole module needs, such as signed-in sessions, is made in module fixtures.
"""

import os
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import override_settings

from bcf_dashboard.demo import DEMO_PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # 22 demo users: PBKDF2 would take seconds


@dataclass
class DemoSite:
    url: str
    # Paths worked out from the data while the database was open to the fixture (tests cannot query it).
    paths: dict = field(default_factory=dict)


def sign_in(page, url, username, password=DEMO_PASSWORD):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda address: "/accounts/login/" not in address)


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, request):
    """A live server over the demo data.

    The test module may define ``demo_paths()``, run while the database is open, whose dict goes
    to ``site.paths``; and ``urlpatterns``, which the server then answers from instead of the site's.
    """
    from pytest_django.live_server_helper import LiveServer

    from bcf_dashboard.demo.loader import load_demo

    urlconf = request.module.__name__ if hasattr(request.module, "urlpatterns") else None
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHER),
        override_settings(ROOT_URLCONF=urlconf or settings.ROOT_URLCONF),
    ):
        name = str(connection.settings_dict["NAME"])
        # Never load or flush a real database: pytest-django sets one up only for marked tests.
        assert "test" in name or "memory" in name, f"no test database ({name}): mark the tests django_db"
        cache.clear()
        load_demo()
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        site = DemoSite(url=server.url)
        extra = getattr(request.module, "demo_paths", None)
        if extra:
            site.paths.update(extra())
        try:
            yield site
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            # As pytest-django's transactional tests leave it: empty tables, an empty page cache.
            call_command("flush", verbosity=0, interactive=False)
            cache.clear()
