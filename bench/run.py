"""National-scale benchmark: build the dataset in a scratch database and time the engine.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5433/bcf_bench python bench/run.py

The scratch database is dropped and made again (never point it at real data). Prints a
table of median and 95th percentile times; --quick builds a small dataset for a smoke run.
"""

import argparse
import csv
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-only-password"  # the scratch database's users, for the load test's logins
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5433/bcf_bench")
    )
    parser.add_argument("--areas", type=int, default=153)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--max-schemes", type=int, default=100)
    parser.add_argument(
        "--big-areas",
        default="200,400",
        help="areas beyond the national range, by their number of schemes (comma separated; "
        "empty for none): their pages are timed too, to show cost grows with the area only",
    )
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument(
        "--collation-rows",
        type=int,
        default=1_000_000,
        help="rows of the national collation checked and applied by the worker, last (0 for none)",
    )
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="12 areas, 2 years, 20 schemes, 5,000 import rows")
    parser.add_argument("--reuse", action="store_true", help="time the database a previous run built, as it is")
    parser.add_argument("--pages-only", action="store_true", help="leave out the import timings")
    return parser.parse_args()


def recreate_database(url):
    """Drop and create the scratch database (PostgreSQL) or delete the file (SQLite)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        Path(config["NAME"]).unlink(missing_ok=True)
        return
    import psycopg2

    admin = psycopg2.connect(
        dbname="postgres",
        user=config["USER"],
        password=config["PASSWORD"] or None,
        host=config["HOST"],
        port=config["PORT"] or 5432,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def import_file(area_ids, year, rows_wanted):
    """A returns file of actual spend (every value changed) for the largest areas, as CSV bytes.

    Rows come from the latest year first, then the year before, until there are enough.
    """
    from bcf_dashboard.core import periods
    from schemes.models import SchemeValue

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area_code", "period", "measure", "kind", "value", "note"])
    written = 0
    values = (
        SchemeValue.objects.filter(
            scheme__area_id__in=area_ids, period__financial_year__in=[year, year - 1], kind="actual", measure="spend"
        )
        .values_list("scheme__area__code", "period__financial_year", "period__number", "scheme__ref", "value")
        .order_by("-period__financial_year", "scheme__area_id", "scheme_id", "period__number")
    )
    for code, fy, number, ref, value in values.iterator():
        writer.writerow([code, periods.month(fy, number).code, f"spend:{ref}", "actual", f"{value + 1:.2f}", "bench"])
        written += 1
        if written >= rows_wanted:
            break
    return out.getvalue().encode(), written


def big_areas(args) -> list[int]:
    return [int(n) for n in args.big_areas.split(",") if n.strip()]


def main():
    args = parse_args()
    if args.quick:
        args.areas, args.years, args.max_schemes, args.import_rows, args.requests = 12, 2, 20, 5000, 20
        args.collation_rows = min(args.collation_rows, 10_000)
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bcf_dashboard.settings")
    if not args.reuse:
        recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bcf_dashboard.core.models import Area
    from bench import dataset

    years = list(range(2025 - args.years + 1, 2026))
    if not args.reuse:
        call_command("migrate", verbosity=0)
        call_command("load_reference", verbosity=0)
        start = time.perf_counter()
        sizes = dataset.build(areas=args.areas, years=years, max_schemes=args.max_schemes, big_areas=big_areas(args))
        print(f"Built {sizes} on {connection.vendor} in {time.perf_counter() - start:.1f} s", flush=True)
        largest = Area.objects.order_by("-id").first()  # the last area built has the most schemes
        dataset.bench_users(largest, PASSWORD)
        start = time.perf_counter()
        from django.core.management import get_commands

        if "refresh_summaries" in get_commands():
            call_command("refresh_summaries", verbosity=0)
        print(f"Area-year summaries worked out in {time.perf_counter() - start:.1f} s", flush=True)
        settle(connection)
    print(f"Load average before timing: {os.getloadavg()[0]:.2f} (2 cores)", flush=True)
    before = machine_speed()
    as_the_server_runs()
    results = page_timings(args, years[-1])
    if not args.pages_only:
        results += import_timings(args, years[-1])
    print_table(results, args)
    if not args.pages_only and args.collation_rows:
        from bench.collation import collation_timings, print_collation

        # Last: it reopens the quarters of the years it touches, and its values stay a penny up.
        print_collation(collation_timings(args.collation_rows), args.collation_rows)
    print(
        f"Machine speed: a fixed Python workload took {before:.1f} ms before the timings and "
        f"{machine_speed():.1f} ms after (median of 9; lower is faster). A shared virtual machine's speed "
        "drifts by more than the code's changes: compare runs only at similar speeds."
    )


def as_the_server_runs():
    """What bin/gunicorn.conf.py does in each worker once the app is loaded: everything loaded so far
    (here the benchmark's dataset too) moves out of the garbage collector's sight, so that a full
    collection during a page walks only what that page made."""
    import gc

    gc.collect()
    gc.freeze()


def machine_speed() -> float:
    """Milliseconds for a fixed pure-Python workload, median of nine: how fast the machine is right now."""
    import statistics

    samples = []
    for _ in range(9):
        start = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def settle(connection):
    """Time a database in its steady state, not straight after a bulk load: a table just filled by
    COPY has no visibility map and no hint bits (its first readers write every page they touch)
    and autovacuum would start on it in the middle of the timings."""
    if connection.vendor != "postgresql":
        return
    start = time.perf_counter()
    with connection.cursor() as cursor:  # autocommit: VACUUM cannot run inside a transaction
        cursor.execute("VACUUM (ANALYZE)")
        cursor.execute("CHECKPOINT")
    print(f"Vacuumed and checkpointed in {time.perf_counter() - start:.1f} s", flush=True)


def page_timings(args, year):
    """Every page, logged in through Django's test Client: the server's time for a whole request."""
    import re

    from django.contrib.auth import get_user_model
    from django.urls import NoReverseMatch, reverse

    from bcf_dashboard.core import periods
    from bcf_dashboard.core.models import Area
    from bench.pages import logged_in, time_get, time_post

    users = get_user_model().objects
    staff, finance = logged_in(users.get(username="bench.staff")), logged_in(users.get(username="bench.finance"))
    largest = Area.objects.order_by("-id").first()
    schemes = largest.schemes.count()
    n = args.requests
    from bcf_dashboard.dashboards.views import AREAS_PER_PAGE

    listed = f"{args.areas} areas, {AREAS_PER_PAGE} a page"
    pages = [
        ("overview, staff: all areas", staff, reverse("home"), listed),
        ("overview, one area's finance officer", finance, reverse("home"), "1 area"),
        ("area-year dashboard", finance, reverse("area_year", args=[largest.code, year]), f"{schemes} schemes"),
        ("scheme page", finance, reverse("scheme", args=[largest.code, "S1"]) + f"?year={year}", "with history"),
        ("comparison, staff: NEA across all areas", staff, reverse("compare") + "?metric=NEA", listed),
        ("metric page", finance, reverse("metric", args=[largest.code, "NEA"]), f"{args.years} years"),
        ("summary JSON", finance, reverse("summary_json", args=[largest.code, year]), f"{schemes} schemes"),
    ]
    try:  # the quarterly summary page, where that feature is installed
        pages.append(("quarterly summary", finance, reverse("quarter_summary", args=[largest.code, year, 3]), "Q3"))
    except NoReverseMatch:
        pass
    month = periods.month(year, 10)  # in the latest year's open quarter
    entry_url = reverse("entry", args=[largest.code, month.code])
    pages.append(("monthly entry form (GET)", finance, entry_url, f"{schemes} schemes"))
    results = [time_get(label, client, url, requests=n, notes=notes) for label, client, url, notes in pages]
    scheme_id = largest.schemes.get(ref="S1").id

    def entry_data(i):
        page = finance.get(entry_url).content.decode()
        state = re.search(r'name="state" value="([^"]+)"', page).group(1)
        stored = re.search(rf'name="spend-{scheme_id}"[^>]*value="([^"]*)"', page).group(1)
        return {"state": state, f"spend-{scheme_id}": f"{float(stored or 0) + 1 + i % 7:.2f}"}

    results.append(
        time_post(
            "monthly entry form save (one figure)",
            finance,
            entry_url,
            entry_data,
            requests=n,
            notes="through the import's checks",
        )
    )
    for count in big_areas(args):
        big = Area.objects.filter(name=f"Big area of {count} schemes").first()
        if big is None:  # a reused database built without it
            continue
        for label, url in (
            ("area-year dashboard", reverse("area_year", args=[big.code, year])),
            ("scheme page", reverse("scheme", args=[big.code, "S1"]) + f"?year={year}"),
            ("summary JSON", reverse("summary_json", args=[big.code, year])),
            ("quarterly summary", reverse("quarter_summary", args=[big.code, year, 3])),
        ):
            results.append(
                time_get(f"{label}, area of {count} schemes", staff, url, requests=n, notes=f"{count} schemes")
            )
    return results


def import_timings(args, year):
    """Each import timed ``IMPORT_RUNS`` times: median and slowest. Every apply gets a file made
    afresh from the stored values plus one penny, so each run changes every row."""
    import statistics

    from bcf_dashboard.core.models import Area
    from bcf_dashboard.returns.services import import_returns
    from bench.pages import Timing

    areas_by_size = list(Area.objects.order_by("-id").values_list("id", flat=True))
    samples = {"check": [], "apply": [], "again": []}
    outcome = {}
    for _ in range(IMPORT_RUNS):
        content, rows = import_file(areas_by_size, year, args.import_rows)
        for step, dry_run in (("check", True), ("apply", False), ("again", False)):
            start = time.perf_counter()
            result = import_returns(content=content, file_name="bench.csv", dry_run=dry_run)
            samples[step].append((time.perf_counter() - start) * 1000)
            assert result.ok, result.errors[:5]
            outcome[step] = f"{result.created} new, {result.updated} changed, {result.unchanged} unchanged"
    labels = {
        "check": "import (validate only, dry run)",
        "apply": "import (validate and apply)",
        "again": "import again (no-op)",
    }
    return [
        Timing(
            f"{labels[step]}: {rows:,} rows",
            statistics.median(times),
            max(times),
            notes=f"{outcome[step]}; median and slowest of {IMPORT_RUNS}",
        )
        for step, times in samples.items()
    ]


IMPORT_RUNS = 3


def print_table(results, args):
    def num(value, digits=1):
        return "" if value is None else f"{value:,.{digits}f}"

    def ratio(t):
        return "" if t is None or t.ratio is None else f"{t.ratio:,.1f}×"

    print()
    print(
        "| page | median ms | p95 ms | queries | SQL floor ms | ÷ floor | cold median ms | cold p95 ms | "
        "cold queries | cold floor ms | cold ÷ floor | unstored median ms | unstored p95 ms | notes |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for t in results:
        c, u = t.cold, t.unstored
        print(
            f"| {t.label} | {num(t.median)} | {num(t.p95)} | {'' if t.queries is None else t.queries} | "
            f"{num(t.floor, 2)} | {ratio(t)} | {num(c and c.median)} | {num(c and c.p95)} | "
            f"{'' if c is None else c.queries} | {num(c and c.floor, 2)} | {ratio(c)} | "
            f"{num(u and u.median)} | {num(u and u.p95)} | {t.notes} |"
        )
    print(
        f"\n({args.areas} areas, {args.years} years, up to {args.max_schemes} schemes an area; "
        f"{args.requests} timed requests after a warm-up; load average {os.getloadavg()[0]:.2f} on "
        f"{os.cpu_count()} cores. Cold: the same page with no cache, as on the first view after a write, "
        "the area-year's figures stored by the write or the worker; unstored: cold, and the figures worked "
        "out by the engine.)"
    )


if __name__ == "__main__":
    main()
