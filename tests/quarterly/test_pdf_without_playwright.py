"""Playwright is the optional ``pdf`` extra: the app starts without it, and the PDF link explains."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bcf_dashboard.quarterly import pdf
from tests.quarterly.conftest import url

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def no_playwright(monkeypatch):
    """As on a server installed without the extra: ``import playwright`` raises ImportError."""
    for name in [name for name in sys.modules if name == "playwright" or name.startswith("playwright.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    # Chromium is there (any existing file will do): only Playwright is missing.
    monkeypatch.setattr(pdf, "chromium_path", lambda: sys.executable)


def test_without_playwright_html_to_pdf_says_so(no_playwright):
    with pytest.raises(pdf.PdfUnavailable, match="Playwright is not installed on this server"):
        pdf.html_to_pdf("<p>x</p>")


def test_without_playwright_the_pdf_link_explains(client, personas, no_playwright):
    client.force_login(personas.hwb_a)
    response = client.get(url(personas.area_a, suffix="summary.pdf"))
    assert response.status_code == 503
    assert b"Playwright is not installed on this server" in response.content
    assert b"Print the page from your browser instead" in response.content


def test_the_app_starts_and_serves_without_playwright():
    """A fresh interpreter where Playwright cannot be imported: the checks pass, every URL module loads."""
    code = "\n".join(
        [
            "import sys",
            "sys.modules['playwright'] = None",
            "import django",
            "django.setup()",
            "from django.core.management import call_command",
            "call_command('check')",
            "from django.urls import get_resolver",
            "get_resolver().url_patterns",
            "import bcf_dashboard.quarterly.views",
            "assert 'playwright.sync_api' not in sys.modules",
        ]
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bcf_dashboard.settings"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
