"""A throwaway PostgreSQL cluster for the reliability tests, and the app's commands run against it.

The cluster lives in a temporary directory on a free loopback port, owned by the postgres
user (initdb refuses root), exactly as ``.ci/run`` makes its own. The demo data is loaded
once into a template database; each test copies it (``CREATE DATABASE ... TEMPLATE``), so
the tests share the slow part and never see each other's writes.
"""

import importlib.util
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
HOST = "127.0.0.1"  # loopback only
DEMO_TEMPLATE = "bcf_demo"
DEMO_PASSWORD = "better-care-demo"
# Written by page views and sign-ins, not by the figures: left out of "nothing was written".
NOT_FIGURES = ("django_session", "bcf_cache", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog")


def pg_bin() -> Path | None:
    """The newest PostgreSQL server's binaries (Debian's layout), or $PGBIN."""
    if os.environ.get("PGBIN"):
        return Path(os.environ["PGBIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


def missing_requirements() -> list[str]:
    missing = []
    if os.geteuid() != 0:
        missing.append("root (the cluster is made as the postgres user through runuser)")
    if not shutil.which("runuser"):
        missing.append("runuser (util-linux)")
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        missing.append("the postgres system user")
    if pg_bin() is None or not (pg_bin() / "initdb").exists():
        missing.append("PostgreSQL's server binaries (apt-get install postgresql)")
    if importlib.util.find_spec("gunicorn") is None:
        missing.append("gunicorn")
    return missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class Cluster:
    def __init__(self):
        self.bin = pg_bin()
        self.dir = Path(tempfile.mkdtemp(prefix="bcf-reliability-"))
        self.data = self.dir / "data"
        self.port = free_port()
        shutil.chown(self.dir, "postgres", "postgres")
        self.as_postgres("initdb", "--no-sync", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8")
        self.start()

    def as_postgres(self, program, *args, timeout=120):
        return subprocess.run(
            ["runuser", "-u", "postgres", "--", str(self.bin / program), *args],
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self):
        # fsync off: nothing here survives the machine, and a restart keeps every commit without it (the
        # WAL is written before a commit answers, only not forced to disk); synchronous_commit stays on.
        # No autovacuum: nothing of its own in the databases while the tests copy and fingerprint them.
        options = f"-h {HOST} -p {self.port} -k {self.dir} -c fsync=off -c autovacuum=off"
        self.as_postgres(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.dir / "server.log"), "-w", "start"
        )

    def stop(self, mode="fast"):
        """``fast``: roll back every open transaction and end every connection, as a restart does."""
        self.as_postgres("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def destroy(self):
        try:
            self.stop("immediate")
        except subprocess.CalledProcessError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, database: str) -> str:
        return f"postgres://postgres@{HOST}:{self.port}/{database}"

    def connect(self, database: str):
        connection = psycopg2.connect(host=HOST, port=self.port, user="postgres", dbname=database)
        connection.autocommit = True
        return connection

    def sql(self, database: str, statement: str, params=()) -> list[tuple]:
        connection = self.connect(database)
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def create_database(self, name: str, *, template: str = "template0") -> str:
        self.sql("postgres", f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def demo_copy(self, name: str) -> str:
        """A fresh database holding the demo data: a copy of the template loaded once."""
        return self.create_database(name, template=DEMO_TEMPLATE)

    def env(self, database: str, **extra) -> dict:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REPLICA_DATABASE_URL", "CACHE_URL", "BCF_PRODUCTION", "DEBUG"}
        }
        env.update({"DATABASE_URL": self.url(database), "DJANGO_SETTINGS_MODULE": "bcf_dashboard.settings", **extra})
        return env

    def manage(self, database: str, *args, timeout=180, **extra_env) -> subprocess.CompletedProcess:
        """``manage.py ARGS`` against ``database``; fails the test with its output if it fails."""
        done = subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env(database, **extra_env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise AssertionError(f"manage.py {' '.join(args)} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
        return done

    def load_demo_template(self):
        self.create_database(DEMO_TEMPLATE)
        self.manage(DEMO_TEMPLATE, "migrate", "--noinput", "-v0")
        self.manage(DEMO_TEMPLATE, "load_demo", DJANGO_SETTINGS_MODULE="tests.reliability.quick_hashing")
        # The production settings serve hashed, compressed static files: collected once, as at a release.
        self.manage(DEMO_TEMPLATE, "collectstatic", "--noinput", "-v0", **production_env())

    def wait_for_no_other_connections(self, database: str, seconds=30):
        """Until every other session on ``database`` has ended (a killed client's backend rolls back first)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            left = self.sql(
                database,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
            )[0][0]
            if not left:
                return
            time.sleep(0.05)
        raise AssertionError(f"sessions on {database} still open after {seconds} s")


def production_env() -> dict:
    """As docs/deployment.md: production settings, persistent connections with health checks."""
    return {
        "BCF_PRODUCTION": "1",
        "DEBUG": "0",
        "SECRET_KEY": "reliability-" + secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": HOST,
        "CONN_MAX_AGE": "60",
    }


def tables(cluster: Cluster, database: str) -> list[str]:
    return [
        name
        for (name,) in cluster.sql(
            database, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
    ]


def fingerprint(cluster: Cluster, database: str, *, leave_out=()) -> dict[str, tuple]:
    """Every table: its row count, the total of each numeric column (money is BIGINT pence), a digest of its rows."""
    numeric = {}
    for table, column in cluster.sql(
        database,
        """
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'public' AND data_type IN ('smallint', 'integer', 'bigint', 'numeric', 'real',
                                                              'double precision')
            ORDER BY table_name, ordinal_position""",
    ):
        numeric.setdefault(table, []).append(column)
    found = {}
    for table in tables(cluster, database):
        if table in leave_out:
            continue
        totals = "".join(f', coalesce(sum(t."{column}"), 0)' for column in numeric.get(table, []))
        row = cluster.sql(
            database,
            f"SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), "
            f"'')){totals} FROM \"{table}\" t",
        )[0]
        found[table] = tuple(row)
    return found


def differences(before: dict, after: dict) -> list[str]:
    return [
        f"{table}: {before.get(table)} -> {after.get(table)}"
        for table in sorted(set(before) | set(after))
        if before.get(table) != after.get(table)
    ]
