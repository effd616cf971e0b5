"""The read API's shared set-up: Bromley (A) and Southwark (B) with a year of figures, and tokens."""

import pytest

from bcf_dashboard.api.services import make_token
from tests.support.dashboard_data import YEAR, fill_area

BASE = "/api/v1"


def token_for(user, **options) -> str:
    return make_token(owner=user, name=options.pop("name", "tests"), **options).text


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def summary_url(area, year=YEAR):
    return f"{BASE}/areas/{area.code}/{year}/summary"


def returns_url(area, year=YEAR, format=None):
    return f"{BASE}/areas/{area.code}/{year}/returns" + (f"?format={format}" if format else "")


@pytest.fixture
def filled(personas):
    """The personas with a year of figures in both areas (two schemes in A, one in B)."""
    fill_area(personas.area_a, schemes=2)
    fill_area(personas.area_b, schemes=1)
    return personas
