"""The PDF, made on the server by Debian's chromium from the summary page, on the demo data."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from pypdf import PdfReader

from bcf_dashboard.core.models import Area
from bcf_dashboard.engine.summary import area_year_summary
from bcf_dashboard.quarterly import pdf
from bcf_dashboard.quarterly.document import headline
from bcf_dashboard.signoff.services import take_step

pytestmark = [pytest.mark.browser]


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())
    return get_user_model().objects


def words(text: str) -> str:
    return " ".join(text.split())


def body(response) -> bytes:
    """The PDF is served from the file storage, streamed."""
    return b"".join(response.streaming_content) if response.streaming else response.content


def read(response):
    assert response.status_code == 200, body(response)[:300]
    assert response["Content-Type"] == "application/pdf"
    response.pdf = body(response)
    reader = PdfReader(io.BytesIO(response.pdf))
    return [words(page.extract_text()) for page in reader.pages]


def test_an_approved_quarter_prints_on_two_a4_pages_with_its_headline(client, demo, django_capture_on_commit_callbacks):
    westminster = Area.objects.get(code="E09000033")
    for quarter in (1, 2):  # quarters are submitted in order
        take_step(
            user=demo.get(username="westminster.finance"),
            area=westminster,
            financial_year=2017,
            quarter=quarter,
            action="submit",
            reason="Submitted with the returns that are in",
        )
    with django_capture_on_commit_callbacks(execute=True):  # the approval's commit asks for its PDF
        take_step(
            user=demo.get(username="westminster.approver"),
            area=westminster,
            financial_year=2017,
            quarter=2,
            action="approve",
        )
    client.force_login(demo.get(username="westminster.hwb"))
    response = client.get("/areas/E09000033/2017/q2/summary.pdf")
    pages = read(response)
    assert 2 <= len(pages) <= 3  # the quarter's figures, where the year is heading, and the narrative
    assert words(headline(area_year_summary(westminster, 2017, through=6))) in pages[0]
    for number, text in enumerate(pages, start=1):
        # Every page names the area, the quarter and its approval, and is numbered.
        assert "Westminster · Q2 2017/18 quarterly summary" in text
        assert re.search(r"Approved by Fatima Rahman on \d+ \w+ \d{4} \(version 1\)", text)
        assert f"Page {number} of {len(pages)}" in text
    assert response["Content-Disposition"].endswith('bcf-summary-E09000033-2017-18-q2-v1.pdf"')
    reader = PdfReader(io.BytesIO(response.pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)  # A4 portrait


def test_a_year_end_draft_states_each_condition(client, demo):
    bromley = Area.objects.get(code="E09000006")
    client.force_login(demo.get(username="bromley.hwb"))
    pages = read(client.get("/areas/E09000006/2016/q4/summary.pdf"))
    # The year-end's figures, checks, projections and narrative fit a few A4 pages.
    assert 3 <= len(pages) <= 4
    text = " ".join(pages)
    assert words(headline(area_year_summary(bromley, 2016, through=12))) in text
    assert "Draft: not yet approved" in pages[0] and f"Page {len(pages)} of {len(pages)}" in pages[-1]
    checks = area_year_summary(bromley, 2016, through=12).funding.checks
    assert "National conditions and checks for 2016/17" in text
    for check in checks:  # each condition stated, met or not (Figure 10's own slips among them)
        assert words(check.name) in text


def test_without_chromium_the_pdf_link_explains(client, demo, monkeypatch):
    monkeypatch.setattr(pdf, "chromium_path", lambda: None)
    client.force_login(demo.get(username="bromley.hwb"))
    response = client.get("/areas/E09000006/2016/q4/summary.pdf")
    assert response.status_code == 503 and b"Chromium is not installed" in response.content
