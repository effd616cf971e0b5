"""What the URL access matrix needs: every URL pattern from the resolver, its arguments filled with
real objects, a fingerprint of every table, and one dataset for the whole module.

The matrix itself (expectations per persona and method) is in ``test_url_matrix.py``.
"""

import hashlib
import io
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.utils import timezone

from bcf_dashboard.api.services import make_token
from bcf_dashboard.core import plans
from bcf_dashboard.core.models import AreaPartner, Plan
from bcf_dashboard.quarterly.models import SummaryPdf
from bcf_dashboard.quarterly.services import save_narrative, text_stamp
from bcf_dashboard.quarterly.stored_pdf import make_summary_pdf
from bcf_dashboard.returns import uploads
from bcf_dashboard.returns.models import UploadJob
from bcf_dashboard.returns.services import import_returns
from bcf_dashboard.signoff.services import agree_plan, take_step
from tests.support import builders as b
from tests.support.dashboard_data import YEAR, fill_area
from tests.support.personas import build_personas

PERSONAS = ["anonymous", "finance_a", "approver_a", "commissioner_a", "hwb_a", "user_b", "staff"]
MONTH = f"{YEAR}-05"
QUARTER = 1
ONLY_IN_B = "SWK-ONLY"  # a scheme ref that area B has and area A has not


# ---- the URL patterns -------------------------------------------------------------------------------


@dataclass
class Route:
    """One URL pattern with the chain of patterns above it (includes)."""

    parts: list  # pattern objects (RoutePattern or RegexPattern), outermost first
    pattern: URLPattern
    namespace: str

    @property
    def template(self) -> str:
        return "".join(str(p) for p in self.parts)

    @property
    def name(self) -> str | None:
        return self.pattern.name

    @property
    def key(self) -> str:
        """How the expectations name it: its URL name (with its namespace), or its template when it has none."""
        if not self.name:
            return self.template
        return f"{self.namespace}:{self.name}" if self.namespace else self.name

    @property
    def arguments(self) -> list[str]:
        """Keyword names, and ``_1``, ``_2`` ... for a regex's unnamed groups (filled in order)."""
        names = []
        for part in self.parts:
            for match in _GROUP.finditer(str(part)):
                names.append(match.group("route") or match.group("regex") or f"_{len(names) + 1}")
        return names

    def fill(self, values: dict) -> str:
        """The path with each argument replaced by ``values[name]``; checked to resolve back to this pattern."""
        names = iter(self.arguments)
        path = "/"
        for part in self.parts:
            text = str(part)
            if type(part).__name__ == "RegexPattern":
                text = text.removeprefix("^").removesuffix("$")
            path += _GROUP.sub(lambda match: str(values[next(names)]), text)
        found = resolve(path)
        assert found.func is self.pattern.callback, f"{path} resolves to {found.view_name}, not {self.key}"
        return path


# ``<conv:name>`` or ``<name>`` in a route; ``(?P<name>...)`` or ``(...)`` in a regex (never nested here).
_GROUP = re.compile(r"<(?:\w+:)?(?P<route>\w+)>|\((?:\?P<(?P<regex>\w+)>)?[^()]*\)")


def routes(resolver=None, parts=(), namespace="") -> list[Route]:
    """Every URL pattern of the project, includes and the admin included."""
    found = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            found += routes(entry, [*parts, entry.pattern], entry.namespace or namespace)
        else:
            found.append(Route([*parts, entry.pattern], entry, namespace))
    return found


# ---- a fingerprint of every table -------------------------------------------------------------------

# Sessions change with every sign-in and sign-out: counted, not summed.
COUNT_ONLY = {Session}
# Records of work a reader's GET may ask for or keep (a summary's PDF made and kept, its task queued, an
# area-year's figures as the engine worked them out): caches of work, not the area's data, so left out of
# the fingerprint.
BACKGROUND_WORK = {"quarterly.SummaryPdf", "django_tasks_db.DBTaskResult", "digests.StoredFigures"}


def fingerprint() -> dict:
    """Every model table's row count, and a checksum of its contents (all but COUNT_ONLY)."""
    state = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.label in BACKGROUND_WORK:
                continue
            table = quote(model._meta.db_table)
            if model in COUNT_ONLY:
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                state[model._meta.label] = cursor.fetchone()[0]
                continue
            cursor.execute(f"SELECT * FROM {table} ORDER BY {quote(model._meta.pk.column)}")
            rows = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor.fetchall()]
            state[model._meta.label] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()[:16])
    return state


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before.keys() | after.keys() if before.get(label) != after.get(label))


class NoWrites:
    """Checks that the requests sent since the last check changed no table.

    One fingerprint before and one after the run (one per request would cost a minute); when they
    differ, each request is sent again between fingerprints of its own to name the one that wrote.
    """

    def __init__(self, client_for):
        self.client_for = client_for  # persona -> a signed-in test client
        self.restart()

    def restart(self):
        self.before, self.requests = fingerprint(), []

    def sent(self, persona, method, path):
        self.requests.append((persona, method, path))

    def check(self) -> list[str]:
        changed = changed_tables(self.before, fingerprint())
        found = []
        if changed:
            for persona, method, path in self.requests:
                before = fingerprint()
                getattr(self.client_for(persona), method.lower())(path)
                if alone := changed_tables(before, fingerprint()):
                    found.append(f"{persona} {method} {path}: a refused or empty write changed {alone}")
            found = found or [f"{len(self.requests)} requests together changed {changed}: {self.requests}"]
        self.restart()
        return found


# ---- the dataset ------------------------------------------------------------------------------------


@dataclass
class World:
    personas: object
    tokens: dict = field(default_factory=dict)  # area code -> a PendingUpload token of its finance officer
    sessions: dict = field(default_factory=dict)  # persona -> session key
    clients: dict = field(default_factory=dict)
    api_token_id: int = 0  # an API token of approver_a's (the only approver)

    def user(self, persona):
        return None if persona == "anonymous" else getattr(self.personas, persona)

    def client(self, persona) -> Client:
        """The persona's client, signed in afresh: only the session cookie, nothing left by the last request.

        One client per persona for the module: each new client loads the middleware again (whitenoise
        scans every static file), a tenth of a second a request."""
        client = self.clients.get(persona) or self.clients.setdefault(persona, Client())
        client.cookies = SimpleCookie()
        if persona != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[persona]
        return client


def build_world() -> World:
    """Bromley (A) and Southwark (B) with a year of figures, a sign-off history, a narrative, an import,
    an agreed plan, pending uploads, and a signed-in session per persona: a row in nearly every table."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        p = build_personas()
    world = World(personas=p)
    fill_area(p.area_a, schemes=2)
    fill_area(p.area_b, schemes=2)
    b.scheme(p.area_b, ONLY_IN_B, YEAR, "5000")
    Plan.objects.create(name="Bromley BCF plan", first_year=YEAR, last_year=YEAR + 1).areas.add(p.area_a)
    Group.objects.create(name="Analysts")
    AreaPartner.objects.create(
        area=p.area_a, partner=b.partner("LA-BROMLEY", "Bromley Council", "la"), role=AreaPartner.Role.LOCAL_AUTHORITY
    )
    if apps.is_installed("axes"):  # sign-in throttling's records, for its admin pages
        from axes.models import AccessAttempt, AccessFailureLog

        AccessAttempt.objects.create(username="nobody", ip_address="192.0.2.1", failures_since_start=1)
        AccessFailureLog.objects.create(username="nobody", ip_address="192.0.2.1")
    save_narrative(
        user=p.finance_a,
        area=p.area_a,
        year=YEAR,
        quarter=QUARTER,
        texts={"challenges": "Winter pressures"},
        seen={"challenges": text_stamp("")},
    )
    take_step(
        user=p.finance_a, area=p.area_a, financial_year=YEAR, quarter=QUARTER, action="submit", reason="Returns follow"
    )
    take_step(user=p.approver_a, area=p.area_a, financial_year=YEAR, quarter=QUARTER, action="approve")
    take_step(
        user=p.user_b, area=p.area_b, financial_year=YEAR, quarter=QUARTER, action="submit", reason="Returns follow"
    )
    plans.submit(user=p.finance_a, area=p.area_a, financial_year=YEAR)
    agree_plan(user=p.approver_a, area=p.area_a, financial_year=YEAR)
    world.api_token_id = make_token(owner=p.approver_a, name="Power BI").token.pk
    # The approval asked for A's frozen PDF; B's draft PDF is asked for as a reader would.
    pdf_b = SummaryPdf.objects.create(
        area=p.area_b,
        financial_year=YEAR,
        quarter=QUARTER,
        key="draft-matrix",
        download_name="summary.pdf",
        requested_at=timezone.now(),
    )
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        make_summary_pdf.enqueue(pdf_b.pk)  # a task in the queue, for the admin's pages of it
    for area, user in ((p.area_a, p.finance_a), (p.area_b, p.user_b)):
        content = f"area_code,period,measure,kind,value,note\n{area.code},{YEAR}-07,NEA,actual,1262,\n".encode()
        result = import_returns(content=content, file_name="returns.csv", user=user, area=area)
        assert result.ok, result.errors
        world.tokens[area.code] = uploads.keep(user=user, area=area, file_name="returns.csv", content=content).token
        UploadJob.objects.create(
            token=world.tokens[area.code],
            user=user,
            area=area,
            file_name="returns.csv",
            size=len(content),
            stage=UploadJob.Stage.CHECKED,
            finished_at=timezone.now(),
            outcome={
                "ok": True,
                "rows": 1,
                "created": 0,
                "updated": 1,
                "unchanged": 0,
                "blank": 0,
                "changes": 1,
                "warnings": [],
                "errors": [],
            },
        )
    for persona in PERSONAS[1:]:
        client = Client()
        client.force_login(world.user(persona))
        world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Pages work out missing area-year digests as they read them (bcf_dashboard.digests.selectors): do it now, so
    # that a change to any table during the matrix is a write.
    call_command("refresh_summaries", stdout=io.StringIO())
    return world
