"""A national collation checked and applied by the background worker: time, peak memory and progress.

Run by bench/run.py (``--collation-rows``) on the scratch database it built. The file is every area's
actual spend, newest month first, each value a penny more than stored, so every row changes; the
quarters it touches are reopened first (the dataset approves all but the last two years). The upload is
kept and its check queued as the upload page does, then ``manage.py worker --batch`` runs it in a
process of its own, whose high-water mark of resident memory is read as it runs, with the job's
progress, four times a second, as the job's page reads it. The same again for the apply, after the confirmation.
"""

import csv
import io
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PENNY = Decimal("0.01")


def collation_file(rows_wanted: int) -> tuple[bytes, int, set[int]]:
    """Every area's actual spend plus a penny, newest first: (CSV bytes, rows, the years it touches)."""
    from bcf_dashboard.core import periods
    from schemes.models import SchemeValue

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["area_code", "period", "measure", "kind", "value", "note"])
    written, years, codes = 0, set(), {}
    values = (
        SchemeValue.objects.filter(kind="actual", measure="spend")
        .values_list("scheme__area__code", "period__financial_year", "period__number", "scheme__ref", "value")
        .order_by("-period__financial_year", "scheme__area_id", "scheme_id", "period__number")
    )
    for code, year, number, ref, value in values.iterator(chunk_size=20_000):
        month = codes.get((year, number))
        if month is None:
            month = codes[(year, number)] = periods.month(year, number).code
        writer.writerow([code, month, f"spend:{ref}", "actual", f"{value + PENNY:.2f}", "collated"])
        years.add(year)
        written += 1
        if written >= rows_wanted:
            break
    return out.getvalue().encode(), written, years


def _high_water_kib(pid: int) -> int:
    """VmHWM of a running process, in KiB (0 once it has gone)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


@dataclass
class Stage:
    name: str
    seconds: float = 0.0  # the task's own time, from the job's timestamps
    wall: float = 0.0  # from the worker's start to its exit, Django's start-up included
    peak_mib: float = 0.0
    samples: list = field(default_factory=list)  # (seconds since the worker started, rows done, rows in all)


def run_worker_and_watch(job_id: int, stage_name: str, until: set[str]) -> Stage:
    """Run one ``worker --batch`` to the end, reading the job's progress twice a second meanwhile."""
    from bcf_dashboard.returns.models import UploadJob

    stage = Stage(stage_name)
    started = time.perf_counter()
    # Its log goes to a file: a pipe nobody reads until the end fills up and stops the worker mid-queue.
    log = tempfile.TemporaryFile()
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--batch", "--interval", "0.1"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    peak_kib = 0
    while worker.poll() is None:
        # The worker's own high-water mark of resident memory (VmHWM), read while it runs: the kernel's
        # ru_maxrss for a child counts this process's size too, carried over from the fork.
        peak_kib = max(peak_kib, _high_water_kib(worker.pid))
        job = UploadJob.objects.filter(pk=job_id).values("stage", "rows_done", "rows_total").first()
        stage.samples.append((time.perf_counter() - started, job["rows_done"], job["rows_total"], job["stage"]))
        time.sleep(0.25)
    stage.wall = time.perf_counter() - started
    stage.peak_mib = peak_kib / 1024
    job = UploadJob.objects.get(pk=job_id)
    log.seek(0)
    assert job.stage in until, (job.stage, job.error, log.read().decode()[-2000:])
    log.close()
    stage.seconds = (job.finished_at - job.stage_started_at).total_seconds()
    return stage


def drain_queue() -> None:
    """Run what earlier timings queued (the figures each timed save asks for), untimed, so each stage's
    worker runs its own task and what that task queues after it."""
    subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch", "--interval", "0.1"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )


def collation_timings(rows_wanted: int) -> list[Stage]:
    """Make the file, keep it as an upload for several areas, check it and apply it through the worker,
    then the same with a file made afresh, checked and applied in one pass (``at_once``)."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bcf_dashboard.core.models import ImportBatch, QuarterReturn
    from bcf_dashboard.returns import background, uploads
    from bcf_dashboard.returns.models import UploadJob

    staff = get_user_model().objects.get(username="bench.staff")
    drain_queue()
    stages = []
    for at_once in (False, True):
        content, rows, years = collation_file(rows_wanted)
        print(f"Collation file: {rows:,} rows, {len(content) / 1024 / 1024:,.1f} MiB, years {min(years)}-{max(years)}")
        QuarterReturn.objects.filter(financial_year__in=years).update(state=QuarterReturn.State.OPEN)
        pending = uploads.keep(user=staff, area=None, file_name="national.csv", content=content)
        del content
        job = background.start(pending, at_once=at_once)
        if not at_once:
            stages.append(run_worker_and_watch(job.pk, "check", {UploadJob.Stage.CHECKED}))
            job.refresh_from_db()
            assert job.outcome["ok"], job.outcome["errors"][:5]
            background.confirm(job, timezone.now())
        stages.append(
            run_worker_and_watch(job.pk, "check and apply at once" if at_once else "apply", {UploadJob.Stage.APPLIED})
        )
        job.refresh_from_db()
        batch = ImportBatch.objects.get(pk=job.outcome["batch"])
        assert batch.rows == rows and batch.updated == rows, (batch.rows, batch.updated)
    return stages


def print_collation(stages: list[Stage], rows: int) -> None:
    print()
    print(f"National collation of {rows:,} rows through the worker (PostgreSQL):")
    print("| step | task s | worker s (with start-up) | peak memory MiB | progress readings | rows done at 25/50/75% |")
    print("|---|---:|---:|---:|---:|---|")
    for stage in stages:
        readings = [sample for sample in stage.samples if sample[3] in ("checking", "applying")]
        marks = []
        for share in (0.25, 0.5, 0.75):
            moment = stage.wall * share
            before = [sample for sample in stage.samples if sample[0] <= moment]
            marks.append(f"{before[-1][1]:,}" if before else "0")
        print(
            f"| {stage.name} | {stage.seconds:,.1f} | {stage.wall:,.1f} | {stage.peak_mib:,.0f} | "
            f"{len(readings)} | {' / '.join(marks)} |"
        )
    total = sum(stage.seconds for stage in stages)
    print(
        f"Checked and applied in {total:,.1f} s of the worker's time; peak {max(s.peak_mib for s in stages):,.0f} MiB."
    )
