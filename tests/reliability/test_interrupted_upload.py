"""An import killed mid-write leaves nothing behind, and the same file applies whole afterwards.

A returns file is applied in one transaction (bcf_dashboard/returns/services.py): the batch
row, the values, their history rows and the area-years' digests, then the headlines are
worked out again, then COMMIT. Each process here is killed with SIGKILL once PostgreSQL shows
its transaction holding the write locks of the values, the history and the digests (so those
rows are written, uncommitted) and before it commits: first ``manage.py import_returns``, then
a gunicorn worker in the middle of confirming an upload on the upload page.
"""

import csv
import datetime
import io
import os
import signal
import subprocess
import threading
import time

import pytest

from tests.reliability.cluster import NOT_FIGURES, PYTHON, ROOT, differences, fingerprint
from tests.reliability.web import Browser, Gunicorn, csrf_token, hidden

pytestmark = pytest.mark.reliability

WRITTEN = ("metrics_metricvalue", "bcf_dashboard_valuechange", "digests_areayeardigest")
BROMLEY = "E09000006"


def returns_file(cluster, database, *, areas, last_year, offset) -> tuple[bytes, int]:
    """Every metric of these areas, every month from its first year to ``last_year``: plans for every month,
    actuals for the months that have ended (an actual for a month still to come is refused)."""
    ended = datetime.date.today().replace(day=1)
    metrics = cluster.sql(
        database,
        """
        SELECT a.code, m.code, m.first_year FROM bcf_dashboard_area a JOIN metrics_metricdefinition m
        ON m.area_id IS NULL OR m.area_id = a.id WHERE a.code = ANY(%s) ORDER BY a.code, m.code""",
        (areas,),
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area_code", "period", "measure", "kind", "value", "note"])
    rows = 0
    for area, metric, first_year in metrics:
        for year in range(max(first_year, 2014), last_year + 1):
            for number in range(1, 13):  # April .. March
                calendar_year, calendar_month = (year, number + 3) if number <= 9 else (year + 1, number - 9)
                for kind in ("plan", "actual"):
                    if kind == "actual" and datetime.date(calendar_year, calendar_month, 1) >= ended:
                        continue
                    writer.writerow(
                        [
                            area,
                            f"{calendar_year}-{calendar_month:02d}",
                            metric,
                            kind,
                            offset + rows % 50,
                            "interrupted test",
                        ]
                    )
                    rows += 1
    return out.getvalue().encode(), rows


def writer_mid_write(cluster, database) -> bool:
    """Whether another session's open transaction has written values, their history and the digests."""
    held = cluster.sql(
        database,
        """
        SELECT c.relname FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
        JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND l.granted
        AND l.mode = 'RowExclusiveLock' AND c.relname = ANY(%s)""",
        (list(WRITTEN),),
    )
    return {name for (name,) in held} == set(WRITTEN)


def kill_mid_write(cluster, database, pid, still_running, seconds=120) -> float:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not still_running():
            raise AssertionError("the import finished before it could be interrupted: make the file larger")
        if writer_mid_write(cluster, database):
            os.kill(pid, signal.SIGKILL)
            return time.monotonic()
        time.sleep(0.02)
    raise AssertionError(f"the import did not start writing within {seconds} s")


def inserted_history_rows(cluster, database) -> int:
    """Rows ever inserted into ValueChange, rolled back or not (PostgreSQL's statistics)."""
    return cluster.sql(
        database, "SELECT n_tup_ins FROM pg_stat_user_tables WHERE relname = 'bcf_dashboard_valuechange'"
    )[0][0]


def applied(cluster, database, batch_rows: int) -> tuple:
    return cluster.sql(
        database,
        """
        SELECT count(*), sum(value) FROM metrics_metricvalue WHERE note = 'interrupted test'
        UNION ALL SELECT count(*), 0 FROM bcf_dashboard_valuechange WHERE batch_id = (
            SELECT max(id) FROM bcf_dashboard_importbatch WHERE rows = %s)""",
        (batch_rows,),
    )


def test_a_killed_import_command_writes_nothing(cluster, tmp_path):
    database = cluster.demo_copy("interrupted")
    content, rows = returns_file(
        cluster,
        database,
        areas=["E09000006", "E09000013", "E09000020", "E09000028", "E09000033"],
        last_year=2032,
        offset=10,
    )
    path = tmp_path / "returns.csv"
    path.write_bytes(content)
    before, inserted = fingerprint(cluster, database, leave_out=NOT_FIGURES), inserted_history_rows(cluster, database)

    process = subprocess.Popen(
        [PYTHON, "manage.py", "import_returns", str(path)],
        cwd=ROOT,
        env=cluster.env(database),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        kill_mid_write(cluster, database, process.pid, lambda: process.poll() is None)
    finally:
        process.kill()
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    cluster.wait_for_no_other_connections(database)

    assert differences(before, fingerprint(cluster, database, leave_out=NOT_FIGURES)) == []
    _assert_rolled_back_history(cluster, database, inserted, rows)

    done = cluster.manage(database, "import_returns", str(path))
    assert f"rows: {rows}," in done.stdout and "unchanged: 0" in done.stdout, done.stdout
    expected_total = sum(10 + n % 50 for n in range(rows))
    assert applied(cluster, database, rows) == [(rows, expected_total), (rows, 0)]


def test_a_worker_killed_while_confirming_an_upload_writes_nothing(cluster, tmp_path):
    database = cluster.demo_copy("interrupted_upload")
    content, rows = returns_file(cluster, database, areas=[BROMLEY], last_year=2060, offset=20)
    with Gunicorn(cluster, database, workers=1, log=tmp_path / "gunicorn.log") as app:
        finance = Browser(app, "bromley.finance")
        page = finance.get(f"/areas/{BROMLEY}/upload/")
        sent = finance.post_file(
            f"/areas/{BROMLEY}/upload/",
            {"csrfmiddlewaretoken": csrf_token(page), "reason": ""},
            name="file",
            file_name="bromley-returns.csv",
            content=content,
        )
        assert sent.status == 302 and "/upload/" in sent.location, sent.text[:500]
        preview_url = sent.location
        preview = finance.get(preview_url)
        assert preview.status == 200
        before = fingerprint(cluster, database, leave_out=NOT_FIGURES)
        inserted = inserted_history_rows(cluster, database)
        assert cluster.sql(database, "SELECT count(*) FROM bcf_dashboard_pendingupload")[0][0] == 1

        confirm = {
            "csrfmiddlewaretoken": csrf_token(preview),
            "previewed": hidden(preview, "previewed"),
            "action": "confirm",
        }
        answers = []
        (worker,) = app.workers()
        poster = threading.Thread(target=lambda: answers.append(_answer(finance, preview_url, confirm)))
        poster.start()
        try:
            kill_mid_write(cluster, database, worker, lambda: poster.is_alive())
        finally:
            poster.join(timeout=60)
        assert answers and answers[0] is None, f"the killed request got no answer, not {answers}"
        cluster.wait_for_no_other_connections(database)
        # The upload is still waiting (its claim rolled back with the rest) and nothing else changed.
        assert differences(before, fingerprint(cluster, database, leave_out=NOT_FIGURES)) == []
        _assert_rolled_back_history(cluster, database, inserted, rows)

        app.wait_healthy()  # gunicorn's master started a new worker by itself
        assert app.workers() and worker not in app.workers()
        preview = finance.get(preview_url)
        assert preview.status == 200 and "bromley-returns.csv" in preview.text
        done = finance.post(
            preview_url,
            {
                "csrfmiddlewaretoken": csrf_token(preview),
                "action": "confirm",
                "previewed": hidden(preview, "previewed"),
            },
        )
        assert done.status == 302 and "/history/" in done.location, done.text[:500]
    assert applied(cluster, database, rows) == [(rows, sum(20 + n % 50 for n in range(rows))), (rows, 0)]
    assert cluster.sql(database, "SELECT count(*) FROM bcf_dashboard_pendingupload")[0][0] == 0


def _answer(browser, url, fields):
    try:
        return browser.post(url, fields).status
    except OSError:  # the worker died: the connection closed without an answer
        return None


def _assert_rolled_back_history(cluster, database, inserted_before, rows):
    """The killed transaction had written its history rows: PostgreSQL counted them, then rolled them back."""
    deadline = time.monotonic() + 10
    while inserted_history_rows(cluster, database) < inserted_before + rows and time.monotonic() < deadline:
        time.sleep(0.1)  # the ended session's statistics reach the shared counters a moment later
    assert inserted_history_rows(cluster, database) >= inserted_before + rows
