"""Pages go out gzipped to browsers that accept it; collected static files carry Brotli and gzip copies."""

import gzip
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.support.dashboard_data import YEAR, fill_area


@pytest.fixture
def dashboard(client, personas):
    fill_area(personas.area_a, schemes=4)
    client.force_login(personas.finance_a)
    return reverse("area_year", args=[personas.area_a.code, YEAR])


def test_signed_in_page_is_gzipped_for_browsers_that_accept_it(client, dashboard):
    plain = client.get(dashboard)
    zipped = client.get(dashboard, headers={"accept-encoding": "gzip, deflate, br"})
    assert plain.status_code == zipped.status_code == 200
    assert not plain.has_header("Content-Encoding")
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in [v.strip() for v in zipped["Vary"].split(",")]
    assert "Accept-Encoding" in [v.strip() for v in plain["Vary"].split(",")]
    html = gzip.decompress(zipped.content).decode()
    assert "</html>" in html and 'data-figure="' in html
    assert len(zipped.content) < len(plain.content) / 3
    assert int(zipped["Content-Length"]) == len(zipped.content)


def test_gzipped_pages_differ_in_length_from_request_to_request(client, dashboard):
    """BREACH: Django pads each gzipped response with random bytes, and masks the CSRF token afresh."""
    lengths = {len(client.get(dashboard, headers={"accept-encoding": "gzip"}).content) for _ in range(6)}
    assert len(lengths) > 1


def test_collectstatic_writes_brotli_and_gzip_copies(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ["vendor/plotly-basic.min.js", "js/charts.js", "css/app.css"]:
        for copy in (tmp_path / name, tmp_path / hashed[name]):
            assert copy.with_name(copy.name + ".br").stat().st_size < copy.stat().st_size
            assert copy.with_name(copy.name + ".gz").stat().st_size < copy.stat().st_size
    bundle = tmp_path / "vendor" / "plotly-basic.min.js"
    assert (
        bundle.with_name(bundle.name + ".br").stat().st_size
        < bundle.with_name(bundle.name + ".gz").stat().st_size
        < 450_000
    )
