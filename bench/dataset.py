"""Build a national-scale dataset fast: 153 areas, ten years, up to 100 schemes an area.

Monthly values (about two million rows) go in with PostgreSQL's COPY; the few
thousand areas, schemes and budgets with bulk_create. SQLite gets bulk_create
throughout, for a small smoke run.
"""

import io
import random
from decimal import Decimal

from django.db import connection

from bcf_dashboard import periods
from bcf_dashboard.models import Area, Partner, Period, Population
from funding.models import Contribution, FundingRequirement, FundingSource, RiskShareTerms
from metrics.models import MetricDefinition, MetricValue
from schemes.models import Scheme, SchemeValue, SchemeYear

SCHEME_TYPES = [c.value for c in Scheme.Type if c.value != "contingency"]
SPENDS = [c.value for c in Scheme.AreaOfSpend]


def schemes_for(index: int, areas: int, max_schemes: int) -> int:
    """From 5 schemes for the smallest area to ``max_schemes`` for the largest."""
    return 5 + (max_schemes - 5) * index // max(1, areas - 1)


def copy_or_bulk(model, fields, rows, batch=5000):
    """Insert ``rows`` (tuples in ``fields`` order, database values) as quickly as the backend allows."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO()
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
            buffer.write("\n")
        buffer.seek(0)
        columns = [model._meta.get_field(f).column for f in fields]
        with connection.cursor() as cursor:
            cursor.cursor.copy_from(buffer, model._meta.db_table, columns=columns)
        return
    objects = []
    for row in rows:
        objects.append(model(**dict(zip(fields, row))))
        if len(objects) >= batch:
            model.objects.bulk_create(objects)
            objects = []
    model.objects.bulk_create(objects)


def build(*, areas: int, years: list[int], max_schemes: int, seed: int = 2017) -> dict:
    rng = random.Random(seed)
    found = Period.ensure_years(years)
    months = {(y, n): found[periods.month(y, n).code].id for y in years for n in range(1, 13)}
    year_periods = {y: found[periods.year_label(y)].id for y in years}
    nhs = FundingSource.objects.get(code="nhs-minimum")
    ccg = Partner.objects.create(code="BENCH-CCG", name="Bench ICB", kind="icb")
    created_areas = Area.objects.bulk_create(
        [Area(code=f"E09{900000 + i:06d}"[:9], name=f"Bench area {i:03d}", region=["London", "North West",
              "South East", "Midlands"][i % 4]) for i in range(areas)])
    Population.objects.bulk_create([Population(area=a, year=y, band=band, population=pop)
                                    for a in created_areas for y in years
                                    for band, pop in (("all", 300000), ("18+", 240000), ("65+", 50000))])
    schemes = []
    for i, area in enumerate(created_areas):
        for n in range(schemes_for(i, areas, max_schemes)):
            schemes.append(Scheme(area=area, ref=f"S{n + 1}", name=f"Scheme {n + 1} of {area.name}",
                                  scheme_type=SCHEME_TYPES[n % len(SCHEME_TYPES)], area_of_spend=SPENDS[n % len(SPENDS)],
                                  commissioner="nhs", la_share_pct=0, nhs_share_pct=100, funding_source=nhs))
    Scheme.objects.bulk_create(schemes, batch_size=5000)
    schemes = list(Scheme.objects.filter(area__in=created_areas).only("id", "area_id"))
    budgets = {s.id: Decimal(rng.randrange(120, 2400) * 1000) for s in schemes}
    SchemeYear.objects.bulk_create([SchemeYear(scheme_id=sid, financial_year=y, budget=b)
                                    for sid, b in budgets.items() for y in years], batch_size=5000)
    by_area: dict[int, Decimal] = {}
    for s in schemes:
        by_area[s.area_id] = by_area.get(s.area_id, Decimal(0)) + budgets[s.id]
    Contribution.objects.bulk_create([Contribution(area_id=aid, financial_year=y, partner=ccg, source=nhs,
                                                   amount=total) for aid, total in by_area.items() for y in years])
    FundingRequirement.objects.bulk_create([FundingRequirement(area_id=aid, financial_year=y, nhs_minimum=total)
                                            for aid, total in by_area.items() for y in years])
    RiskShareTerms.objects.bulk_create([RiskShareTerms(area=a, financial_year=y, planned_nea_reduction=800,
                                                       cost_per_admission=Decimal("2795.43"), contingency=1_000_000)
                                        for a in created_areas for y in years])

    def scheme_rows():
        for s in schemes:
            month_pence = int(budgets[s.id]) * 100 // 12
            for y in years:
                for n in range(1, 13):
                    pid = months[(y, n)]
                    yield (s.id, pid, "spend", "plan", month_pence, "", "2026-01-01 00:00:00+00")
                    yield (s.id, pid, "spend", "actual", month_pence + rng.randrange(-5000_00, 5000_00), "",
                           "2026-01-01 00:00:00+00")
    copy_or_bulk(SchemeValue, ["scheme_id", "period_id", "measure", "kind", "value", "note", "updated_at"],
                 scheme_rows())

    metrics = {m.code: m.id for m in MetricDefinition.objects.filter(code__in=["NEA", "DTOC", "RES", "REA"])}
    plans = {"NEA": 1300, "DTOC": 9, "RES": 10, "REA": 88}

    def metric_rows():
        for a in created_areas:
            for y in years:
                for code, base in plans.items():
                    yield (a.id, metrics[code], year_periods[y], "plan", base * 12 if code in ("NEA", "RES") else base,
                           "", "2026-01-01 00:00:00+00")
                    for n in range(1, 13):
                        pid = months[(y, n)]
                        yield (a.id, metrics[code], pid, "plan", base, "", "2026-01-01 00:00:00+00")
                        yield (a.id, metrics[code], pid, "actual", round(base * rng.uniform(0.95, 1.05), 2), "",
                               "2026-01-01 00:00:00+00")
    copy_or_bulk(MetricValue, ["area_id", "metric_id", "period_id", "kind", "value", "note", "updated_at"],
                 metric_rows())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"areas": len(created_areas), "schemes": len(schemes), "years": len(years),
            "scheme_values": SchemeValue.objects.count(), "metric_values": MetricValue.objects.count()}
