"""plotly.js comes from the installed plotly package, served like any other static file."""

from pathlib import Path

import plotly
from django.contrib.staticfiles import finders
from django.core.management import call_command

from bcf_dashboard.core.staticfinders import PlotlyFinder


def test_finder_exposes_the_packages_plotly_js_only():
    found = finders.find("vendor/plotly.min.js")
    assert Path(found) == Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert PlotlyFinder().find("vendor/plotly.js") is None
    assert [path for path, _ in PlotlyFinder().list(None)] == ["plotly.min.js"]


def test_whitenoise_serves_it(client, db):
    response = client.get("/static/vendor/plotly.min.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:200].lstrip().startswith(b"/**")
    assert client.get("/static/js/charts.js").status_code == 200


def test_collectstatic_copies_it_for_production(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "vendor" / "plotly.min.js").stat().st_size > 1_000_000
