"""Pages that fit the person: the latest year with actuals, empty states that offer only what the viewer
may do, and an approver's home page listing what awaits their approval."""

from bcf_dashboard.signoff.services import take_step
from tests.support import builders as b
from tests.support.dashboard_data import YEAR, fill_area, months


def _plans_for_next_year(area):
    b.metric_values(area, b.metric("NEA"), "plan", months([1200] * 12, YEAR + 1))


def test_an_area_and_the_overview_open_on_the_latest_year_with_actuals_not_a_year_of_plans(client, personas):
    fill_area(personas.area_a)
    _plans_for_next_year(personas.area_a)
    client.force_login(personas.commissioner_a)
    response = client.get(f"/areas/{personas.area_a.code}/")
    assert response.status_code == 302 and response["Location"].endswith(f"/{YEAR}/")
    home = client.get("/")
    assert home.context["page"].year == YEAR
    # The year of plans is still there to choose, and says it has plans only.
    chosen = client.get(f"/?year={YEAR + 1}").content.decode()
    assert "No actuals have been entered for 2018/19 yet, only plans" in chosen


def test_empty_states_link_the_upload_page_only_for_those_who_may_upload(client, personas):
    area = personas.area_a
    empty = f"/areas/{area.code}/2019/"
    upload = f'href="/areas/{area.code}/upload/"'
    for who in (personas.commissioner_a, personas.hwb_a):
        client.force_login(who)
        page = client.get(empty).content.decode()
        assert "There is nothing recorded for Bromley in 2019/20" in page and upload not in page, who
        home = client.get("/").content.decode()
        assert 'href="/upload/"' not in home
    client.force_login(personas.finance_a)
    assert upload in client.get(empty).content.decode()  # the same cached page, with the link for an officer
    assert client.get(f"/areas/{area.code}/upload/").status_code == 200


def test_an_approvers_home_page_lists_the_quarters_awaiting_their_approval(client, personas):
    fill_area(personas.area_a)
    take_step(
        user=personas.finance_a,
        area=personas.area_a,
        financial_year=YEAR,
        quarter=1,
        action="submit",
        reason="Some returns are still to come",
    )
    client.force_login(personas.approver_a)
    page = client.get("/").content.decode()
    assert "Awaiting your approval (1)" in page
    assert f'href="/areas/{personas.area_a.code}/sign-off/{YEAR}/#q1-heading">Bromley: Q1 2017/18</a>' in page
    client.force_login(personas.commissioner_a)
    assert "Awaiting your approval" not in client.get("/").content.decode()


def test_the_comparison_opens_on_the_latest_year_with_actuals(client, personas):
    fill_area(personas.area_a)
    _plans_for_next_year(personas.area_a)
    client.force_login(personas.commissioner_a)
    assert client.get("/compare/?metric=NEA").context["page"].year == YEAR
