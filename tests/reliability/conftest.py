"""The reliability tests' shared cluster: made once per run, with the demo data, and removed after.

They run in CI's PostgreSQL pass only (DATABASE_URL names PostgreSQL), so once per CI run; on
SQLite they are skipped. They need root, PostgreSQL's server binaries and gunicorn: without
them they are skipped, or fail when BCF_REQUIRE_RELIABILITY=1 (as in .ci/run), so that CI
can never pass without having run them.
"""

import os

import pytest

from tests.reliability.cluster import Cluster, missing_requirements


@pytest.fixture(scope="session")
def cluster():
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        pytest.skip("the reliability tests run in the PostgreSQL pass (DATABASE_URL=postgres://...)")
    missing = missing_requirements()
    if missing:
        message = "the reliability tests need " + ", ".join(missing)
        if os.environ.get("BCF_REQUIRE_RELIABILITY") == "1":
            pytest.fail(message + " (BCF_REQUIRE_RELIABILITY=1)")
        pytest.skip(message)
    made = Cluster()
    try:
        made.load_demo_template()
        yield made
    finally:
        made.destroy()
