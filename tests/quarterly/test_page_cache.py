"""The summary page is cached whole for a GET (decision 17): never stale, never anyone's own.

Each test views the page first, so that a later view is served from the cache unless what it shows
changed: a narrative save, a sign-off step, an approval (a frozen version) or a change of figures.
"""

import re

import pytest
from django.test import Client

from bcf_dashboard.quarterly import page as summary_pages
from bcf_dashboard.quarterly import selectors
from bcf_dashboard.quarterly.services import save_narrative, text_stamp
from bcf_dashboard.returns.services import import_returns
from tests.quarterly.conftest import plain, section, step, url
from tests.support.dashboard_data import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def built(monkeypatch):
    """How many times the page's data was built: once per change, not once per view."""
    calls = []
    real = summary_pages.summary_page

    def counting(*args, **kwargs):
        calls.append(args[1:4])
        return real(*args, **kwargs)

    monkeypatch.setattr("bcf_dashboard.quarterly.views.summary_page", counting)
    return calls


def write(personas, text, section_key="challenges"):
    stored = summary_pages.selectors.narrative_rows(personas.area_a, YEAR, 2)
    before = stored[section_key].text if section_key in stored else ""
    save_narrative(
        user=personas.finance_a,
        area=personas.area_a,
        year=YEAR,
        quarter=2,
        texts={section_key: text},
        seen={section_key: text_stamp(before)},
    )


def test_a_second_view_is_served_from_the_cache(client, filled, built, django_assert_num_queries):
    client.force_login(filled.hwb_a)
    first = client.get(url(filled.area_a))
    # The session, the user, the area (found through the person's areas), the edit check, the stamp,
    # the area's data version and the cache (the database's, in tests).
    with django_assert_num_queries(7):
        again = client.get(url(filled.area_a))
    assert len(built) == 1
    assert again.status_code == 200 and plain(again) == plain(first)


def test_a_saved_narrative_is_shown_at_once(client, filled, built):
    client.force_login(filled.hwb_a)
    assert "Care home market fragile." not in plain(client.get(url(filled.area_a)))
    write(filled, "Care home market fragile.")
    assert "Care home market fragile." in section(client.get(url(filled.area_a)), "narrative")
    write(filled, "Rewritten after the board.")
    shown = section(client.get(url(filled.area_a)), "narrative")
    assert "Rewritten after the board." in shown and "Care home market fragile." not in shown
    assert len(built) == 3


@pytest.mark.parametrize("version_moves", [True, False], ids=["as-written", "stamp-alone"])
def test_each_sign_off_step_is_shown_at_once(client, filled, monkeypatch, version_moves):
    """Each step moves the area's data version too; with that held still, the quarter's stamp alone
    must name a new entry for each step."""
    if not version_moves:
        monkeypatch.setattr("bcf_dashboard.digests.pagecache.area_version", lambda area: 1)
    client.force_login(filled.hwb_a)
    assert "Draft: not yet approved" in plain(client.get(url(filled.area_a)))
    step(filled, filled.finance_a, "submit")
    assert "Draft: submitted for approval, not yet approved" in plain(client.get(url(filled.area_a)))
    step(filled, filled.approver_a, "approve")
    approved = plain(client.get(url(filled.area_a)))
    assert "(version 1)" in approved and "Draft:" not in approved
    step(filled, filled.approver_a, "reopen", reason="The September figures were restated")
    assert "The September figures were restated" in plain(client.get(url(filled.area_a)))


def test_a_change_of_figures_is_shown_at_once(client, filled):
    client.force_login(filled.hwb_a)
    scheme = filled.area_a.schemes.order_by("ref").first()
    before = plain(client.get(url(filled.area_a) + "?draft=1"))
    content = f"area_code,period,measure,kind,value\n{filled.area_a.code},{YEAR}-04,spend:{scheme.ref},plan,987654.32\n"
    result = import_returns(content=content.encode(), file_name="plan.csv", user=filled.finance_a)
    assert result.ok, result.errors
    after = plain(client.get(url(filled.area_a) + "?draft=1"))
    assert after != before


def test_readers_and_writers_get_their_own_page(client, filled):
    client.force_login(filled.finance_a)
    assert 'id="narrative-form"' in client.get(url(filled.area_a)).content.decode()
    client.force_login(filled.hwb_a)
    reader = client.get(url(filled.area_a)).content.decode()
    assert 'id="narrative-form"' not in reader and "<textarea" not in reader
    client.force_login(filled.finance_a)
    assert 'id="narrative-form"' in client.get(url(filled.area_a)).content.decode()


def _token(page: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def test_each_officer_posts_with_their_own_token_from_a_cached_page(filled):
    """The CSRF token is in the layout, not the cached article: a page first drawn for one officer
    carries the next officer's own token, and their save is accepted."""
    other = type(filled.finance_a).objects.create_user(username="second.officer", password="x")
    filled.area_a.memberships.create(user=other, role="finance_officer")
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(filled.finance_a)
    second.force_login(other)
    token_first = _token(first.get(url(filled.area_a)).content.decode())
    page = second.get(url(filled.area_a)).content.decode()
    assert 'form="narrative-form"' in page  # the cached text boxes name the layout's form
    token_second = _token(page)
    assert token_second != token_first
    posted = second.post(
        url(filled.area_a),
        {
            "csrfmiddlewaretoken": token_second,
            "support": "An analyst for a quarter",
            "seen_support": text_stamp(""),
        },
    )
    assert posted.status_code == 302
    assert "An analyst for a quarter" in section(first.get(url(filled.area_a)), "narrative")


def test_the_quarter_stamp_is_one_query_and_moves_with_each_write(filled, django_assert_num_queries):
    with django_assert_num_queries(1):
        empty = selectors.quarter_stamp(filled.area_a, YEAR, 2)
    assert empty == (None, None, None, 0, None)
    write(filled, "First words.")
    written = selectors.quarter_stamp(filled.area_a, YEAR, 2)
    assert written[3] == 1 and written[4] is not None
    step(filled, filled.finance_a, "submit")
    submitted = selectors.quarter_stamp(filled.area_a, YEAR, 2)
    assert submitted[0] == "submitted" and submitted[1] is not None
    step(filled, filled.approver_a, "approve")
    approved = selectors.quarter_stamp(filled.area_a, YEAR, 2)
    assert approved[0] == "approved" and approved[2] is not None and approved[1] != submitted[1]
    assert selectors.quarter_stamp(filled.area_a, YEAR, 3) == (None, None, None, 0, None)  # another quarter
