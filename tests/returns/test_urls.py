"""Every new page for every persona and method: the status, and for refused writes that nothing changed.

Finance officers of the area and staff enter and upload; approvers sign off; commissioners
and approvers read the history; HWB members read sign-off states but not the history;
another area's people get a 404 everywhere; anonymous visitors are sent to sign in.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bcf_dashboard.core.models import (
    AreaYearPlan,
    ImportBatch,
    Membership,
    QuarterReturn,
    QuarterReturnEvent,
    ValueChange,
)
from bcf_dashboard.returns.models import PendingUpload
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.support.world import BROMLEY, csv_bytes

PERSONAS = ["finance_a", "approver_a", "commissioner_a", "hwb_a", "user_b", "staff", "anonymous"]
FILE = csv_bytes([[BROMLEY, "2017-05", "NEA", "actual", "1262", ""]])


def state():
    return (
        MetricValue.objects.count(),
        SchemeValue.objects.count(),
        ImportBatch.objects.count(),
        ValueChange.objects.count(),
        PendingUpload.objects.count(),
        list(QuarterReturn.objects.values_list("state", flat=True)),
        QuarterReturnEvent.objects.count(),
        AreaYearPlan.objects.count(),
        Membership.objects.count(),
    )


def login(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world.personas, who))


def entry_post(client, world, url):
    """A real change, posted with the page's own signed state (fetched as staff)."""
    client.force_login(world.personas.staff)
    page = client.get(url).content.decode()
    client.logout()
    data = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page))
    data.pop("csrfmiddlewaretoken", None)
    data[f"metric-{world.nea.id}"] = "1262"
    return data


def pending_token(world):
    from bcf_dashboard.returns import uploads

    pending = uploads.keep(user=world.personas.finance_a, area=world.bromley, file_name="r.csv", content=FILE)
    return pending.token


# url, then for each persona in PERSONAS: (GET status, POST status); None = method not tried.
#          finance  approver  commiss   hwb       user_b    staff     anon
MATRIX = {
    "entry_start": (
        "/areas/{a}/entry/",
        [(302, 405), (404, 405), (404, 405), (404, 405), (404, 405), (302, 405), (302, 302)],
    ),
    "entry": (
        "/areas/{a}/entry/2017-05/",
        [(200, 302), (404, 404), (404, 404), (404, 404), (404, 404), (200, 302), (302, 302)],
    ),
    "plan_entry": (
        "/areas/{a}/plan/2017-05/",
        [(200, 302), (404, 404), (404, 404), (404, 404), (404, 404), (200, 302), (302, 302)],
    ),
    "upload_start": ("/upload/", [(302, 405), (404, 405), (404, 405), (404, 405), (302, 405), (200, 405), (302, 302)]),
    "upload": (
        "/areas/{a}/upload/",
        [(200, 302), (404, 404), (404, 404), (404, 404), (404, 404), (200, 302), (302, 302)],
    ),
    "upload_template": (
        "/areas/{a}/upload/template.xlsx?month=2017-05",
        [(200, 405), (404, 405), (404, 405), (404, 405), (404, 405), (200, 405), (302, 302)],
    ),
    "upload_preview": (
        "/areas/{a}/upload/{token}/",
        [(200, 302), (404, 404), (404, 404), (404, 404), (404, 404), (302, 302), (302, 302)],
    ),
    "area_history": (
        "/areas/{a}/history/",
        [(200, 405), (200, 405), (200, 405), (404, 405), (404, 405), (200, 405), (302, 302)],
    ),
    "scheme_history": (
        "/areas/{a}/schemes/A1/history/",
        [(200, 405), (200, 405), (200, 405), (404, 405), (404, 405), (200, 405), (302, 302)],
    ),
    "signoff_start": (
        "/areas/{a}/sign-off/",
        [(302, 405), (302, 405), (302, 405), (302, 405), (404, 405), (302, 405), (302, 302)],
    ),
    "signoff": (
        "/areas/{a}/sign-off/2017/",
        [(200, 302), (200, 404), (200, 404), (200, 404), (404, 404), (200, 302), (302, 302)],
    ),
    "people": ("/people/", [(404, 405), (404, 405), (404, 405), (404, 405), (404, 405), (200, 405), (302, 302)]),
}
CASES = [
    (name, who, method, statuses[i][0 if method == "GET" else 1])
    for name, (_, statuses) in MATRIX.items()
    for i, who in enumerate(PERSONAS)
    for method in ("GET", "POST")
]
# What a successful POST does (the persona may write).
WRITES = {"entry", "plan_entry", "upload", "upload_preview", "signoff"}


@pytest.mark.parametrize("name, who, method, expected", CASES, ids=[f"{c[0]}-{c[1]}-{c[2]}" for c in CASES])
def test_access(client, world, name, who, method, expected):
    path = MATRIX[name][0]
    token = pending_token(world) if "{token}" in path else ""
    url = path.format(a=BROMLEY, token=token)
    data = {}
    if method == "POST":
        if name in ("entry", "plan_entry"):
            data = entry_post(client, world, url)
        elif name == "upload":
            data = {"file": SimpleUploadedFile("returns.csv", FILE)}
        elif name == "upload_preview":
            data = {"action": "confirm", "previewed": _stamp(token)}
        elif name == "signoff":
            data = {"action": "submit", "quarter": "1", "reason": "Returns follow"}  # A1 is missing months
    login(client, world, who)
    before = state()
    response = client.get(url) if method == "GET" else client.post(url, data)
    assert response.status_code == expected, response.content.decode()[:500]
    if who == "anonymous":
        assert response["Location"].startswith("/accounts/login/")
    wrote = state() != before
    allowed = method == "POST" and expected == 302 and who in ("finance_a", "staff") and name in WRITES
    if name == "upload_preview" and who == "staff":
        allowed = False  # not staff's upload: nothing may happen
    assert wrote == allowed, (before, state())


def _stamp(token):
    from django.utils import timezone

    from bcf_dashboard.returns import uploads

    return uploads.preview_stamp(PendingUpload.objects.get(token=token), timezone.now())


def test_the_matrix_covers_every_url_of_the_module():
    """Every page of the finance officers' features: returns, history, sign-off, and staff's people page."""
    from bcf_dashboard.audit import urls as audit_urls
    from bcf_dashboard.returns import urls
    from bcf_dashboard.signoff import urls as signoff_urls

    names = {p.name for module in (urls, audit_urls, signoff_urls) for p in module.urlpatterns}
    # A large upload's job pages: in tests/core/test_url_matrix.py and test_background_upload.py.
    # A collation's pages: in tests/core/test_url_matrix.py and test_collation_upload.py.
    collation = {"collation_upload", "collation_job", "collation_job_progress"}
    assert names | {"people"} == set(MATRIX) | {"upload_job", "upload_job_progress"} | collation


@pytest.mark.parametrize("month", ["0000-04", "0000-01"])
def test_a_month_of_year_zero_in_an_address_is_a_404_or_a_clear_400_not_a_server_error(client, world, month):
    client.force_login(world.personas.finance_a)
    assert client.get(f"/areas/{BROMLEY}/entry/{month}/").status_code == 404
    assert client.get(f"/areas/{BROMLEY}/plan/{month}/").status_code == 404
    response = client.get(f"/areas/{BROMLEY}/upload/template.xlsx", {"month": month})
    assert response.status_code == 400 and "is not a month" in response.content.decode()
    response = client.get(f"/areas/{BROMLEY}/entry/", {"month": month})
    assert response.status_code == 404
