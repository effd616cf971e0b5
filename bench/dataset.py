"""Build a national-scale dataset fast: 153 areas, ten years, up to 100 schemes an area.

Monthly values (about two million rows) and their history (one ``ValueChange`` per
actual, as if every month's return had been uploaded) go in with PostgreSQL's COPY; the
few thousand areas, schemes, budgets, quarter returns and batches with bulk_create.
SQLite gets bulk_create throughout, for a small smoke run. Every past quarter is
approved but those of the last two years, which are open (the import timings write to them).
"""

import io
import json
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import connection

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import (
    Area,
    ImportBatch,
    Membership,
    Partner,
    Period,
    Population,
    QuarterReturn,
    ValueChange,
)
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
            buffer.write("\t".join("\\N" if v is None else _copy_text(v) for v in row))
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


def _copy_text(value) -> str:
    """A value in COPY's text format: backslash, tab and line ends escaped (JSON documents have them)."""
    text = str(value)
    if type(value) is str and ("\\" in text or "\t" in text or "\n" in text or "\r" in text):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def build(*, areas: int, years: list[int], max_schemes: int, big_areas=(), seed: int = 2017) -> dict:
    """The national dataset: ``areas`` areas of 5 to ``max_schemes`` schemes, and before them one area for
    each number in ``big_areas`` with that many schemes (beyond the national range: a page's cost must
    grow with its own area's data only). The regular areas come last, so the largest of them keeps the
    highest id."""
    rng = random.Random(seed)
    found = Period.ensure_years(years)
    months = {(y, n): found[periods.month(y, n).code].id for y in years for n in range(1, 13)}
    year_periods = {y: found[periods.year_label(y)].id for y in years}
    nhs = FundingSource.objects.get(code="nhs-minimum")
    ccg = Partner.objects.create(code="BENCH-CCG", name="Bench ICB", kind="icb")
    big = [Area(code=f"E08{800000 + n:06d}"[:9], name=f"Big area of {n} schemes", region="London") for n in big_areas]
    created_areas = Area.objects.bulk_create(
        big
        + [
            Area(
                code=f"E09{900000 + i:06d}"[:9],
                name=f"Bench area {i:03d}",
                region=["London", "North West", "South East", "Midlands"][i % 4],
            )
            for i in range(areas)
        ]
    )
    scheme_counts = list(big_areas) + [schemes_for(i, areas, max_schemes) for i in range(areas)]
    Population.objects.bulk_create(
        [
            Population(area=a, year=y, band=band, population=pop)
            for a in created_areas
            for y in years
            for band, pop in (("all", 300000), ("18+", 240000), ("65+", 50000))
        ]
    )
    schemes = []
    for area, count in zip(created_areas, scheme_counts):
        for n in range(count):
            schemes.append(
                Scheme(
                    area=area,
                    ref=f"S{n + 1}",
                    name=f"Scheme {n + 1} of {area.name}",
                    scheme_type=SCHEME_TYPES[n % len(SCHEME_TYPES)],
                    area_of_spend=SPENDS[n % len(SPENDS)],
                    commissioner="nhs",
                    la_share_pct=0,
                    nhs_share_pct=100,
                    funding_source=nhs,
                )
            )
    Scheme.objects.bulk_create(schemes, batch_size=5000)
    schemes = list(Scheme.objects.filter(area__in=created_areas).only("id", "area_id"))
    budgets = {s.id: Decimal(rng.randrange(120, 2400) * 1000) for s in schemes}
    SchemeYear.objects.bulk_create(
        [SchemeYear(scheme_id=sid, financial_year=y, budget=b) for sid, b in budgets.items() for y in years],
        batch_size=5000,
    )
    by_area: dict[int, Decimal] = {}
    for s in schemes:
        by_area[s.area_id] = by_area.get(s.area_id, Decimal(0)) + budgets[s.id]
    Contribution.objects.bulk_create(
        [
            Contribution(area_id=aid, financial_year=y, partner=ccg, source=nhs, amount=total)
            for aid, total in by_area.items()
            for y in years
        ]
    )
    FundingRequirement.objects.bulk_create(
        [
            FundingRequirement(area_id=aid, financial_year=y, nhs_minimum=total)
            for aid, total in by_area.items()
            for y in years
        ]
    )
    RiskShareTerms.objects.bulk_create(
        [
            RiskShareTerms(
                area=a,
                financial_year=y,
                planned_nea_reduction=800,
                cost_per_admission=Decimal("2795.43"),
                contingency=1_000_000,
            )
            for a in created_areas
            for y in years
        ]
    )

    def scheme_rows():
        for s in schemes:
            month_pence = int(budgets[s.id]) * 100 // 12
            for y in years:
                for n in range(1, 13):
                    pid = months[(y, n)]
                    yield (s.id, pid, "spend", "plan", month_pence, "", "2026-01-01 00:00:00+00")
                    yield (
                        s.id,
                        pid,
                        "spend",
                        "actual",
                        month_pence + rng.randrange(-5000_00, 5000_00),
                        "",
                        "2026-01-01 00:00:00+00",
                    )

    copy_or_bulk(
        SchemeValue, ["scheme_id", "period_id", "measure", "kind", "value", "note", "updated_at"], scheme_rows()
    )

    metrics = {m.code: m.id for m in MetricDefinition.objects.filter(code__in=["NEA", "DTOC", "RES", "REA"])}
    plans = {"NEA": 1300, "DTOC": 9, "RES": 10, "REA": 88}

    def metric_rows():
        for a in created_areas:
            for y in years:
                for code, base in plans.items():
                    yield (
                        a.id,
                        metrics[code],
                        year_periods[y],
                        "plan",
                        base * 12 if code in ("NEA", "RES") else base,
                        "",
                        "2026-01-01 00:00:00+00",
                    )
                    for n in range(1, 13):
                        pid = months[(y, n)]
                        yield (a.id, metrics[code], pid, "plan", base, "", "2026-01-01 00:00:00+00")
                        yield (
                            a.id,
                            metrics[code],
                            pid,
                            "actual",
                            round(base * rng.uniform(0.95, 1.05), 2),
                            "",
                            "2026-01-01 00:00:00+00",
                        )

    copy_or_bulk(
        MetricValue, ["area_id", "metric_id", "period_id", "kind", "value", "note", "updated_at"], metric_rows()
    )
    history(created_areas, years)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "areas": len(created_areas),
        "schemes": len(schemes),
        "years": len(years),
        "scheme_values": SchemeValue.objects.count(),
        "metric_values": MetricValue.objects.count(),
        "value_changes": ValueChange.objects.count(),
        "quarter_returns": QuarterReturn.objects.count(),
        "approval_events": _count("QuarterReturnEvent"),
        "summary_snapshots": _count("QuarterSummarySnapshot"),
    }


def _count(model_name) -> int:
    from django.apps import apps

    try:
        return apps.get_model("bcf_dashboard", model_name).objects.count()
    except LookupError:
        return 0


def history(areas, years) -> None:
    """Quarter returns (approved, the last two years open) and one upload batch per area-year whose
    ``ValueChange`` rows record every actual as new: the audit trail a real year of uploads leaves."""
    user_model = get_user_model()
    officer = user_model.objects.create_user("bench.history", password=None)
    quarters = [
        QuarterReturn(area=a, financial_year=y, quarter=q, state="open" if y >= years[-1] - 1 else "approved")
        for a in areas
        for y in years
        for q in range(1, 5)
    ]
    QuarterReturn.objects.bulk_create(quarters, batch_size=5000)
    batches = ImportBatch.objects.bulk_create(
        [
            ImportBatch(source="upload", file_name=f"returns-{a.code}-{y}.csv", user=officer)
            for a in areas
            for y in years
        ],
        batch_size=5000,
    )
    batch_of = {(b.file_name.split("-")[1], int(b.file_name.split("-")[2][:4])): b.id for b in batches}
    code_of = {a.id: a.code for a in areas}
    month_year = dict(Period.objects.filter(financial_year__in=years).values_list("id", "financial_year"))

    def change_rows():
        scheme_actuals = (
            SchemeValue.objects.filter(kind="actual", scheme__area__in=areas)
            .order_by()
            .values_list("scheme__area_id", "period_id", "scheme__ref", "measure", "value")
        )
        for area_id, period_id, ref, measure, value in scheme_actuals.iterator(chunk_size=20000):
            yield (
                batch_of[(code_of[area_id], month_year[period_id])],
                area_id,
                period_id,
                f"{measure}:{ref}",
                "actual",
                None,
                value,
                "",
                "",
            )
        metric_actuals = (
            MetricValue.objects.filter(kind="actual", area__in=areas)
            .order_by()
            .values_list("area_id", "period_id", "metric__code", "value")
        )
        for area_id, period_id, code, value in metric_actuals.iterator(chunk_size=20000):
            yield (
                batch_of[(code_of[area_id], month_year[period_id])],
                area_id,
                period_id,
                code,
                "actual",
                None,
                value,
                "",
                "",
            )

    copy_or_bulk(
        ValueChange,
        ["batch_id", "area_id", "period_id", "measure", "kind", "old_value", "new_value", "old_note", "new_note"],
        change_rows(),
    )
    snapshots(areas, years, officer)


def snapshots(areas, years, officer) -> None:
    """Each approved quarter's approval event and the summary version it froze (where the quarterly
    summary is installed). The documents are the largest area's, worked out once per quarter by the
    quarterly summary's own code and given each area's name: real sizes without 5,000 engine runs."""
    try:
        from bcf_dashboard.quarterly.document import build_document
        from bcf_dashboard.quarterly.models import QuarterSummarySnapshot
    except ImportError:
        return
    from django.core.serializers.json import DjangoJSONEncoder

    from bcf_dashboard.core.models import QuarterReturnEvent

    approved = list(QuarterReturn.objects.filter(area__in=areas, state="approved").order_by("id"))
    at = "2026-01-01 00:00:00+00"
    events = QuarterReturnEvent.objects.bulk_create(
        [
            QuarterReturnEvent(
                quarter_return=q, action="approve", from_state="submitted", to_state="approved", user=officer, at=at
            )
            for q in approved
        ],
        batch_size=5000,
    )
    largest = areas[-1]
    documents = {}
    for q in approved:
        if (q.financial_year, q.quarter) not in documents:
            documents[(q.financial_year, q.quarter)] = json.dumps(
                build_document(largest, q.financial_year, q.quarter, narrative={}), cls=DjangoJSONEncoder
            )
    names = {a.id: (a.code, a.name) for a in areas}

    def rows():
        for q, event in zip(approved, events):
            code, name = names[q.area_id]
            document = documents[(q.financial_year, q.quarter)].replace(largest.code, code).replace(largest.name, name)
            if connection.vendor != "postgresql":
                document = json.loads(document)  # bulk_create encodes it itself
            yield (q.area_id, q.financial_year, q.quarter, 1, q.id, event.id, document, officer.id, at)

    copy_or_bulk(
        QuarterSummarySnapshot,
        [
            "area_id",
            "financial_year",
            "quarter",
            "version",
            "quarter_return_id",
            "event_id",
            "document",
            "approved_by_id",
            "approved_at",
        ],
        rows(),
    )


def bench_users(area, password: str) -> dict:
    """A staff user who sees every area and a finance officer of ``area`` alone, for the page timings."""
    user_model = get_user_model()
    staff = user_model.objects.create_user("bench.staff", password=password, is_staff=True)
    officer = user_model.objects.create_user("bench.finance", password=password)
    Membership.objects.create(user=officer, area=area, role=Membership.Role.FINANCE_OFFICER)
    return {"staff": staff, "finance": officer}
