"""The read API through Django's test client: who sees what, the documents, errors, methods, headers."""

import csv
import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from bcf_dashboard.api.models import ApiToken
from tests.api.conftest import BASE, YEAR, bearer, returns_url, summary_url, token_for

READERS = ["finance_a", "approver_a", "commissioner_a", "hwb_a"]


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert list(body) == ["error"] and len(body["error"]) > 10  # plain words
    return body["error"]


def data_urls(area):
    return [f"{BASE}/areas/", summary_url(area), returns_url(area, format="csv"), returns_url(area, format="json")]


# ---- tokens -----------------------------------------------------------------------------------------


def test_no_token_is_401_saying_how_to_send_one(client, filled):
    for url in data_urls(filled.area_a):
        response = client.get(url)
        assert "Authorization: Bearer" in error_of(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_is_not_a_token(client, filled):
    client.force_login(filled.staff)
    for url in data_urls(filled.area_a):
        error_of(client.get(url), 401)


@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Token {token}", "Basic {token}", "{token}", "Bearer bcf_12345678_guess", "Bearer {token}x"],
)
def test_a_malformed_or_wrong_token_is_401(client, filled, header):
    token = token_for(filled.finance_a)
    response = client.get(f"{BASE}/areas/", HTTP_AUTHORIZATION=header.format(token=token))
    error_of(response, 401)


def test_revoked_expired_and_inactive_owners_tokens_are_401(client, filled):
    revoked, expired, inactive = (token_for(user) for user in (filled.finance_a, filled.approver_a, filled.user_b))
    ApiToken.objects.filter(owner=filled.finance_a).update(revoked_at=timezone.now())
    ApiToken.objects.filter(owner=filled.approver_a).update(expires_at=timezone.now() - datetime.timedelta(days=1))
    filled.user_b.is_active = False
    filled.user_b.save()
    assert "revoked" in error_of(client.get(f"{BASE}/areas/", **bearer(revoked)), 401)
    assert "expired" in error_of(client.get(summary_url(filled.area_a), **bearer(expired)), 401)
    assert "inactive" in error_of(client.get(returns_url(filled.area_b), **bearer(inactive)), 401)


def test_the_scheme_word_is_case_insensitive(client, filled):
    token = token_for(filled.finance_a)
    assert client.get(f"{BASE}/areas/", HTTP_AUTHORIZATION=f"bearer {token}").status_code == 200


# ---- what a token sees ------------------------------------------------------------------------------


def test_each_token_lists_exactly_its_owners_areas_with_their_years(client, filled):
    seen = {}
    for persona in [*READERS, "user_b", "staff"]:
        response = client.get(f"{BASE}/areas/", **bearer(token_for(getattr(filled, persona))))
        assert response.status_code == 200
        seen[persona] = response.json()
    bromley = {"code": "E09000006", "name": "Bromley", "years": [YEAR]}
    southwark = {"code": "E09000028", "name": "Southwark", "years": [YEAR]}
    assert all(seen[p] == {"areas": [bromley]} for p in READERS)
    assert seen["user_b"] == {"areas": [southwark]}
    assert seen["staff"] == {"areas": [bromley, southwark]}


def test_years_are_every_year_with_data_oldest_first(client, filled):
    from tests.support.dashboard_data import fill_area

    fill_area(filled.area_a, schemes=1, year=YEAR - 1)
    fill_area(filled.area_a, schemes=1, year=YEAR + 1)
    response = client.get(f"{BASE}/areas/", **bearer(token_for(filled.hwb_a)))
    assert response.json()["areas"][0]["years"] == [YEAR - 1, YEAR, YEAR + 1]


def test_an_area_the_token_cannot_see_is_404_at_every_address(client, filled):
    token = token_for(filled.finance_a)
    for url in data_urls(filled.area_b)[1:] + data_urls(type(filled.area_b)(code="E09999999"))[1:]:
        assert "No such area" in error_of(client.get(url, **bearer(token)), 404)


def test_staff_tokens_see_every_area(client, filled):
    token = token_for(filled.staff)
    for area in (filled.area_a, filled.area_b):
        assert client.get(summary_url(area), **bearer(token)).status_code == 200


# ---- the summary ------------------------------------------------------------------------------------


def test_the_summary_is_the_same_bytes_as_the_signed_in_summary_json(client, filled):
    api = client.get(summary_url(filled.area_a), **bearer(token_for(filled.hwb_a)))
    assert api.status_code == 200 and api["Content-Type"] == "application/json"
    client.force_login(filled.hwb_a)
    signed_in = client.get(reverse("summary_json", args=[filled.area_a.code, YEAR]))
    assert api.content == signed_in.content
    document = api.json()
    assert document["area"] == {"code": "E09000006", "name": "Bromley"} and document["financial_year"] == "2017/18"
    nea = next(m for m in document["metrics"] if m["code"] == "NEA")
    assert nea["months"][0] == {"period": "2017-04", "plan": 1260, "actual": 1280}  # seed plan, actual + 30


def test_the_same_bytes_when_the_api_is_asked_first(client, filled, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    api = client.get(summary_url(filled.area_b), **bearer(token_for(filled.user_b)))
    client.force_login(filled.user_b)
    assert api.content == client.get(reverse("summary_json", args=[filled.area_b.code, YEAR])).content


@pytest.mark.parametrize(
    "year, status, words",
    [
        ("abc", 400, "is not a year"),
        ("2017-18", 400, "is not a year"),
        ("２０１７", 400, "is not a year"),
        ("9999", 404, "outside 2000 to 2099"),
        ("0000", 404, "outside 2000 to 2099"),
    ],
)
def test_a_year_not_a_number_is_400_and_out_of_range_404(client, filled, year, status, words):
    token = token_for(filled.finance_a)
    for url in (summary_url(filled.area_a, year), returns_url(filled.area_a, year)):
        assert words in error_of(client.get(url, **bearer(token)), status)


def test_a_year_without_data_is_an_empty_document_not_an_error(client, filled):
    token = token_for(filled.finance_a)
    summary = client.get(summary_url(filled.area_a, 2030), **bearer(token)).json()
    assert summary["financial_year"] == "2030/31" and summary["as_of"] is None
    assert client.get(returns_url(filled.area_a, 2030, "json"), **bearer(token)).json() == []


# ---- the returns ------------------------------------------------------------------------------------


def test_the_csv_is_exactly_what_export_returns_writes(client, filled, tmp_path):
    response = client.get(returns_url(filled.area_a, format="csv"), **bearer(token_for(filled.approver_a)))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="returns-E09000006-2017-18.csv"'
    written = tmp_path / "returns.csv"
    call_command("export_returns", filled.area_a.code, str(YEAR), "--output", str(written), stderr=io.StringIO())
    assert response.content == written.read_bytes()
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {
        "area_code": "E09000006",
        "period": "2017-04",
        "measure": "NEA",
        "kind": "actual",
        "value": "1280",
        "note": "",
    } in rows
    assert {
        "area_code": "E09000006",
        "period": "2017-04",
        "measure": "spend:S1",
        "kind": "actual",
        "value": "100000.00",
        "note": "",
    } in rows


def test_csv_is_the_default_format(client, filled):
    token = token_for(filled.finance_a)
    assert (
        client.get(returns_url(filled.area_a), **bearer(token)).content
        == client.get(returns_url(filled.area_a, format="csv"), **bearer(token)).content
    )


def test_the_json_rows_are_the_csv_rows(client, filled):
    token = token_for(filled.finance_a)
    csv_text = client.get(returns_url(filled.area_a, format="csv"), **bearer(token)).content.decode("utf-8-sig")
    response = client.get(returns_url(filled.area_a, format="json"), **bearer(token))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    rows = response.json()
    assert rows == list(csv.DictReader(io.StringIO(csv_text))) and len(rows) > 50
    assert list(rows[0]) == ["area_code", "period", "measure", "kind", "value", "note"]


def test_the_accept_header_does_not_change_the_answer(client, filled):
    token = token_for(filled.finance_a)
    for accept in ("text/html", "application/xml", "text/csv"):
        response = client.get(returns_url(filled.area_a, format="json"), HTTP_ACCEPT=accept, **bearer(token))
        assert response.status_code == 200 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("chosen", ["xlsx", "xml", ""])
def test_another_format_is_400_naming_the_two(client, filled, chosen):
    response = client.get(f"{returns_url(filled.area_a)}?format={chosen}", **bearer(token_for(filled.finance_a)))
    assert "?format=csv or ?format=json" in error_of(response, 400)


# ---- methods, unknown addresses, headers ------------------------------------------------------------


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_every_method_but_get_and_head_is_405(client, filled, method):
    token = token_for(filled.finance_a)
    for url in [f"{BASE}/openapi.json", *data_urls(filled.area_a)]:
        for headers in ({}, bearer(token), bearer("bcf_wrong_token")):
            response = getattr(client, method)(url, **headers)
            assert "only reads" in error_of(response, 405)
            assert response["Allow"] == "GET, HEAD"
    assert not ApiToken.objects.filter(last_used_at__isnull=False).exists()  # refused before the token


def test_head_answers_like_get_without_a_body(client, filled):
    token = token_for(filled.finance_a)
    response = client.head(returns_url(filled.area_a, format="csv"), **bearer(token))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"


def test_an_unknown_address_under_the_api_is_a_json_404_for_anyone(client, db):
    for url in (f"{BASE}/", f"{BASE}/nothing", f"{BASE}/areas"):
        assert "openapi.json" in error_of(client.get(url), 404)


def test_security_headers_and_no_shared_caching(client, filled):
    response = client.get(f"{BASE}/areas/", **bearer(token_for(filled.finance_a)))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY" and response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"] and "Authorization" in response["Vary"]
    assert "Set-Cookie" not in response  # no session made for a token


def test_no_csrf_token_is_needed_and_none_could_help(filled):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(f"{BASE}/areas/", **bearer(token_for(filled.finance_a))).status_code == 200
    error_of(strict.post(f"{BASE}/areas/", **bearer(token_for(filled.finance_a))), 405)


# ---- the OpenAPI document ---------------------------------------------------------------------------


def test_the_openapi_document_describes_every_endpoint(client, db):
    from drf_spectacular.validation import validate_schema

    response = client.get(f"{BASE}/openapi.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = response.json()
    validate_schema(document)  # a valid OpenAPI 3 document
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    for path in (
        "/api/v1/areas/",
        "/api/v1/areas/{area_code}/{year}/summary",
        "/api/v1/areas/{area_code}/{year}/returns",
    ):
        assert set(paths[path]) == {"get"}, path
        assert {"200", "401", "405"} <= set(paths[path]["get"]["responses"]), path
        assert paths[path]["get"]["security"] == [{"bearerAuth": []}]
    assert document["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": document["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    returns = paths["/api/v1/areas/{area_code}/{year}/returns"]["get"]
    assert set(returns["responses"]["200"]["content"]) == {"text/csv", "application/json"}
    fmt = next(p for p in returns["parameters"] if p["name"] == "format")
    assert fmt["schema"]["enum"] == ["csv", "json"]


def test_the_openapi_document_needs_no_token_but_a_bad_one_is_still_401(client, filled):
    assert client.get(f"{BASE}/openapi.json", **bearer(token_for(filled.finance_a))).status_code == 200
    error_of(client.get(f"{BASE}/openapi.json", **bearer("bcf_00000000_nothing")), 401)


def test_the_schema_generates_without_warnings(db):
    # drf-spectacular's own check: errors or warnings (an unresolvable type, a missing description) fail it.
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=io.StringIO(), stderr=io.StringIO())
