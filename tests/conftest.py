"""Personas shared by every view test: each test can check every role's access."""

import os
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bcf_dashboard.models import Area, Membership

PASSWORD = "correct-horse-battery"

# Property-based tests: few examples and a fixed seed in CI (repeatable, a few seconds each); every
# example rolls back its own writes (tests/fuzzing.py), so the function-scoped fixtures are safe to share.
# HYPOTHESIS_PROFILE=thorough searches far more widely, with fresh random examples each run.
hypothesis_settings.register_profile(
    "ci", max_examples=30, deadline=None, derandomize=True, database=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
hypothesis_settings.register_profile("thorough", parent=hypothesis_settings.get_profile("ci"), max_examples=1000,
                                     derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@dataclass
class Personas:
    area_a: Area
    area_b: Area
    finance_a: object
    approver_a: object
    commissioner_a: object
    hwb_a: object
    user_b: object
    staff: object

    def all_members_of_a(self):
        return [self.finance_a, self.approver_a, self.commissioner_a, self.hwb_a]


def make_user(username, *, area=None, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if area is not None:
        Membership.objects.create(user=user, area=area, role=role)
    return user


@pytest.fixture
def personas(db):
    return build_personas()


def build_personas() -> Personas:
    """Bromley (A) with one user per role, Southwark (B) with a finance officer, and staff."""
    area_a = Area.objects.create(code="E09000006", name="Bromley", region="London")
    area_b = Area.objects.create(code="E09000028", name="Southwark", region="London")
    R = Membership.Role
    return Personas(
        area_a=area_a,
        area_b=area_b,
        finance_a=make_user("finance_a", area=area_a, role=R.FINANCE_OFFICER),
        approver_a=make_user("approver_a", area=area_a, role=R.APPROVER),
        commissioner_a=make_user("commissioner_a", area=area_a, role=R.COMMISSIONER),
        hwb_a=make_user("hwb_a", area=area_a, role=R.HWB_MEMBER),
        user_b=make_user("finance_b", area=area_b, role=R.FINANCE_OFFICER),
        staff=make_user("staff", is_staff=True, is_superuser=True),
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing takes a third of a second per password; tests make dozens of users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
