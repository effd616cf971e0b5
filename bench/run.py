"""National-scale benchmark: build the dataset in a scratch database and time the engine.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bcf_bench python bench/run.py

The scratch database is dropped and made again (never point it at real data). Prints a
table of median and 95th percentile times; --quick builds a small dataset for a smoke run.
"""

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 "postgres://postgres@127.0.0.1:5432/bcf_bench"))
    parser.add_argument("--areas", type=int, default=153)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--max-schemes", type=int, default=100)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--quick", action="store_true", help="12 areas, 2 years, 20 schemes, 5,000 import rows")
    return parser.parse_args()


def recreate_database(url):
    """Drop and create the scratch database (PostgreSQL) or delete the file (SQLite)."""
    import dj_database_url

    config = dj_database_url.parse(url)
    if config["ENGINE"].endswith("sqlite3"):
        Path(config["NAME"]).unlink(missing_ok=True)
        return
    import psycopg2

    admin = psycopg2.connect(dbname="postgres", user=config["USER"], password=config["PASSWORD"] or None,
                             host=config["HOST"], port=config["PORT"] or 5432)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def timed(fn, *, requests, warmup=5):
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(requests):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(round(0.95 * len(samples))) - 1)]


def import_file(area_ids, year, rows_wanted):
    """A returns file of actual spend (every value changed) for the largest areas, as CSV bytes.

    Rows come from the latest year first, then the year before, until there are enough.
    """
    from bcf_dashboard import periods
    from schemes.models import SchemeValue

    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["area_code", "period", "measure", "kind", "value", "note"])
    written = 0
    values = (SchemeValue.objects.filter(scheme__area_id__in=area_ids, period__financial_year__in=[year, year - 1],
                                         kind="actual", measure="spend")
              .values_list("scheme__area__code", "period__financial_year", "period__number", "scheme__ref", "value")
              .order_by("-period__financial_year", "scheme__area_id", "scheme_id", "period__number"))
    for code, fy, number, ref, value in values.iterator():
        writer.writerow([code, periods.month(fy, number).code, f"spend:{ref}", "actual", f"{value + 1:.2f}",
                         "bench"])
        written += 1
        if written >= rows_wanted:
            break
    return out.getvalue().encode(), written


def main():
    args = parse_args()
    if args.quick:
        args.areas, args.years, args.max_schemes, args.import_rows, args.requests = 12, 2, 20, 5000, 20
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bcf_dashboard.settings")
    recreate_database(args.database_url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from bcf_dashboard.models import Area
    from bcf_dashboard.returns.services import import_returns
    from bcf_dashboard.summary import area_year_summary, summary_document

    from bench import dataset

    call_command("migrate", verbosity=0)
    call_command("load_reference", verbosity=0)
    years = list(range(2025 - args.years + 1, 2026))
    start = time.perf_counter()
    sizes = dataset.build(areas=args.areas, years=years, max_schemes=args.max_schemes)
    build_seconds = time.perf_counter() - start
    print(f"Built {sizes} on {connection.vendor} in {build_seconds:.1f} s")

    results = []
    latest = years[-1]
    largest = Area.objects.order_by("-id").first()  # the last area built has the most schemes
    areas_by_size = list(Area.objects.order_by("-id").values_list("id", flat=True))
    content, rows = import_file(areas_by_size, latest, args.import_rows)
    for label, dry_run in (("import (validate only, dry run)", True), ("import (validate and apply)", False),
                           ("import again (no-op)", False)):
        start = time.perf_counter()
        result = import_returns(content=content, file_name="bench.csv", dry_run=dry_run)
        seconds = time.perf_counter() - start
        assert result.ok, result.errors[:5]
        results.append((f"{label}: {rows:,} rows", seconds * 1000, None,
                        f"{result.created} new, {result.updated} changed, {result.unchanged} unchanged"))

    def summary():
        summary_document(area_year_summary(largest, latest))

    with CaptureQueriesContext(connection) as ctx:
        summary()
    median, p95 = timed(summary, requests=args.requests)
    schemes = largest.schemes.count()
    results.append((f"summary selector + JSON, {schemes} schemes", median, p95, f"{len(ctx.captured_queries)} queries"))
    reset_queries()
    print_table(results, args)


def print_table(results, args):
    print()
    print(f"| measure | median ms | p95 ms | notes |")
    print("|---|---:|---:|---|")
    for label, median, p95, notes in results:
        p95_text = f"{p95:,.1f}" if p95 is not None else ""
        print(f"| {label} | {median:,.1f} | {p95_text} | {notes} |")
    print(f"\n({args.areas} areas, {args.years} years, up to {args.max_schemes} schemes an area, "
          f"{args.requests} timed requests after 5 warm-up)")


if __name__ == "__main__":
    main()
