"""The read API as other tools meet it: a real server on a real socket, a real HTTP client, and pandas
reading the returns CSV straight from its address (as an analyst's notebook would)."""

import json
import urllib.error
import urllib.request

import pandas

from tests.api.conftest import BASE, YEAR, returns_url, summary_url, token_for


def fetch(url, token=None, method="GET"):
    request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (our own live server)
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.headers, refused.read()


def test_a_real_client_reads_the_api_with_a_token(live_server, filled):
    token = token_for(filled.finance_a)
    status, headers, body = fetch(live_server.url + f"{BASE}/areas/", token)
    assert status == 200 and headers["Content-Type"] == "application/json"
    assert json.loads(body) == {"areas": [{"code": "E09000006", "name": "Bromley", "years": [YEAR]}]}

    status, _, body = fetch(live_server.url + summary_url(filled.area_a), token)
    assert status == 200 and json.loads(body)["financial_year"] == "2017/18"

    status, headers, body = fetch(live_server.url + f"{BASE}/areas/")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer") and "error" in json.loads(body)
    assert fetch(live_server.url + summary_url(filled.area_b), token)[0] == 404
    status, headers, body = fetch(live_server.url + f"{BASE}/areas/", token, method="POST")
    assert status == 405 and headers["Allow"] == "GET, HEAD" and "only reads" in json.loads(body)["error"]

    status, _, body = fetch(live_server.url + f"{BASE}/openapi.json")
    assert status == 200 and json.loads(body)["openapi"].startswith("3.")


def test_pandas_reads_the_returns_csv_from_its_address(live_server, filled):
    token = token_for(filled.commissioner_a)
    frame = pandas.read_csv(
        live_server.url + returns_url(filled.area_a, format="csv"),
        storage_options={"Authorization": f"Bearer {token}"},
        keep_default_na=False,
    )
    assert list(frame.columns) == ["area_code", "period", "measure", "kind", "value", "note"]
    assert set(frame["area_code"]) == {"E09000006"}
    nea = frame[(frame.measure == "NEA") & (frame.kind == "actual") & (frame.period == "2017-04")]
    assert nea["value"].tolist() == [1280]  # the seed's 1,250 plus the data set's 30
    spend = frame[(frame.measure == "spend:S1") & (frame.kind == "actual")]["value"]
    assert spend.sum() == 100000 + 101000 + 99500.50 + 100000 + 102000 + 100000


def test_pandas_reads_the_json_rows_too(live_server, filled):
    token = token_for(filled.commissioner_a)
    _, _, body = fetch(live_server.url + returns_url(filled.area_a, format="json"), token)
    frame = pandas.DataFrame(json.loads(body))
    assert list(frame.columns) == ["area_code", "period", "measure", "kind", "value", "note"]
    assert frame[(frame.measure == "NEA") & (frame.kind == "plan") & (frame.period == "2017/18")]["value"].tolist() == [
        "15088"
    ]
