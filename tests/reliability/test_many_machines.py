"""Many machines on loopback: two app servers, one background worker, PostgreSQL and Redis. A write
through one server is seen at once through the other (sessions, figures and the page cache are
shared); a PDF made by the worker is served by both; an app server killed mid-request loses nothing
(its transaction rolls back, and the other server finishes the job)."""

import csv
import datetime
import io
import json
import os
import re
import signal
import subprocess
import threading
import time

import pytest

from tests.reliability.cluster import NOT_FIGURES, PYTHON, ROOT, differences, fingerprint, production_env
from tests.reliability.test_interrupted_upload import _answer, kill_mid_write, writer_mid_write
from tests.reliability.web import Browser, Gunicorn, csrf_token, hidden

pytestmark = pytest.mark.reliability
BROMLEY = "E09000006"
# Besides what page views write: the PDF's record and the worker's queue.
BACKGROUND = NOT_FIGURES + ("quarterly_summarypdf", "django_tasks_database_dbtaskresult")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("BCF_REQUIRE_REDIS") == "1" or os.environ.get("BCF_REQUIRE_RELIABILITY") == "1":
            pytest.fail("REDIS_URL is not set: .ci/run starts a redis-server and sets it")
        pytest.skip("REDIS_URL is not set")
    return url


class Worker:
    """``manage.py worker`` beside the app servers, in a process group of its own."""

    def __init__(self, cluster, database, *, env: dict, log, sweep_every: float = 60):
        self.log_path = log
        with open(log, "w") as out:
            self.process = subprocess.Popen(
                [PYTHON, "manage.py", "worker", "--interval", "0.2", "--sweep-every", str(sweep_every)],
                cwd=ROOT,
                env={**cluster.env(database), **production_env(), **env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def actuals_file(cluster, database) -> bytes:
    """Every metric's and scheme's actual for every ended month of Bromley's years: thousands of rows, so the
    confirmation takes long enough to be caught mid-write."""
    metrics = cluster.sql(
        database,
        """SELECT m.code, m.first_year FROM metrics_metricdefinition m
        JOIN bcf_dashboard_area a ON a.code = %s WHERE m.area_id IS NULL OR m.area_id = a.id""",
        (BROMLEY,),
    )
    scheme_years = cluster.sql(
        database,
        """SELECT s.ref, sy.financial_year FROM schemes_schemeyear sy
        JOIN schemes_scheme s ON s.id = sy.scheme_id JOIN bcf_dashboard_area a ON a.id = s.area_id
        WHERE a.code = %s""",
        (BROMLEY,),
    )
    today = datetime.date.today()
    years = [(code, year) for code, first in metrics for year in range(max(first, 2014), today.year)]
    years += [(f"spend:{ref}", year) for ref, year in scheme_years]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area_code", "period", "measure", "kind", "value", "note"])
    for n, (measure, year) in enumerate(years):
        for month in range(1, 13):  # April .. March
            calendar = datetime.date(year if month <= 9 else year + 1, month + 3 if month <= 9 else month - 9, 1)
            if (calendar.year, calendar.month) < (today.year, today.month):
                writer.writerow(
                    [BROMLEY, f"{calendar:%Y-%m}", measure, "actual", 20 + (n + month) % 50, "many machines"]
                )
    return out.getvalue().encode()


def signed_in_on(browser: Browser, app: Gunicorn) -> Browser:
    """The same person, the same session cookie, talking to another server."""
    other = object.__new__(Browser)
    other.port, other.username, other.cookies = app.port, browser.username, dict(browser.cookies)
    return other


def test_two_app_servers_and_a_worker_share_everything(cluster, tmp_path, redis_url):
    database = cluster.demo_copy("many_machines")
    # One secret for every machine (a session signed by one is good on the other), one cache, one file store.
    shared = {
        "SECRET_KEY": production_env()["SECRET_KEY"],
        "CACHE_URL": redis_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "BCF_TASKS": "database",
    }
    one = Gunicorn(cluster, database, workers=1, log=tmp_path / "one.log", env=shared)
    two = Gunicorn(cluster, database, workers=1, log=tmp_path / "two.log", env=shared)
    worker = Worker(cluster, database, env=shared, log=tmp_path / "worker.log")
    try:
        finance = Browser(one, "bromley.finance")
        elsewhere = signed_in_on(finance, two)
        summary_url = f"/api/areas/{BROMLEY}/2017/summary.json"
        before = elsewhere.get(summary_url)
        assert before.status == 200, before.text[:300]

        # A write through one server, read at once through the other (the page cache is keyed by version).
        page = finance.get(f"/areas/{BROMLEY}/upload/")
        content = f"area_code,period,measure,kind,value,note\n{BROMLEY},2017-05,NEA,actual,4321,many\n".encode()
        sent = finance.post_file(
            f"/areas/{BROMLEY}/upload/",
            {"csrfmiddlewaretoken": csrf_token(page), "reason": ""},
            name="file",
            file_name="one.csv",
            content=content,
        )
        assert sent.status == 302, sent.text[:500]
        preview = finance.get(sent.location)
        done = finance.post(
            sent.location,
            {
                "csrfmiddlewaretoken": csrf_token(preview),
                "action": "confirm",
                "previewed": hidden(preview, "previewed"),
            },
        )
        assert done.status == 302 and "/history/" in done.location, done.text[:500]
        after = elsewhere.get(summary_url)
        assert after.status == 200 and after.text != before.text
        assert "4321" in json.dumps(json.loads(after.text))

        # A PDF asked for through one server, made by the worker, served by both.
        pdf_url = f"/areas/{BROMLEY}/2017/q2/summary.pdf"
        waiting = finance.get(pdf_url)
        assert waiting.status == 200 and "Preparing the PDF" in waiting.text, waiting.text[:300]
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            served = elsewhere.get(pdf_url)
            if served.headers.get("content-type") == "application/pdf":
                break
            assert served.status == 200 and "Preparing the PDF" in served.text, served.text[:500]
            time.sleep(1)
        else:
            raise AssertionError(f"no PDF after 120 s:\n{worker.log_path.read_text()[-3000:]}")
        from_one = finance.get(pdf_url)
        assert from_one.headers.get("content-type") == "application/pdf"
        assert from_one.text == served.text and from_one.text.startswith("%PDF")

        # An app server killed in the middle of a confirmation: nothing written, the other server applies it.
        big = actuals_file(cluster, database)
        page = finance.get(f"/areas/{BROMLEY}/upload/")
        sent = finance.post_file(
            f"/areas/{BROMLEY}/upload/",
            {"csrfmiddlewaretoken": csrf_token(page), "reason": ""},
            name="file",
            file_name="big.csv",
            content=big,
        )
        assert sent.status == 302, re.sub(r"<[^>]+>", " ", sent.text)[-3000:]
        preview = finance.get(sent.location)
        before_kill = fingerprint(cluster, database, leave_out=BACKGROUND)
        confirm = {
            "csrfmiddlewaretoken": csrf_token(preview),
            "action": "confirm",
            "previewed": hidden(preview, "previewed"),
        }
        answers = []
        poster = threading.Thread(target=lambda: answers.append(_answer(finance, sent.location, confirm)))
        poster.start()
        (serving,) = one.workers()
        try:
            kill_mid_write(cluster, database, serving, lambda: poster.is_alive())
            os.killpg(one.process.pid, signal.SIGKILL)  # then the rest of that server: master and all
        finally:
            poster.join(timeout=60)
        assert answers == [None]
        deadline = time.monotonic() + 30
        while writer_mid_write(cluster, database) and time.monotonic() < deadline:
            time.sleep(0.1)  # the killed request's backend rolls back as it notices its client is gone
        assert differences(before_kill, fingerprint(cluster, database, leave_out=BACKGROUND)) == []
        preview = elsewhere.get(sent.location)
        assert preview.status == 200 and "big.csv" in preview.text
        applied = elsewhere.post(
            sent.location,
            {
                "csrfmiddlewaretoken": csrf_token(preview),
                "action": "confirm",
                "previewed": hidden(preview, "previewed"),
            },
        )
        assert applied.status == 302 and "/history/" in applied.location, applied.text[:500]
        health = json.loads(elsewhere.get("/health/").text)
        assert health["database"] == health["cache"] == "ok" and health["tasks"]["waiting_over_a_minute"] == 0
    finally:
        worker.stop()
        two.stop()
        one.stop()


def test_a_worker_killed_mid_apply_has_its_task_run_again_and_writes_once(cluster, tmp_path):
    database = cluster.demo_copy("killed_worker")
    # Every upload goes to the worker; a task running for 3 s without finishing is taken to be orphaned.
    shared = {
        "SECRET_KEY": production_env()["SECRET_KEY"],
        "BCF_TASKS": "database",
        "BCF_BACKGROUND_UPLOAD_BYTES": "10",
        "BCF_TASK_STALE_SECONDS": "3",
    }
    app = Gunicorn(cluster, database, workers=1, log=tmp_path / "app.log", env=shared)
    first = Worker(cluster, database, env=shared, log=tmp_path / "first.log")
    second = None
    try:
        finance = Browser(app, "bromley.finance")
        page = finance.get(f"/areas/{BROMLEY}/upload/")
        sent = finance.post_file(
            f"/areas/{BROMLEY}/upload/",
            {"csrfmiddlewaretoken": csrf_token(page), "reason": ""},
            name="file",
            file_name="killed.csv",
            content=actuals_file(cluster, database),
        )
        assert sent.status == 302 and sent.location.endswith("/job/"), sent.text[:500]
        checked = wait_for(
            lambda: "Check the changes, then confirm" in (page := finance.get(sent.location)).text and page, first
        )
        before = fingerprint(cluster, database, leave_out=BACKGROUND + ("returns_uploadjob",))
        confirmed = finance.post(
            sent.location,
            {
                "csrfmiddlewaretoken": csrf_token(checked),
                "action": "confirm",
                "previewed": hidden(checked, "previewed"),
            },
        )
        assert confirmed.status == 302
        kill_mid_write(cluster, database, first.process.pid, lambda: first.process.poll() is None)
        first.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while writer_mid_write(cluster, database) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert differences(before, fingerprint(cluster, database, leave_out=BACKGROUND + ("returns_uploadjob",))) == []
        assert cluster.sql(database, "SELECT stage FROM returns_uploadjob")[0][0] == "applying"

        # Another worker (a restart, or one on another machine) hands the orphaned task out again once it is
        # stale, and runs it.
        second = Worker(cluster, database, env=shared, log=tmp_path / "second.log", sweep_every=1)
        done = wait_for(lambda: (page := finance.get(sent.location)).status == 302 and page, second)
        assert "/history/" in done.location
        assert cluster.sql(
            database, "SELECT count(*) FROM bcf_dashboard_importbatch WHERE file_name = 'killed.csv'"
        ) == [(1,)]
        rows = cluster.sql(database, "SELECT rows FROM bcf_dashboard_importbatch WHERE file_name = 'killed.csv'")[0][0]
        assert cluster.sql(
            database,
            """SELECT count(*) FROM bcf_dashboard_valuechange WHERE batch_id =
            (SELECT id FROM bcf_dashboard_importbatch WHERE file_name = 'killed.csv')""",
        ) == [(rows,)]
    finally:
        first.stop()
        if second:
            second.stop()
        app.stop()


def wait_for(found, worker, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := found():
            return result
        time.sleep(0.5)
    raise AssertionError(f"not done after {seconds} s:\n{worker.log_path.read_text()[-3000:]}")
