"""Production settings: Django's deployment checklist passes, and the responses carry the
security headers and cookie flags those settings promise."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import PASSWORD

ROOT = Path(__file__).resolve().parents[2]

# The settings the header tests take from a real production start-up, so they cannot drift apart.
SECURITY_SETTINGS = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "SESSION_COOKIE_AGE",
]


def production_env() -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECURE_"))}
    env.update(
        BCF_PRODUCTION="1",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="bcf.example.org",
        DJANGO_SETTINGS_MODULE="bcf_dashboard.settings",
    )
    return env


def test_production_settings_pass_the_deployment_checklist():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.fixture(scope="module")
def production_settings():
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    values = json.loads(result.stdout.strip().splitlines()[-1])
    if isinstance(values["SECURE_PROXY_SSL_HEADER"], list):
        values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    return values


@pytest.fixture
def as_in_production(settings, production_settings):
    for name, value in production_settings.items():
        setattr(settings, name, value)
    return production_settings


HTTPS = {"HTTP_X_FORWARDED_PROTO": "https"}  # as the TLS-ending proxy sends it


def test_production_turns_on_https_only_settings(production_settings):
    assert production_settings["DEBUG"] is False
    assert production_settings["SESSION_COOKIE_SECURE"] and production_settings["CSRF_COOKIE_SECURE"]
    assert production_settings["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production_settings["SECURE_SSL_REDIRECT"]


def test_plain_http_is_sent_to_https(client, db, as_in_production):
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/accounts/login/"


def test_secure_headers_and_cookies_on_every_response(client, personas, as_in_production):
    fill_area(personas.area_a, schemes=2)
    login_page = client.get(reverse("login"), **HTTPS)
    assert login_page.status_code == 200
    csrf = login_page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"

    signed_in = client.post(reverse("login"), {"username": "hwb_a", "password": PASSWORD}, **HTTPS)
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
    assert int(session["max-age"]) == 12 * 60 * 60

    for response in (login_page, signed_in, client.get(reverse("area_year", args=["E09000006", YEAR]), **HTTPS)):
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Frame-Options"] == "DENY"
        assert "Content-Security-Policy" in response


def test_content_security_policy_allows_only_own_scripts(client, personas):
    client.force_login(personas.hwb_a)
    response = client.get(reverse("area", args=["E09000006"]), follow=True)
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    assert directives["script-src"] == ["'self'"]  # no unsafe-inline, no unsafe-eval
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert set(directives["img-src"]) == {"'self'", "data:"}
    assert not any("unsafe-eval" in sources for sources in directives.values())


@pytest.mark.parametrize("password, long_enough", [("Tq7-harbour", False), ("Tq7-harbour!", True)])
def test_passwords_need_twelve_characters(password, long_enough):
    assert len(password) == (12 if long_enough else 11)
    if long_enough:
        validate_password(password)
    else:
        with pytest.raises(ValidationError, match="at least 12 characters"):
            validate_password(password)
