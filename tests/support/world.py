"""Small data for the returns tests, built with the ORM: two areas, metrics, schemes, periods."""

import csv
import io
from dataclasses import dataclass

import pytest

from bcf_dashboard.core.models import Period
from funding.models import FundingSource
from metrics.models import MetricDefinition
from schemes.models import Scheme, SchemeYear

HEADER = ["area_code", "period", "measure", "kind", "value", "note"]
BROMLEY, SOUTHWARK = "E09000006", "E09000028"


@dataclass
class ReturnsWorld:
    personas: object
    nea: MetricDefinition
    rea: MetricDefinition
    dtoc: MetricDefinition
    local_bromley: MetricDefinition
    old_metric: MetricDefinition
    scheme_a1: Scheme
    scheme_a2: Scheme
    scheme_b1: Scheme

    @property
    def bromley(self):
        return self.personas.area_a

    @property
    def southwark(self):
        return self.personas.area_b


def metric(code, unit, **extra):
    defaults = {"name": code, "better": "lower", "rollup": "sum", "first_year": 2014}
    defaults.update(extra)
    return MetricDefinition.objects.create(code=code, unit=unit, **defaults)


def scheme(area, ref, source, years):
    made = Scheme.objects.create(
        area=area,
        ref=ref,
        name=f"Scheme {ref}",
        scheme_type="reablement",
        area_of_spend="social_care",
        commissioner="la",
        la_share_pct=100,
        nhs_share_pct=0,
        funding_source=source,
    )
    for year in years:
        SchemeYear.objects.create(scheme=made, financial_year=year, budget="120000.00")
    return made


@pytest.fixture
def world(personas):
    source = FundingSource.objects.create(code="nhs-min", name="NHS minimum", paid_by="nhs", first_year=2014)
    Period.ensure_years([2017])
    return ReturnsWorld(
        personas=personas,
        nea=metric("NEA", "count"),
        rea=metric("REA", "percent", better="higher", rollup="latest"),
        dtoc=metric("DTOC", "rate", rollup="mean"),
        local_bromley=metric("DEMHUB", "count", area=personas.area_a),
        old_metric=metric("OLDNEA", "count", last_year=2015),
        scheme_a1=scheme(personas.area_a, "A1", source, [2017]),
        scheme_a2=scheme(personas.area_a, "A2", source, [2016]),
        scheme_b1=scheme(personas.area_b, "B1", source, [2017]),
    )


def csv_bytes(rows, header=HEADER, bom=False) -> bytes:
    """A returns CSV: ``rows`` are lists in ``header`` order."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode()


def xlsx_bytes(rows, header=HEADER, extra_sheets=()) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for title in extra_sheets:
        workbook.create_sheet(title).append(["anything"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    """The shared personas make seven users; the real hasher would spend seconds on them."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
