"""How far the dashboard's year-end projections fall from the year's outturn: the backtest table.

    python bench/backtest.py                       # the demo data, in a scratch SQLite file
    BENCH_DATABASE_URL=postgres://... python bench/backtest.py   # the national benchmark dataset

Every complete year (twelve monthly actuals) of every area's metrics is projected from its first
3, 6 and 9 months exactly as the dashboard projects (``metrics.foresight``: the area's earlier
complete years as seasonal history, else the year's monthly plan, else the run rate), and the
error against the year's actual year-end is pooled by metric. The table gives the median and the
worst absolute error in percent at each horizon, and how many years were tested. The benchmark
database is only read (build it first with ``bench/run.py``).
"""

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

HORIZONS = (3, 6, 9)
NATIONAL = "National metrics"
EVERY = "All metrics"


def run(area_ids=None) -> dict:
    """{label: PooledBacktest}: one row per metric code, then the national metrics and all of them pooled."""
    from metrics.foresight import pooled_backtest
    from metrics.models import MetricDefinition
    from metrics.selectors import metric_series

    definitions = {d.id: d for d in MetricDefinition.objects.all()}
    by_metric: dict = {}
    for (_, metric_id), years in metric_series(area_ids).items():
        d = definitions[metric_id]
        pro_rate = d.rollup == "sum"
        plans = {}
        for year, found in years.items():
            months = [found["plan"].month_plan(n, pro_rate=pro_rate) for n in range(1, 13)]
            plans[year] = None if any(v is None for v in months) else months
        series = (d.rollup, {y: found["actual"] for y, found in years.items()}, plans)
        by_metric.setdefault(d, []).append(series)
    rows = {}
    for d in sorted(by_metric, key=lambda d: (d.area_id is not None, d.display_order, d.code)):
        found = pooled_backtest(by_metric[d], horizons=HORIZONS)
        if any(found.years(h) for h in HORIZONS):
            rows[d.code] = found
    national = [s for d, series in by_metric.items() if d.area_id is None for s in series]
    rows[NATIONAL] = pooled_backtest(national, horizons=HORIZONS)
    rows[EVERY] = pooled_backtest([s for series in by_metric.values() for s in series], horizons=HORIZONS)
    return rows


def table(rows: dict) -> str:
    """The rows as a plain-text table: median / worst absolute error (percent) at 3, 6 and 9 months."""
    head = f"{'metric':<28}{'years':>6}" + "".join(f"{f'{h} months: median':>19}{'worst':>8}" for h in HORIZONS)
    lines = [head, "-" * len(head)]
    for label, found in rows.items():
        cells = []
        for h in HORIZONS:
            median, worst = found.median(h), found.worst(h)
            cells.append(f"{'-' if median is None else f'{median}%':>19}{'-' if worst is None else f'{worst}%':>8}")
        lines.append(f"{label[:27]:<28}{found.years(HORIZONS[0]):>6}" + "".join(cells))
    return "\n".join(lines)


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bcf_dashboard.settings")
    url = os.environ.get("BENCH_DATABASE_URL")
    scratch = None
    if url:
        os.environ["DATABASE_URL"] = url
        source = "the national benchmark dataset"
    else:
        scratch = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)
        os.environ["DATABASE_URL"] = f"sqlite:///{scratch.name}"
        source = "the demo data"
    import django

    django.setup()
    from django.core.management import call_command

    if scratch is not None:
        call_command("migrate", verbosity=0)
        call_command("load_demo", stdout=open(os.devnull, "w"))
    print(
        f"Backtest of year-end projections on {source}: absolute error of the projection made from the "
        "first 3, 6 and 9 months against the year's actual, in percent"
    )
    print(table(run()))
    if scratch is not None:
        Path(scratch.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()
