"""bandit over the application code: no high-severity finding at all, and every medium one accepted
on its own line with ``# nosec BXXX  # why it is safe`` (bandit reads the test ids before the second
``#``, separated by spaces: of a comma list it honours only the last; the reason after it is for the
reader, and this test requires one)."""

import functools
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = ["bcf_dashboard", "schemes", "metrics", "funding", "bench"]
# ``# nosec B608 B703  # the reason``: ids, then a comment of its own with at least two words.
JUSTIFIED = re.compile(r"#\s*nosec:?\s*(?P<tests>[^#]*)#\s*(?P<why>\S+\s+\S.*)$")


@functools.cache
def report() -> dict:
    """Every finding, those accepted with ``# nosec`` included, with the settings in pyproject.toml."""
    done = subprocess.run(
        [sys.executable, "-m", "bandit", "-c", "pyproject.toml", "-r", *CODE, "-q", "-f", "json", "--ignore-nosec"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stdout, f"bandit did not run: {done.stderr[-2000:]}"
    found = json.loads(done.stdout)
    assert not found["errors"], found["errors"]
    return found


def accepted(finding) -> bool:
    """A nosec naming this test, with a reason, on a line of the flagged statement."""
    lines = (ROOT / finding["filename"]).read_text().splitlines()
    for number in finding["line_range"]:
        match = JUSTIFIED.search(lines[number - 1])
        if match and finding["test_id"] in match["tests"].split():
            return True
    return False


def where(finding) -> str:
    line = (ROOT / finding["filename"]).read_text().splitlines()[finding["line_number"] - 1].strip()
    return f"{finding['filename']}:{finding['line_number']} {finding['test_id']} {finding['issue_text']}\n    {line}"


def test_no_high_and_every_medium_finding_is_accepted_with_a_reason():
    found = report()["results"]
    high = [f for f in found if f["issue_severity"] == "HIGH"]
    assert not high, "High-severity findings (fix them; they cannot be accepted):\n" + "\n".join(map(where, high))
    unexplained = [f for f in found if f["issue_severity"] == "MEDIUM" and not accepted(f)]
    assert not unexplained, (
        "Medium-severity findings: fix them, or if safe say why on the flagged line as "
        "'# nosec BXXX  # reason':\n" + "\n".join(map(where, unexplained))
    )


def test_the_scan_covers_the_code_and_leaves_out_tests_and_migrations():
    scanned = [name for name in report()["metrics"] if name != "_totals"]
    assert {name.split("/")[0] for name in scanned} == set(CODE)
    assert "bcf_dashboard/returns/writing.py" in scanned
    assert not [name for name in scanned if "/migrations/" in name or name.startswith("tests/")]
