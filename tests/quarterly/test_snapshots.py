"""Approval freezes the summary; a recorded reopening and a second approval make a new version that
shows what changed, while the first stays as it was approved."""

from bcf_dashboard.core.formats import metric_figure
from bcf_dashboard.core.models import QuarterReturnEvent, ValueChange
from bcf_dashboard.engine.document import summary_document
from bcf_dashboard.engine.summary import area_year_summary
from bcf_dashboard.quarterly.document import build_document
from bcf_dashboard.quarterly.models import QuarterSummarySnapshot
from bcf_dashboard.quarterly.selectors import narrative_document, narrative_rows
from bcf_dashboard.quarterly.services import save_narrative, text_stamp
from bcf_dashboard.returns.services import import_returns
from tests.quarterly.conftest import approve, plain, section, step, url
from tests.support.dashboard_data import YEAR

CHANGE = b"area_code,period,measure,kind,value\nE09000006,2017-08,NEA,actual,1400\n"


def write(personas, section_key, text, quarter=2):
    stored = narrative_rows(personas.area_a, YEAR, quarter)
    seen = {section_key: text_stamp(stored[section_key].text if section_key in stored else "")}
    return save_narrative(
        user=personas.finance_a, area=personas.area_a, year=YEAR, quarter=quarter, texts={section_key: text}, seen=seen
    )


def nea_actual(area):
    return metric_figure(area_year_summary(area, YEAR, through=6).metric("NEA").actual_ytd)


def test_approval_freezes_the_figures_charts_and_narrative(filled):
    write(filled, "challenges", "Winter came early.")
    approved = approve(filled)
    snapshot = QuarterSummarySnapshot.objects.get()
    assert (snapshot.version, snapshot.approved_by, snapshot.quarter_return) == (1, filled.approver_a, approved)
    assert snapshot.event == QuarterReturnEvent.objects.get(action="approve")
    assert snapshot.approved_at == approved.approved_at
    document = snapshot.document
    assert document["summary"] == summary_document(area_year_summary(filled.area_a, YEAR, through=6))
    assert document == build_document(
        filled.area_a, YEAR, 2, narrative=narrative_document(narrative_rows(filled.area_a, YEAR, 2))
    )
    assert document["narrative"]["challenges"] == "Winter came early."
    assert document["figures"]["NEA"]["data"][0]["y"][5] is not None  # the chart as drawn


def test_a_reopened_and_changed_quarter_keeps_showing_what_was_approved(client, filled):
    area = filled.area_a
    write(filled, "metric:NEA", "Admissions below plan all quarter.")
    approve(filled)
    before = nea_actual(area)
    step(filled, filled.approver_a, "reopen", reason="August NEA revised by SUS")
    result = import_returns(content=CHANGE, file_name="revised.csv", user=filled.finance_a)
    assert result.ok, result.errors
    assert ValueChange.objects.filter(measure="NEA", new_value=1400).exists()  # recorded
    after = nea_actual(area)
    assert after != before

    client.force_login(filled.hwb_a)
    response = client.get(url(area))
    nea = section(response, "metric-nea")
    assert f"Actual to date {before}" in nea and after not in nea
    text = plain(response)
    assert "Approved by approver_a on" in text and "(version 1)" in text
    assert "was reopened on" in text and "August NEA revised by SUS" in text
    assert "Admissions below plan all quarter." in nea

    draft = client.get(url(area) + "?draft=1")
    assert f"Actual to date {after}" in section(draft, "metric-nea")
    changes = section(draft, "changes")
    assert "What has changed since the approved version 1" in changes
    assert f"Non-elective admissions (NEA): actual to date {before}" in changes


def test_approving_again_makes_version_2_with_the_differences(client, filled):
    area = filled.area_a
    write(filled, "achievements", "Discharge to assess launched.")
    approve(filled)
    before = nea_actual(area)
    step(filled, filled.approver_a, "reopen", reason="August NEA revised by SUS")
    import_returns(content=CHANGE, file_name="revised.csv", user=filled.finance_a)
    write(filled, "achievements", "Discharge to assess launched in all three hospitals.")
    approve(filled)
    after = nea_actual(area)
    assert list(QuarterSummarySnapshot.objects.values_list("version", flat=True)) == [1, 2]

    client.force_login(filled.hwb_a)
    response = client.get(url(area))
    assert f"Actual to date {after}" in section(response, "metric-nea")
    assert "(version 2)" in plain(response) and "was reopened" not in plain(response)
    changes = section(response, "changes")
    assert "What changed since version 1" in changes
    assert f"actual to date {before} {after}" in changes
    assert "Discharge to assess launched. Discharge to assess launched in all three hospitals." in changes
    assert "Total budget" not in changes  # only what changed

    first = client.get(url(area) + "?version=1")
    assert f"Actual to date {before}" in section(first, "metric-nea")
    assert "since replaced" in plain(first) and "superseded" in plain(first)
    assert client.get(url(area) + "?version=3").status_code == 404
    assert client.get(url(area) + "?version=x").status_code == 404


def test_the_snapshot_is_not_touched_by_later_changes(filled):
    approve(filled)
    frozen = QuarterSummarySnapshot.objects.get().document
    step(filled, filled.approver_a, "reopen", reason="Revised")
    import_returns(content=CHANGE, file_name="revised.csv", user=filled.finance_a)
    assert QuarterSummarySnapshot.objects.get().document == frozen


def test_each_quarter_is_frozen_on_its_own(filled):
    approve(filled, quarter=1)
    approve(filled, quarter=2)
    q1, q2 = QuarterSummarySnapshot.objects.order_by("quarter")
    assert (q1.quarter, q1.version, q2.quarter, q2.version) == (1, 1, 2, 1)
    assert q1.document["through"] == "2017-06" and q2.document["through"] == "2017-09"


def test_a_quarter_approved_before_summaries_were_frozen_says_so(client, filled):
    approve(filled)
    QuarterSummarySnapshot.objects.all().delete()
    client.force_login(filled.hwb_a)
    text = plain(client.get(url(filled.area_a)))
    assert "Approved by approver_a on" in text and "today's figures, not frozen" in text
