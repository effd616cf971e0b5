"""PostgreSQL restarted under load: clean 503s while it is down, no 5xx after, no partial or lost saves.

gunicorn serves the app with the production settings (persistent connections with health
checks) while signed-in people read dashboards and two finance officers save a month's spend
over and over, each save writing a known set of figures. The database is stopped the moment a
save's transaction is open (``pg_ctl stop -m fast`` rolls back every open transaction and cuts
every connection, as a restart does), left down long enough that requests certainly meet the
outage, and started again. Nothing restarts the app: its workers must reconnect by themselves.
"""

import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal

import pytest

from tests.reliability.web import Browser, Gunicorn, csrf_token, hidden, request

pytestmark = pytest.mark.reliability

DOWN_SECONDS = 1.5
READERS = {
    "london.commissioner": [
        "/",
        "/compare/?metric=NEA",
        "/areas/E09000033/2017/",
        "/api/areas/E09000033/2017/summary.json",
    ],
    "bromley.commissioner": [
        "/areas/E09000006/2016/",
        "/areas/E09000006/schemes/B1/?year=2016",
        "/areas/E09000006/metrics/NEA/",
        "/areas/E09000006/history/",
    ],
    "admin": ["/", "/areas/E09000028/2014/", "/people/"],
}


@dataclass
class Sent:
    who: str
    method: str
    path: str
    started: float
    finished: float
    status: int | None  # None: no HTTP answer at all
    text: str
    save: int | None = None  # the writer's save number, for a POST
    location: str = ""


@dataclass
class Writer:
    """A finance officer saving one month's spend of every budgeted scheme of their area."""

    username: str
    area: str
    year: int
    month: str
    refs: list[str] = field(default_factory=list)  # the schemes, in the order of their amounts
    fields: dict = field(default_factory=dict)  # input name -> the scheme's index in refs

    @property
    def entry(self) -> str:
        return f"/areas/{self.area}/entry/{self.month}/"

    def amount(self, save: int, index: int) -> Decimal:
        """What the ``save``-th save writes for the ``index``-th scheme: every save's set is different."""
        return Decimal(f"{save * 1000 + index}.{index + 1:02d}")

    def amounts(self, save: int) -> dict[str, Decimal]:
        return {ref: self.amount(save, index) for index, ref in enumerate(self.refs)}


WRITERS = [
    Writer("bromley.finance", "E09000006", 2016, "2016-11"),  # quarters open, schemes budgeted
    Writer("westminster.finance", "E09000033", 2017, "2017-11"),
]


class Traffic:
    def __init__(self):
        self.sent: list[Sent] = []
        self.stop = threading.Event()
        self.lock = threading.Lock()

    def record(self, who, method, path, call, save=None):
        started = time.monotonic()
        try:
            response = call()
            item = Sent(
                who, method, path, started, time.monotonic(), response.status, response.text, save, response.location
            )
        except Exception as exc:  # noqa: BLE001 - any failure to get an answer is recorded and asserted on
            response, item = None, Sent(who, method, path, started, time.monotonic(), None, repr(exc), save)
        with self.lock:
            self.sent.append(item)
        return response

    def saved_since(self, moment: float) -> bool:
        """Whether every writer has had a save answered "saved" that it sent at or after ``moment``."""
        with self.lock:
            done = {
                item.who
                for item in self.sent
                if item.method == "POST" and item.status == 302 and item.started >= moment
            }
        return done >= {writer.username for writer in WRITERS}

    def wait_until_saved_since(self, moment: float, seconds=60):
        deadline = time.monotonic() + seconds
        while not self.saved_since(moment):
            assert time.monotonic() < deadline, f"not every writer saved within {seconds} s"
            time.sleep(0.05)

    def read(self, browser, paths):
        while not self.stop.is_set():
            for path in paths:
                self.record(browser.username, "GET", path, lambda path=path: browser.get(path))

    def write(self, browser, writer: Writer):
        save = 0
        while not self.stop.is_set():
            page = self.record(writer.username, "GET", writer.entry, lambda: browser.get(writer.entry))
            if page is None or page.status != 200:
                time.sleep(0.05)
                continue
            save += 1
            form = {"csrfmiddlewaretoken": csrf_token(page), "state": hidden(page, "state")}
            form.update({name: str(writer.amount(save, index)) for name, index in writer.fields.items()})
            self.record(writer.username, "POST", writer.entry, lambda form=form: browser.post(writer.entry, form), save)


def test_a_database_restart_under_load(cluster, tmp_path):
    database = cluster.demo_copy("restart")
    first_batch = cluster.sql(database, "SELECT coalesce(max(id), 0) FROM bcf_dashboard_importbatch")[0][0]
    untouched = _other_figures(cluster, database)
    with Gunicorn(cluster, database, workers=2, log=tmp_path / "gunicorn.log") as app:
        browsers = {writer.username: _ready(cluster, database, app, writer) for writer in WRITERS}
        readers = {name: Browser(app, name) for name in READERS}
        for name, paths in READERS.items():  # every page works before the fault (and is warm)
            for path in paths:
                assert readers[name].get(path).status == 200, (name, path)
        workers = app.workers()

        traffic = Traffic()
        threads = [
            threading.Thread(target=traffic.read, args=(readers[name], paths)) for name, paths in READERS.items()
        ]
        threads += [threading.Thread(target=traffic.write, args=(browsers[w.username], w)) for w in WRITERS]
        for thread in threads:
            thread.start()
        try:
            traffic.wait_until_saved_since(0)  # the writers are saving: one save each at least
            assert _wait_for_a_save_in_progress(cluster, database, seconds=10)
            went_down = time.monotonic()
            cluster.stop("fast")
            time.sleep(DOWN_SECONDS)
            cluster.start()
            came_back = time.monotonic()
            time.sleep(3)
            traffic.wait_until_saved_since(came_back)  # and save again once it is back, with nothing restarted
        finally:
            traffic.stop.set()
            for thread in threads:
                thread.join(timeout=60)
        assert app.process.poll() is None and app.workers() == workers, "gunicorn and its workers kept running"
        assert request(app.port, "GET", "/health/").status == 200

    sent = traffic.sent
    assert all(item.status is not None for item in sent), [item for item in sent if item.status is None][:3]
    failed = [item for item in sent if item.status >= 500]
    assert failed, "some requests met the outage"
    for item in failed:  # while it is down: the clean "try again" page, never a 500 or a traceback
        assert item.status == 503, (item.method, item.path, item.status, item.text[:300])
        assert "The service is briefly unavailable" in item.text and "Traceback" not in item.text
        assert "OperationalError" not in item.text and "terminating connection" not in item.text
    assert not [item for item in failed if item.finished < went_down], "nothing failed before the outage"
    after = [item for item in sent if item.started >= came_back]
    assert after and all(item.status < 500 for item in after), [
        (i.who, i.method, i.path, i.status, round(i.started - came_back, 3), i.text[:200])
        for i in after
        if i.status >= 500
    ]

    saves = [item for item in sent if item.method == "POST"]
    assert {item.status for item in saves} <= {302, 503}, {item.status for item in saves}
    assert all(item.location == item.path for item in saves if item.status == 302), "saved: back to the form"
    for writer in WRITERS:
        mine = [item for item in saves if item.who == writer.username]
        saved = {item.save for item in mine if item.status == 302}
        refused = {item.save for item in mine if item.status == 503}
        assert any(i.started < went_down for i in mine if i.save in saved), f"{writer.username} saved before"
        assert any(i.started >= came_back for i in mine if i.save in saved), f"{writer.username} saved after, unaided"
        _assert_every_save_whole(cluster, database, writer, first_batch, saved, refused)
        print(f"{writer.username}: {len(saved)} saves saved, {len(refused)} answered 503")
    assert _other_figures(cluster, database) == untouched, "nothing but the two months' spend changed"
    print(f"{len(sent)} requests: {len(failed)} answered 503 around the restart, {len(after)} after it, all good")


def _ready(cluster, database, app, writer: Writer) -> Browser:
    """Sign the writer in and read their form: which input is which scheme."""
    writer.refs = [
        ref
        for (ref,) in cluster.sql(
            database,
            """
        SELECT s.ref FROM schemes_scheme s JOIN schemes_schemeyear y ON y.scheme_id = s.id
        JOIN bcf_dashboard_area a ON a.id = s.area_id
        WHERE a.code = %s AND y.financial_year = %s AND s.status = 'active' ORDER BY s.ref""",
            (writer.area, writer.year),
        )
    ]
    ref_of = dict(
        cluster.sql(
            database,
            """
        SELECT 'spend-' || s.id, s.ref FROM schemes_scheme s JOIN bcf_dashboard_area a ON a.id = s.area_id
        WHERE a.code = %s""",
            (writer.area,),
        )
    )
    browser = Browser(app, writer.username)
    form = browser.get(writer.entry)
    assert form.status == 200
    writer.fields = {name: writer.refs.index(ref_of[name]) for name in re.findall(r'name="(spend-\d+)"', form.text)}
    assert sorted(writer.fields.values()) == list(range(len(writer.refs))), "the form shows every budgeted scheme"
    return browser


def _wait_for_a_save_in_progress(cluster, database, *, seconds) -> bool:
    """Until a save's transaction is open (its batch row written, not committed), for at most ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cluster.sql(
            database,
            """
                SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
                JOIN pg_database d ON d.oid = l.database AND d.datname = current_database()
                WHERE c.relname = 'bcf_dashboard_importbatch' AND l.mode = 'RowExclusiveLock' AND l.granted
                AND l.pid <> pg_backend_pid()""",
        ):
            return True
        time.sleep(0.005)
    return False


def _assert_every_save_whole(cluster, database, writer: Writer, first_batch, saved, refused):
    """Each save is all of its figures or none; the stored figures and their history total exactly the saves."""
    changes = cluster.sql(
        database,
        """
        SELECT c.batch_id, c.measure, c.old_value, c.new_value FROM bcf_dashboard_valuechange c
        JOIN bcf_dashboard_importbatch b ON b.id = c.batch_id JOIN bcf_dashboard_area a ON a.id = c.area_id
        WHERE b.id > %s AND b.source = 'form' AND a.code = %s ORDER BY c.batch_id, c.measure""",
        (first_batch, writer.area),
    )
    by_batch = {}
    for batch, measure, old, new in changes:
        by_batch.setdefault(batch, {})[measure.removeprefix("spend:")] = (old, new)
    committed = []
    for batch, figures in sorted(by_batch.items()):
        assert sorted(figures) == writer.refs, f"batch {batch} holds every scheme's figure, no more, no fewer"
        save = int(figures[writer.refs[0]][1]) // 1000
        assert {ref: new for ref, (_, new) in figures.items()} == writer.amounts(save)
        if committed:  # the history is unbroken: each save replaced exactly the one before
            assert {ref: old for ref, (old, _) in figures.items()} == writer.amounts(committed[-1])
        committed.append(save)
    # Every save that answered "saved" is stored. One that answered 503 is stored only if the database
    # committed it and the connection was cut before the answer came back (the 503 page says to reload).
    assert saved <= set(committed) <= saved | refused, (sorted(saved), sorted(refused), committed)
    assert len(committed) == len(set(committed))
    assert sum(new for *_, new in changes) == sum(sum(writer.amounts(save).values()) for save in committed)
    stored = dict(
        cluster.sql(
            database,
            """
        SELECT s.ref, v.value FROM schemes_schemevalue v JOIN schemes_scheme s ON s.id = v.scheme_id
        JOIN bcf_dashboard_period p ON p.id = v.period_id JOIN bcf_dashboard_area a ON a.id = s.area_id
        WHERE a.code = %s AND p.code = %s AND v.measure = 'spend' AND v.kind = 'actual'""",
            (writer.area, writer.month),
        )
    )
    assert stored == {ref: int(value * 100) for ref, value in writer.amounts(committed[-1]).items()}, "the last save"


def _other_figures(cluster, database):
    """The count and total of every stored figure except the writers' months' actual spend."""
    months = [f"{writer.area} {writer.month}" for writer in WRITERS]
    return cluster.sql(
        database,
        """
        SELECT count(*), sum(v.value) FROM schemes_schemevalue v JOIN schemes_scheme s ON s.id = v.scheme_id
        JOIN bcf_dashboard_period p ON p.id = v.period_id JOIN bcf_dashboard_area a ON a.id = s.area_id
        WHERE NOT (a.code || ' ' || p.code = ANY(%s) AND v.measure = 'spend' AND v.kind = 'actual')
        UNION ALL SELECT count(*), sum(value) FROM metrics_metricvalue""",
        (months,),
    )
