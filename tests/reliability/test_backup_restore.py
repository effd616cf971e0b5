"""A backup taken and restored with docs/deployment.md's own commands gives back the same figures and history.

The commands are read from the document's "Backups and restore" section and run as written
(only the placeholders filled in), so the document and this test cannot drift apart.
"""

import os
import re
import subprocess

import pytest

from tests.reliability.cluster import PYTHON, ROOT, differences, fingerprint

pytestmark = pytest.mark.reliability

AREA, YEAR = "E09000006", 2016


def documented_commands() -> list[str]:
    text = (ROOT / "docs" / "deployment.md").read_text()
    section = text.split("\n## Backups and restore\n", 1)[1].split("\n## ", 1)[0]
    return [
        line.strip()
        for block in re.findall(r"```\n(.*?)```", section, re.S)
        for line in block.splitlines()
        if line.strip()
    ]


def spend_file(refs, months, offset) -> bytes:
    lines = ["area_code,period,measure,kind,value,note"]
    for month in months:
        lines += [
            f"{AREA},{month},spend:{ref},actual,{offset + i * 10}.{i:02d},backup test" for i, ref in enumerate(refs)
        ]
    return ("\n".join(lines) + "\n").encode()


def test_a_restored_backup_has_the_same_totals_and_history(cluster, tmp_path):
    source = cluster.demo_copy("backup_source")
    refs = [
        ref
        for (ref,) in cluster.sql(
            source,
            """
        SELECT s.ref FROM schemes_scheme s JOIN schemes_schemeyear y ON y.scheme_id = s.id
        JOIN bcf_dashboard_area a ON a.id = s.area_id WHERE a.code = %s AND y.financial_year = %s
        ORDER BY s.ref""",
            (AREA, YEAR),
        )
    ]
    months = ["2016-04", "2016-05", "2016-06", "2016-07"]
    # History to carry over: a finance officer's import, then an operator's changing every figure again.
    for name, offset, user in (("first.csv", 1000, ["--user", "bromley.finance"]), ("second.csv", 2000, [])):
        (tmp_path / name).write_bytes(spend_file(refs, months, offset))
        cluster.manage(source, "import_returns", str(tmp_path / name), *user)
    changes, batches = cluster.sql(
        source,
        "SELECT (SELECT count(*) FROM bcf_dashboard_valuechange), (SELECT count(*) FROM bcf_dashboard_importbatch)",
    )[0]
    assert changes >= 2 * len(refs) * len(months) and batches >= 3

    commands = documented_commands()
    assert [line.split()[0] for line in commands][:3] == ["pg_dump", "createdb", "pg_restore"], commands
    restored = re.search(r"^createdb (\S+)$", commands[1]).group(1)
    server = cluster.url("")[:-1]
    env = {
        **cluster.env(source),
        "PATH": f"{cluster.bin}:{os.environ['PATH']}",
        "PGHOST": "127.0.0.1",
        "PGPORT": str(cluster.port),
        "PGUSER": "postgres",
    }
    dump = None
    for line in commands:
        line = line.replace("postgres://…/", f"{server}/").replace("manage.py", f"{PYTHON} {ROOT / 'manage.py'}")
        if dump is not None:
            line = re.sub(r"bcf-\d{4}-\d{2}-\d{2}\.dump", dump, line)
        done = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        if line.startswith("pg_dump"):
            dumps = [path.name for path in tmp_path.glob("bcf-*.dump")]
            assert len(dumps) == 1, dumps
            dump = dumps[0]

    assert fingerprint(cluster, source) == fingerprint(cluster, restored), differences(
        fingerprint(cluster, source), fingerprint(cluster, restored)
    )
    sequences = "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1"
    assert cluster.sql(source, sequences) == cluster.sql(restored, sequences), "new rows get new ids"
    # The restored copy takes new figures as the original would.
    (tmp_path / "third.csv").write_bytes(spend_file(refs, months, 3000))
    assert "created: 0" in cluster.manage(restored, "import_returns", str(tmp_path / "third.csv")).stdout

    # The script docs/deployment.md names does the same and compares its own list of totals.
    script = subprocess.run(
        ["bash", str(ROOT / "bench" / "backup_restore.sh"), cluster.url(source), "bcf_restore_check"],
        env={**env, "PGBIN": str(cluster.bin)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert script.returncode == 0 and "matches the source" in script.stdout, script.stdout + script.stderr
