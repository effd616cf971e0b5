"""A NUL character anywhere in a request is a 400, never a 500 (PostgreSQL cannot hold one) nor a stored NUL."""

from urllib.parse import urlencode

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bcf_dashboard.core.models import QuarterReturnEvent
from bcf_dashboard.returns.models import PendingUpload
from bcf_dashboard.signoff.services import take_step

SIGN_OFF = "/areas/E09000006/sign-off/2017/"


@pytest.mark.parametrize(
    "address",
    [
        "/people/?q=a%00b",
        "/people/?a%00=1",
        "/areas/E09%0000006/",
        "/compare/?metric=NE%00A",
        "/areas/E09000006/history/?month=2017-0%005",
    ],
)
def test_a_nul_in_the_path_or_query_is_a_bad_request(client, personas, address):
    client.force_login(personas.staff)
    assert client.get(address).status_code == 400


@pytest.mark.parametrize("encoding", ["urlencoded", "multipart"])
def test_a_nul_in_a_posted_reason_is_refused_and_nothing_is_recorded(client, personas, encoding):
    take_step(user=personas.finance_a, area=personas.area_a, financial_year=2017, quarter=1, action="submit")
    client.force_login(personas.approver_a)
    data = {"action": "send_back", "quarter": "1", "reason": "not\x00yet"}
    if encoding == "urlencoded":
        response = client.post(SIGN_OFF, urlencode(data), content_type="application/x-www-form-urlencoded")
    else:
        response = client.post(SIGN_OFF, data)
    assert response.status_code == 400
    assert not QuarterReturnEvent.objects.filter(action="send_back").exists()


def test_the_upload_page_refuses_a_nul_in_its_reason_with_a_field_error(client, personas):
    client.force_login(personas.finance_a)
    response = client.post(
        "/areas/E09000006/upload/", {"file": SimpleUploadedFile("r.csv", b"area_code\r\n"), "reason": "revised\x00"}
    )
    assert response.status_code == 400 and "invisible NUL character" in response.content.decode()
    assert not PendingUpload.objects.exists()
