"""One status, everywhere: the quarterly summary says what the dashboard and the JSON say, in the same words."""

import json

from bcf_dashboard.core.statuses import AT_RISK, NATIONAL_WORDING, STATUS_LABEL
from bcf_dashboard.engine.summary import area_year_summary
from bcf_dashboard.quarterly.document import headline
from tests.quarterly.conftest import section, url
from tests.support.dashboard_data import YEAR


def test_an_at_risk_metric_is_at_risk_on_the_summary_the_dashboard_and_in_the_json(client, filled):
    area = filled.area_a
    client.force_login(filled.hwb_a)
    statuses = {
        m["code"]: m["status"]
        for m in json.loads(client.get(f"/api/areas/{area.code}/{YEAR}/summary.json").content)["metrics"]
    }
    engine = area_year_summary(area, YEAR, through=12)
    assert AT_RISK in {m.status for m in engine.headline_metrics()}, "the data must have an at-risk metric"
    summary = client.get(url(area, 4))
    dashboard = client.get(f"/areas/{area.code}/{YEAR}/")
    for m in engine.headline_metrics():
        assert m.status == statuses[m.code]
        label = STATUS_LABEL[m.status]
        assert label in section(dashboard, f"metric-{m.code.lower()}")
        card = section(summary, f"metric-{m.code.lower()}")
        assert label in card, (m.code, card)
        if m.status == AT_RISK:
            # The national returns' wording may stand beside, never instead.
            assert f"At risk (national return: {NATIONAL_WORDING[AT_RISK]})" in card


def test_the_headline_does_not_count_at_risk_as_on_track(filled):
    engine = area_year_summary(filled.area_a, YEAR, through=6)
    metrics = engine.headline_metrics()
    counts = {s: sum(1 for m in metrics if m.status == s) for s in STATUS_LABEL}
    assert counts[AT_RISK], "the data must have an at-risk metric"
    found = headline(engine)
    assert found.startswith(f"{counts['on_track']} of {len(metrics)} metrics on track, {counts[AT_RISK]} at risk")
