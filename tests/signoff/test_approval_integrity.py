"""Sign-off that means what it says: an approval records exactly what the approver saw, and quarters
are submitted in order."""

import re

import pytest

from bcf_dashboard.core.models import QuarterReturn
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.signoff.services import SignOffRefused, take_step
from tests.support.world import BROMLEY, csv_bytes, world  # noqa: F401  (the fixture)

URL = "/areas/E09000006/sign-off/2017/"


def shown_token(response, quarter: int) -> str:
    """The Approve button's token for the quarter, as the page drew it."""
    body = response.content.decode()
    form = re.search(
        rf'name="quarter" value="{quarter}">\s*<input type="hidden" name="action" value="approve">\s*'
        r'<input type="hidden" name="shown" value="([^"]+)">',
        body,
    )
    assert form, "the Approve button carries what the page showed"
    return form.group(1)


def _upload(value, month="2017-05", user=None):
    import_returns(content=csv_bytes([[BROMLEY, month, "NEA", "actual", value, ""]]), file_name="late.csv", user=user)


def test_a_figure_changed_after_the_page_was_shown_refuses_the_approval_and_names_it(client, world):
    p = world.personas
    _upload("1250")
    take_step(
        user=p.finance_a,
        area=p.area_a,
        financial_year=2017,
        quarter=1,
        action="submit",
        reason="Some returns are still to come",
    )
    client.force_login(p.approver_a)
    token = shown_token(client.get(URL), 1)
    _upload("1390", user=p.finance_a)  # while the approver reads the page
    response = client.post(URL, {"action": "approve", "quarter": "1", "shown": token})
    assert response.status_code == 409
    text = response.content.decode()
    assert "changed after your page was shown" in text and "NEA actual for May 2017: 1,250 to 1,390" in text
    assert QuarterReturn.objects.get(quarter=1).state == "submitted"
    # Read again, the figures as they now stand are approved.
    token = shown_token(client.get(URL), 1)
    assert client.post(URL, {"action": "approve", "quarter": "1", "shown": token}).status_code == 302
    assert QuarterReturn.objects.get(quarter=1).state == "approved"


def test_a_change_to_a_later_quarter_does_not_stop_an_approval(client, world):
    p = world.personas
    _upload("1250")
    take_step(
        user=p.finance_a,
        area=p.area_a,
        financial_year=2017,
        quarter=1,
        action="submit",
        reason="Some returns are still to come",
    )
    client.force_login(p.approver_a)
    token = shown_token(client.get(URL), 1)
    _upload("1300", month="2017-08")
    assert client.post(URL, {"action": "approve", "quarter": "1", "shown": token}).status_code == 302


def test_an_approval_without_what_the_page_showed_or_with_a_forged_token_is_refused(client, world):
    p = world.personas
    take_step(
        user=p.finance_a,
        area=p.area_a,
        financial_year=2017,
        quarter=1,
        action="submit",
        reason="Some returns are still to come",
    )
    client.force_login(p.approver_a)
    token = shown_token(client.get(URL), 1)
    for shown in ("", token[:-2] + "xx"):
        response = client.post(URL, {"action": "approve", "quarter": "1", "shown": shown})
        assert response.status_code == 409 and "reload the page" in response.content.decode()
    assert QuarterReturn.objects.get(quarter=1).state == "submitted"


def test_quarters_are_submitted_in_order(client, personas):
    p = personas
    with pytest.raises(SignOffRefused, match="Q1 2017/18 is still open: quarters are submitted in order"):
        take_step(
            user=p.finance_a,
            area=p.area_a,
            financial_year=2017,
            quarter=2,
            action="submit",
            reason="Some returns are still to come",
        )
    client.force_login(p.finance_a)
    page = client.get(URL).content.decode()
    assert "Submit for approval: Q1 2017/18, Q2 2017/18 are still open" in page  # shown beside Q3's step
    take_step(
        user=p.finance_a,
        area=p.area_a,
        financial_year=2017,
        quarter=1,
        action="submit",
        reason="Some returns are still to come",
    )
    assert (
        take_step(
            user=p.finance_a,
            area=p.area_a,
            financial_year=2017,
            quarter=2,
            action="submit",
            reason="Some returns are still to come",
        ).state
        == "submitted"
    )
    # A quarter sent back is open again, and holds up the ones after it until it is submitted again.
    take_step(
        user=p.approver_a, area=p.area_a, financial_year=2017, quarter=1, action="send_back", reason="NEA missing"
    )
    with pytest.raises(SignOffRefused, match="Q1 2017/18 is still open"):
        take_step(
            user=p.finance_a,
            area=p.area_a,
            financial_year=2017,
            quarter=3,
            action="submit",
            reason="Some returns are still to come",
        )
