"""Every URL pattern of the project, from the resolver, for every persona and method: the status, no
other area's data on the page, and no change to any table when a write is refused.

A new URL pattern is picked up by itself; its test fails until EXPECT (below) says what each persona
should get, and FILLERS know how to fill its arguments. The admin's patterns follow one rule.

Bromley (A) has a finance officer, an approver, a commissioner and an HWB member; Southwark (B) has a
finance officer (``user_b``); staff see everything. Each area page is asked for with A's objects and
with B's, so the same persona is a member for one and an outsider (404) for the other.
"""

import re
import sys
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import reverse
from django.utils.http import urlsafe_base64_encode

from bcf_dashboard.core.models import Area, Membership
from bcf_dashboard.quarterly import pdf as quarterly_pdf
from bcf_dashboard.quarterly.models import SummaryPdf
from tests.core.url_matrix_support import MONTH, ONLY_IN_B, PERSONAS, QUARTER, YEAR, NoWrites, build_world, routes

METHODS = ("GET", "POST", "PUT", "DELETE")
# The columns of EXPECT: how the persona stands towards the URL's area (for a URL without an area,
# towards their own area: user_b is then a finance officer).
ANON, FINANCE, APPROVER, COMMISSIONER, HWB, OUTSIDER, STAFF = range(7)
COLUMN_OF_ROLE = {
    Membership.Role.FINANCE_OFFICER: FINANCE,
    Membership.Role.APPROVER: APPROVER,
    Membership.Role.COMMISSIONER: COMMISSIONER,
    Membership.Role.HWB_MEMBER: HWB,
}
LOGIN = "/accounts/login/"


REFUSED = (302, 405, 405, 405, 405, 405, 405)  # a method the page does not take: anonymous go to sign in


@dataclass
class Expect:
    """Statuses per column: anonymous, finance officer, approver, commissioner, HWB member, outsider, staff.

    POST bodies are empty: valid writes are tested per view; here an allowed persona's empty POST must be
    a form error or a redirect, and change nothing unless ``writes`` (signing out ends the session)."""

    get: tuple
    post: tuple = REFUSED
    put: tuple = REFUSED
    delete: tuple = REFUSED
    writes: bool = False

    def status(self, method, column):
        return getattr(self, method.lower())[column]


SIGNED_IN = (302, 200, 200, 200, 200, 200, 200)
AREA_READERS = (302, 200, 200, 200, 200, 404, 200)
AREA_EDITORS = (302, 200, 404, 404, 404, 404, 200)
AREA_AUDITORS = (302, 200, 200, 200, 404, 404, 200)  # everyone but HWB members reads the history
ANYONE = (200,) * 7
NOWHERE = (405,) * 7  # a method no one may use, signed in or not
# Django's form views take PUT as POST.
#                    anon finance approver commiss hwb outsider staff
EXPECT = {
    "home": Expect(get=SIGNED_IN),
    "health": Expect(get=ANYONE, post=NOWHERE, put=NOWHERE, delete=NOWHERE),
    "compare": Expect(get=SIGNED_IN),
    "area": Expect(get=(302, 302, 302, 302, 302, 404, 302)),
    "area_year": Expect(get=AREA_READERS),
    "scheme": Expect(get=AREA_READERS),
    "metric": Expect(get=AREA_READERS),
    "summary_json": Expect(get=AREA_READERS),
    "returns_csv": Expect(get=AREA_READERS),
    "returns_xlsx": Expect(get=AREA_READERS),
    # Signed-in people are sent on from the sign-in page, whatever the method.
    "login": Expect(
        get=(200, 302, 302, 302, 302, 302, 302),
        post=(200, 302, 302, 302, 302, 302, 302),
        put=(200, 302, 302, 302, 302, 302, 302),
        delete=(405, 302, 302, 302, 302, 302, 302),
    ),
    "logout": Expect(get=REFUSED, post=(302,) * 7, writes=True),
    "password_change": Expect(get=SIGNED_IN, post=SIGNED_IN, put=SIGNED_IN),
    "password_change_done": Expect(get=SIGNED_IN),
    "entry_start": Expect(get=(302, 302, 404, 404, 404, 404, 302)),
    # An empty POST shows the form again with its errors.
    "entry": Expect(get=AREA_EDITORS, post=AREA_EDITORS),
    "plan_entry": Expect(get=AREA_EDITORS, post=AREA_EDITORS),
    "upload_start": Expect(get=(302, 302, 404, 404, 404, 404, 200)),
    "upload": Expect(get=AREA_EDITORS, post=(302, 400, 404, 404, 404, 404, 400)),
    # Without ?month= the upload page says to choose one.
    "upload_template": Expect(get=(302, 400, 404, 404, 404, 404, 400)),
    # Staff may upload anywhere but see only their own pending uploads: this one is the finance officer's.
    "upload_preview": Expect(get=(302, 200, 404, 404, 404, 404, 302), post=(302, 302, 404, 404, 404, 404, 302)),
    # A large upload's page and its progress (the worker's job for the same pending upload): the same people.
    "upload_job": Expect(get=(302, 200, 404, 404, 404, 404, 302), post=(302, 302, 404, 404, 404, 404, 302)),
    "upload_job_progress": Expect(get=(302, 200, 404, 404, 404, 404, 404)),
    # One file for several areas: for those who enter figures for more than one (a one-area finance officer
    # is sent to their area's page). Its job pages find no job by an area's upload token: 404 for everyone.
    "collation_upload": Expect(get=(302, 302, 404, 404, 404, 404, 200), post=(302, 404, 404, 404, 404, 404, 400)),
    "collation_job": Expect(get=(302, 404, 404, 404, 404, 404, 404), post=(302, 404, 404, 404, 404, 404, 404)),
    "collation_job_progress": Expect(get=(302, 404, 404, 404, 404, 404, 404)),
    "area_history": Expect(get=AREA_AUDITORS),
    "scheme_history": Expect(get=AREA_AUDITORS),
    "signoff_start": Expect(get=(302, 302, 302, 302, 302, 404, 302)),
    # An empty POST names no step: 400 for members, 404 for outsiders.
    "signoff": Expect(get=AREA_READERS, post=(302, 400, 400, 400, 400, 404, 400)),
    # The year's plan: members read it; only finance officers change it (an empty POST is a form error or
    # sends them back to the page with a message); only approvers agree it.
    "plan_start": Expect(get=AREA_READERS, post=(302, 302, 404, 404, 404, 404, 302)),
    "plan": Expect(get=AREA_READERS, post=(302, 400, 400, 400, 400, 404, 400)),
    "plan_income": Expect(get=AREA_READERS, post=(302, 400, 404, 404, 404, 404, 400)),
    "plan_expenditure": Expect(get=AREA_READERS),
    "plan_scheme_new": Expect(get=AREA_EDITORS, post=(302, 400, 404, 404, 404, 404, 400)),
    "plan_scheme": Expect(get=AREA_EDITORS, post=(302, 400, 404, 404, 404, 404, 400)),
    "plan_scheme_profile": Expect(get=REFUSED, post=(302, 400, 404, 404, 404, 404, 400)),
    "plan_scheme_activity": Expect(get=REFUSED, post=(302, 400, 404, 404, 404, 404, 400)),
    "plan_scheme_end": Expect(get=REFUSED, post=(302, 302, 404, 404, 404, 404, 302)),
    "plan_metrics": Expect(get=AREA_READERS, post=(302, 302, 404, 404, 404, 404, 302)),
    "plan_risk_share": Expect(get=AREA_READERS, post=(302, 400, 404, 404, 404, 404, 400)),
    "plan_workbook": Expect(get=AREA_READERS),
    "plan_workbook_upload": Expect(get=REFUSED, post=(302, 400, 404, 404, 404, 404, 400)),
    "people": Expect(get=(302, 404, 404, 404, 404, 404, 200)),
    "summaries_start": Expect(get=(302, 302, 302, 302, 302, 302, 200)),
    "summaries": Expect(get=AREA_READERS),
    "quarter_summary": Expect(get=AREA_READERS, post=(302, 409, 404, 404, 404, 404, 409)),
    "quarter_summary_pdf": Expect(get=AREA_READERS),
    "quarter_summary_pdf_progress": Expect(get=AREA_READERS),
    # Password reset is open to anyone, signed in or not; a link with a token that is not the person's
    # says so (200) whatever the method.
    "password_reset": Expect(get=ANYONE, post=ANYONE, put=ANYONE, delete=NOWHERE),
    "password_reset_done": Expect(get=ANYONE, post=NOWHERE, put=NOWHERE, delete=NOWHERE),
    "password_reset_confirm": Expect(get=ANYONE, post=ANYONE, put=ANYONE, delete=ANYONE),
    "password_reset_complete": Expect(get=ANYONE, post=NOWHERE, put=NOWHERE, delete=NOWHERE),
    # A person's own API tokens: an empty POST is a form error. Only approver_a has one to revoke.
    "api_tokens": Expect(get=SIGNED_IN, post=(302, 400, 400, 400, 400, 400, 400)),
    "api_token_revoke": Expect(get=REFUSED, post=(302, 404, 302, 404, 404, 404, 404), writes=True),
    # The read API takes a bearer token, never a session (401 without one: tests/api has the tokens'
    # view); only GET. Its OpenAPI document and its 404s need no token.
    "api_openapi": Expect(get=ANYONE, post=NOWHERE, put=NOWHERE, delete=NOWHERE),
    "api_areas": Expect(get=(401,) * 7, post=NOWHERE, put=NOWHERE, delete=NOWHERE),
    "api_summary": Expect(get=(401,) * 7, post=NOWHERE, put=NOWHERE, delete=NOWHERE),
    "api_returns": Expect(get=(401,) * 7, post=NOWHERE, put=NOWHERE, delete=NOWHERE),
    "api_not_found": Expect(get=(404,) * 7, post=(404,) * 7, put=(404,) * 7, delete=(404,) * 7),
}

# How to fill each argument name of a URL, from the world and the area being asked about.
FILLERS = {
    "area_code": lambda world, area: area.code,
    "year": lambda world, area: YEAR,
    "ref": lambda world, area: "S1",
    "metric_code": lambda world, area: f"LOCAL-{area.code}",  # the area's own local metric
    "month": lambda world, area: MONTH,
    "token": lambda world, area: world.tokens[area.code],  # a PendingUpload of the area's finance officer
    "quarter": lambda world, area: QUARTER,  # approved (frozen) in A, submitted in B
    "pdf_id": lambda world, area: SummaryPdf.objects.filter(area=area).order_by("pk").first().pk,
    # A password reset link: the person's id, and (from "token" above) a token that is not theirs.
    "uidb64": lambda world, area: urlsafe_base64_encode(str(world.personas.finance_a.pk).encode()),
    "token_id": lambda world, area: world.api_token_id,  # approver_a's API token
    "rest": lambda world, area: "no-such-endpoint",  # anything under /api/v1/ that is not an endpoint
}

ALL_ROUTES = routes()
APP_ROUTES = [r for r in ALL_ROUTES if r.namespace != "admin"]
ADMIN_ROUTES = [r for r in ALL_ROUTES if r.namespace == "admin"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One dataset for the module, in a transaction rolled back at its end; each test runs in a
    savepoint inside it (pytest-django's ``db``), so a test's writes never reach the next."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            built = build_world()
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    with pytest.MonkeyPatch.context() as patch:
        # Chromium is tested in tests/quarterly/test_pdf.py; here only who may have the PDF.
        patch.setattr(quarterly_pdf, "html_to_pdf", lambda html, path: (b"%PDF-1.7 matrix", 0.01))
        yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def matrix(world, db):
    return world


def column(world, persona, area) -> int:
    if persona == "anonymous":
        return ANON
    if persona == "staff":
        return STAFF
    user = world.user(persona)
    roles = Membership.objects.filter(user=user, **({"area": area} if area else {})).values_list("role", flat=True)
    return COLUMN_OF_ROLE[roles[0]] if roles else OUTSIDER


def hidden_areas(world, persona) -> list[Area]:
    """The areas whose names and codes must not appear in what this persona is sent."""
    if persona == "staff":
        return []
    user = world.user(persona)
    seen = set(Membership.objects.filter(user=user).values_list("area_id", flat=True)) if user else set()
    return [a for a in (world.personas.area_a, world.personas.area_b) if a.id not in seen]


def leaks(response, areas) -> list[str]:
    """Names and codes of ``areas`` in the page, or in where it redirects to (its query aside: a sign-in
    link carries the address asked for, which is not data)."""
    body = urlsplit(response.get("Location", "")).path
    if (
        response.status_code == 200
        and not response.streaming
        and response["Content-Type"].startswith(("text/", "application/json"))
    ):
        body += response.content.decode()
    return [word for a in areas for word in (a.code, a.name) if word in body]


def send(client, method, path):
    return getattr(client, method.lower())(path)


@pytest.mark.parametrize("route", APP_ROUTES, ids=lambda r: r.key)
def test_app_url(matrix, route):
    world = matrix
    expect = EXPECT.get(route.key)
    assert expect is not None, (
        f"URL pattern {route.template!r} (name {route.name!r}, view {route.pattern.lookup_str}) has no entry in "
        f"EXPECT in {__file__}: add one with the status each persona should get for GET, POST, PUT and DELETE."
    )
    unknown = [name for name in route.arguments if name not in FILLERS]
    assert not unknown, (
        f"URL pattern {route.template!r} has arguments {unknown} that FILLERS in {__file__} "
        "cannot fill: add a filler giving a real object of the area for each."
    )
    areas = [world.personas.area_a, world.personas.area_b] if "area_code" in route.arguments else [None]
    failures = []
    for area in areas:
        path = route.fill({name: FILLERS[name](world, area or world.personas.area_a) for name in route.arguments})
        guard = NoWrites(world.client)
        for persona in PERSONAS:
            col = column(world, persona, area)
            hidden = hidden_areas(world, persona)
            for method in METHODS:
                expected = expect.status(method, col)
                may_write = expect.writes and method == "POST" and expected < 400
                with transaction.atomic():
                    response = send(world.client(persona), method, path)
                    # An allowed write (signing out) is undone, so the persona's session lives on.
                    transaction.set_rollback(may_write)
                where = f"{persona} {method} {path}"
                if response.status_code != expected:
                    failures.append(f"{where}: {response.status_code}, expected {expected}")
                if response.status_code == 302 and persona == "anonymous":
                    if not response["Location"].startswith(LOGIN):
                        failures.append(f"{where}: redirected to {response['Location']}, not to sign in")
                if found := leaks(response, hidden):
                    failures.append(f"{where}: shows {found}, an area {persona} has no access to")
                if not may_write:
                    guard.sent(persona, method, path)
        failures += guard.check()
    assert not failures, "\n".join(failures)


# ---- the admin: one rule for its hundreds of patterns ----------------------------------------------

ADMIN_LOGIN = "/admin/login/"


def admin_model(route):
    """The model of a ModelAdmin's URL (admin/<app>/<model>/...), else None."""
    match = re.match(r"admin/(\w+)/(\w+)/", route.template)
    if match:
        try:
            return apps.get_model(match.group(1), match.group(2))
        except LookupError:
            return None
    return None


def admin_object(route):
    model = admin_model(route) or Area  # view_on_site: content type and object of an area
    return model, model._base_manager.order_by("pk").first()


# How to fill the admin's arguments: real objects of the model the URL is about (every admin model
# has a row in the dataset), so change, delete and history pages render for staff.
ADMIN_FILLERS = {
    "object_id": lambda model, obj: obj.pk,
    "id": lambda model, obj: obj.pk,
    "content_type_id": lambda model, obj: ContentType.objects.get_for_model(model).pk,
    "app_label": lambda model, obj: "bcf_dashboard",
    "url": lambda model, obj: "no-such-page/",
    # django-simple-history's history/<object>/<history_id>/ (unnamed regex groups)
    "_1": lambda model, obj: obj.pk,
    "_2": lambda model, obj: obj.history.order_by("history_id").first().history_id,
}


def admin_expected(route, persona, method):
    """Anyone but staff is sent to sign in (the admin's sign-in page itself is a form for anyone);
    staff get no 5xx (None: any status below 500)."""
    if persona == "staff":
        return None
    if route.name == "login":
        return 405 if method == "DELETE" else 200  # PUT is taken as POST, as by every Django form view
    return 302


def admin_redirect_ok(route, persona, response):
    location = response["Location"]
    if route.name == "logout" and persona != "anonymous":
        return location == reverse("admin:index")  # which then sends them to sign in
    # Anonymous visitors meet the site's sign-in (LoginRequiredMiddleware) or the admin's (its own views).
    return location.startswith((ADMIN_LOGIN, LOGIN) if persona == "anonymous" else ADMIN_LOGIN)


def admin_methods(persona):
    """Every method for anonymous visitors and a signed-in non-staff user; a read and a write for the
    other roles, since the admin's gate looks at is_staff alone; and for staff too, as the admin answers
    PUT and DELETE like GET (nothing written) and staff's pages are the slow part of the matrix."""
    return METHODS if persona in ("anonymous", "finance_a") else ("GET", "POST")


@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=lambda r: r.key)
def test_admin_url(matrix, route):
    world = matrix
    model, obj = admin_object(route)
    unknown = [name for name in route.arguments if name not in ADMIN_FILLERS]
    assert not unknown, (
        f"Admin URL pattern {route.template!r} has arguments {unknown} that ADMIN_FILLERS in "
        f"{__file__} cannot fill: add a filler giving a real object for each."
    )
    assert obj is not None, (
        f"The dataset has no {model._meta.label} for admin URL {route.template!r}: make one in "
        "build_world (tests/core/url_matrix_support.py)."
    )
    path = route.fill({name: ADMIN_FILLERS[name](model, obj) for name in route.arguments})
    guard, failures = NoWrites(world.client), []
    for persona in PERSONAS:
        for method in admin_methods(persona):
            may_write = persona == "staff" and method == "POST"  # staff may change anything in the admin
            with transaction.atomic():
                response = send(world.client(persona), method, path)
                transaction.set_rollback(may_write)  # undone, so that staff's session (sign-out) lives on
            where = f"{persona} {method} {path}"
            expected = admin_expected(route, persona, method)
            if expected is None:
                if response.status_code >= 500:
                    failures.append(f"{where}: {response.status_code}")
            elif response.status_code != expected:
                failures.append(f"{where}: {response.status_code}, expected {expected}")
            elif expected == 302 and not admin_redirect_ok(route, persona, response):
                failures.append(f"{where}: redirected to {response['Location']}, not to sign in")
            if not may_write:
                guard.sent(persona, method, path)
    failures += guard.check()
    assert not failures, "\n".join(failures)


def test_another_areas_object_under_this_areas_address_is_not_found(matrix):
    """The object must belong to the area in the address, even for staff, who may see both areas."""
    world = matrix
    a, b = world.personas.area_a.code, world.personas.area_b.code
    for path in (
        f"/areas/{a}/schemes/{ONLY_IN_B}/",
        f"/areas/{a}/schemes/{ONLY_IN_B}/history/",
        f"/areas/{a}/metrics/LOCAL-{b}/",
    ):
        assert world.client("staff").get(path).status_code == 404, path
    guard = NoWrites(world.client)
    # B's pending upload confirmed under A's address by A's finance officer: not found, so nothing applied.
    confirm = world.client("finance_a").post(f"/areas/{a}/upload/{world.tokens[b]}/", {"action": "confirm"})
    assert (confirm.status_code, confirm["Location"]) == (302, f"/areas/{a}/upload/")
    cancel = world.client("finance_a").post(f"/areas/{a}/upload/{world.tokens[b]}/", {"action": "cancel"})
    assert (cancel.status_code, cancel["Location"]) == (302, f"/areas/{a}/upload/")
    assert guard.check() == []
