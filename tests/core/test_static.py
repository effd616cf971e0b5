"""plotly.js is the vendored basic bundle (static/vendor), served like any other static file."""

import hashlib
import re
from pathlib import Path

import plotly
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from bcf_dashboard.quarterly.pdf import static_file

BUNDLE = Path(settings.BASE_DIR) / "static" / "vendor" / "plotly-basic.min.js"
COMPILE_HINT = b"//# allFunctionsCalledOnLoad"
# Every trace type the figure builders write ("type": "bar" and the like, not shapes' or axes').
TRACE_TYPES_IN_BUNDLE = {"scatter", "bar", "pie"}
FIGURE_BUILDERS = [
    "bcf_dashboard/core/charts.py",
    "bcf_dashboard/quarterly/charts.py",
    "metrics/charts.py",
    "schemes/charts.py",
]


def version(js_path: Path) -> str:
    with js_path.open(encoding="utf-8") as js:
        return re.search(r"plotly\.js (?:\(basic - minified\) )?v(\d+\.\d+\.\d+)", js.read(300)).group(1)


def test_bundle_is_the_plotly_packages_plotly_js_version():
    """bin/build-plotly rebuilds the bundle when the plotly package is upgraded."""
    packaged = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    assert version(BUNDLE) == version(packaged)


def test_bundle_is_npms_file_after_the_compile_hint():
    hint, published = BUNDLE.read_bytes().split(b"\n", 1)
    assert hint == COMPILE_HINT
    assert published.startswith(b"/**\n* plotly.js (basic - minified)")
    recorded = re.search(r"sha256 `([0-9a-f]{64})`", (BUNDLE.parent / "README.md").read_text(encoding="utf-8"))
    assert hashlib.sha256(published).hexdigest() == recorded.group(1)


def test_bundle_holds_every_trace_type_the_app_draws():
    used = set()
    for builder in FIGURE_BUILDERS:
        source = (Path(settings.BASE_DIR) / builder).read_text(encoding="utf-8")
        used |= set(re.findall(r'\{\s*"type": "(\w+)",\s*"(?:name|mode|orientation)"', source))
    assert used and used <= TRACE_TYPES_IN_BUNDLE, used


def test_finders_and_whitenoise_serve_the_bundle_only(client, db):
    assert Path(finders.find("vendor/plotly-basic.min.js")) == BUNDLE
    assert finders.find("vendor/plotly.min.js") is None  # the full 4.8 MB bundle is not served
    response = client.get("/static/vendor/plotly-basic.min.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:200].startswith(
        COMPILE_HINT + b"\n/**\n* plotly.js (basic - minified)"
    )
    assert client.get("/static/js/charts.js").status_code == 200


def test_pdf_renderer_finds_the_bundle(settings):
    settings.STATIC_ROOT = None
    assert static_file("/static/vendor/plotly-basic.min.js") == BUNDLE


def test_collectstatic_copies_it_for_production(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    call_command("collectstatic", interactive=False, verbosity=0)
    assert (tmp_path / "vendor" / "plotly-basic.min.js").read_bytes() == BUNDLE.read_bytes()
    assert not (tmp_path / "vendor" / "plotly.min.js").exists()
