"""The summary page shows the engine's figures for the quarter (through its last month), and nothing else."""

import pytest

from bcf_dashboard.core.formats import gbp, metric_figure
from bcf_dashboard.core.statuses import NATIONAL_WORDING, STATUS_LABEL
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import area_year_summary
from bcf_dashboard.quarterly.document import build_document, headline
from tests.quarterly.conftest import plain, section, url
from tests.support.dashboard_data import YEAR
from tests.support.pages import figures, inline_scripts


@pytest.mark.parametrize("quarter", [1, 2, 3, 4])
def test_the_figures_are_the_engines_for_the_quarter(client, filled, quarter):
    area = filled.area_a
    engine = area_year_summary(area, YEAR, through=3 * quarter)
    client.force_login(filled.hwb_a)
    response = client.get(url(area, quarter))
    assert response.status_code == 200
    text = plain(response)
    assert headline(engine) in text
    for m in engine.headline_metrics():
        card = section(response, f"metric-{m.code.lower()}")
        unit = m.definition.unit
        assert f"Plan to date {metric_figure(m.plan_ytd, unit)}" in card or quarter == 4, (m.code, card)
        assert metric_figure(m.actual_ytd, unit) in card and metric_figure(m.plan_year, unit) in card
        assert STATUS_LABEL[m.status] in card and NATIONAL_WORDING[m.status] in card
    spend = section(response, "spend")
    for value in (engine.spend.budget, engine.spend.forecast_outturn, engine.spend.actual_ytd):
        assert gbp(value, pennies=False) in spend
    for group in engine.spend.by_type():
        assert f"{group['type']} {group['schemes']} {gbp(group['budget'], pennies=False)}" in spend
    pool = section(response, "pool")
    assert all(gbp(c.amount, pennies=False) in pool for c in engine.funding.contributions)
    risk = section(response, "risk-share")
    assert gbp(engine.risk_share.value_at_risk, pennies=False) in risk
    if engine.risk_share.ytd:
        assert gbp(engine.risk_share.ytd.uncovered_cost, pennies=False) in risk
    checks = section(response, "checks")
    assert all(c.name in checks for c in engine.funding.failing_checks)
    if quarter < 4:
        assert not any(c.name in checks for c in engine.funding.checks if c.passed)
    else:  # the year end states every condition and check, met or not
        assert all(c.name in checks for c in engine.funding.checks)
        assert "National conditions and checks for 2017/18" in checks and "Not met" in checks


def test_the_quarter_leaves_out_later_months(client, filled):
    area = filled.area_a
    q1 = build_document(area, YEAR, 1, narrative={})
    assert q1["summary"] == summary_document(area_year_summary(area, YEAR, through=3))
    assert q1["summary"] != summary_document(area_year_summary(area, YEAR))
    nea = next(m for m in q1["summary"]["metrics"] if m["code"] == "NEA")
    assert nea["as_of"] == "2017-06" and [m["actual"] for m in nea["months"]][3:] == [None] * 9
    client.force_login(filled.commissioner_a)
    drawn = figures(client.get(url(area, 1)))["figure-summary-nea"]
    bars = drawn["data"][0]["y"]
    assert bars[:3] == [float(m["actual"]) for m in nea["months"][:3]] and bars[3:] == [None] * 9
    assert drawn["layout"]["width"] == 300  # fixed: printed as drawn, never cut


def test_the_headline_reads_as_one_sentence(filled):
    engine = area_year_summary(filled.area_a, YEAR, through=6)
    found = headline(engine)
    metrics = engine.headline_metrics()
    on_track = sum(1 for m in metrics if m.status == "on_track")
    assert found.startswith(f"{on_track} of {len(metrics)} metrics on track")
    assert (
        f"spend {gbp(engine.spend.actual_ytd, pennies=False)} to Sep 2017 against a budget of "
        f"{gbp(engine.spend.budget, pennies=False)}; forecast {gbp(engine.spend.forecast_outturn, pennies=False)}."
        in found
    )


def test_an_empty_quarter_still_reads(client, personas):
    client.force_login(personas.hwb_a)
    response = client.get(url(personas.area_a, 3, year=2019))
    text = plain(response)
    assert response.status_code == 200
    assert "No metrics in force; no scheme has a budget for the year." in text
    assert "No risk share is agreed for 2019/20" in text


def test_no_inline_script_and_the_print_margins_name_the_quarter(client, filled):
    client.force_login(filled.hwb_a)
    response = client.get(url(filled.area_a))
    assert not inline_scripts(response)
    body = response.content.decode()
    assert '@top-left { content: "Bromley \\0000b7  Q2 2017/18 quarterly summary"' in body
    assert "Draft: not yet approved" in body


def test_margin_text_cannot_break_out_of_the_style(client, filled):
    filled.area_a.name = 'Bad"; } </style><script>alert(1)</script>'
    filled.area_a.save()
    client.force_login(filled.hwb_a)
    body = client.get(url(filled.area_a)).content.decode()
    assert body.count("</style>") == 1 and "<script>alert" not in body
    style = body[body.index("<style>") : body.index("</style>")]
    assert 'content: "Bad\\000022 \\00003b  \\00007d  \\00003c /style\\00003e \\00003c script' in style
