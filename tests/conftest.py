"""Fixtures shared by every test: the personas (tests/support/personas.py), hypothesis profiles, fast hashing."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from tests.support.personas import PASSWORD, Personas, build_personas, make_user  # noqa: F401  (shared by tests)

# Property-based tests: few examples and a fixed seed in CI (repeatable, a few seconds each); every
# example rolls back its own writes (tests/fuzzing.py), so the function-scoped fixtures are safe to share.
# HYPOTHESIS_PROFILE=thorough searches far more widely, with fresh random examples each run.
hypothesis_settings.register_profile(
    "ci",
    max_examples=30,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
hypothesis_settings.register_profile(
    "thorough", parent=hypothesis_settings.get_profile("ci"), max_examples=1000, derandomize=False
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def personas(db):
    return build_personas()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing takes a third of a second per password; tests make dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings, tmp_path):
    """Background tasks run inside the request, and stored files go to a folder of the test's own; a test
    of the worker itself switches to the database backend (tests/quarterly/test_stored_pdf.py)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
