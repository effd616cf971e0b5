"""Every URL of the quarterly summary for every persona and method: the status, and that refused writes
change nothing. Members of the area read; its finance officers (and staff) write the narrative; another
area's people get a 404 everywhere; anonymous visitors are sent to sign in."""

import pytest

from bcf_dashboard.quarterly import pdf
from bcf_dashboard.quarterly.models import QuarterNarrative, QuarterSummarySnapshot
from bcf_dashboard.quarterly.services import text_stamp

PERSONAS = ["finance_a", "approver_a", "commissioner_a", "hwb_a", "user_b", "staff", "anonymous"]
METHODS = ["GET", "POST", "PUT", "DELETE"]
A = "E09000006"

# url, then for each persona in PERSONAS: (GET, POST) statuses; PUT and DELETE are 405 for anyone signed in.
#                   finance    approver   commiss    hwb        user_b     staff      anon
MATRIX = {
    "summaries_start": (
        "/summaries/",
        [(302, 405), (302, 405), (302, 405), (302, 405), (302, 405), (200, 405), (302, 302)],
    ),
    "summaries": (
        f"/areas/{A}/summaries/",
        [(200, 405), (200, 405), (200, 405), (200, 405), (404, 405), (200, 405), (302, 302)],
    ),
    "quarter_summary": (
        f"/areas/{A}/2017/q2/summary/",
        [(200, 302), (200, 404), (200, 404), (200, 404), (404, 404), (200, 302), (302, 302)],
    ),
    "quarter_summary_pdf": (
        f"/areas/{A}/2017/q2/summary.pdf",
        [(200, 405), (200, 405), (200, 405), (200, 405), (404, 405), (200, 405), (302, 302)],
    ),
}
CASES = [(name, who, method) for name in MATRIX for who in PERSONAS for method in METHODS]


def expected(name, who, method):
    get, post = MATRIX[name][1][PERSONAS.index(who)]
    if method in ("PUT", "DELETE"):
        return 302 if who == "anonymous" else 405
    return get if method == "GET" else post


def state():
    return (
        list(QuarterNarrative.objects.values_list("section", "text")),
        QuarterNarrative.history.count(),
        QuarterSummarySnapshot.objects.count(),
    )


@pytest.fixture
def fake_pdf(monkeypatch):
    """Chromium is tested once, in test_pdf; here only who may have the PDF matters."""
    monkeypatch.setattr(pdf, "html_to_pdf", lambda html, path: (b"%PDF-1.7 fake", 0.01))


@pytest.mark.parametrize("name, who, method", CASES, ids=[f"{n}-{w}-{m}" for n, w, m in CASES])
def test_access(client, personas, fake_pdf, name, who, method):
    """On empty areas: access does not depend on the figures, and the matrix stays quick."""
    url = MATRIX[name][0]
    if who != "anonymous":
        client.force_login(getattr(personas, who))
    data = {"challenges": f"Written by {who}", "seen_challenges": text_stamp("")} if method == "POST" else None
    before = state()
    response = getattr(client, method.lower())(url, data) if data else getattr(client, method.lower())(url)
    assert response.status_code == expected(name, who, method), response.content.decode()[:300]
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    wrote = state() != before
    assert wrote == (name == "quarter_summary" and method == "POST" and who in ("finance_a", "staff"))
    if name == "quarter_summary_pdf" and response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="bcf-summary-E09000006-2017-18-q2-draft.pdf"'


@pytest.mark.parametrize("who", ["finance_a", "approver_a", "commissioner_a", "hwb_a"])
def test_members_of_another_area_get_404_for_every_quarter_and_version(client, filled, fake_pdf, who):
    client.force_login(getattr(filled, who))
    for path in (
        "/areas/E09000028/summaries/",
        "/areas/E09000028/2017/q2/summary/",
        "/areas/E09000028/2017/q2/summary/?version=1",
        "/areas/E09000028/2017/q2/summary/?draft=1",
        "/areas/E09000028/2017/q4/summary.pdf",
    ):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    "path",
    [
        "/areas/E09000006/2017/q5/summary/",
        "/areas/E09000006/2017/q0/summary/",
        "/areas/E09000006/1999/q1/summary/",
        "/areas/E09000006/2017/q5/summary.pdf",
        "/areas/E09999999/2017/q1/summary/",
    ],
)
def test_impossible_quarters_are_404(client, filled, path):
    client.force_login(filled.staff)
    assert client.get(path).status_code == 404


def test_the_matrix_covers_every_url_of_the_module():
    from bcf_dashboard.quarterly import urls

    # The PDF's progress needs a made PDF's id: its access is tested in test_stored_pdf.
    assert {p.name for p in urls.urlpatterns} == set(MATRIX) | {"quarter_summary_pdf_progress"}
