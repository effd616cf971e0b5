"""Bromley's 2016/17 plan as the seed documents give it, ready to be rolled forward into 2017/18."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from bcf_dashboard.core.models import AreaPartner
from metrics.models import MetricDefinition
from schemes.models import Scheme
from tests.support import builders


@dataclass
class Bromley:
    personas: object
    area: object
    ccg: object
    council: object
    nhs_source: object
    dfg_source: object
    continuing: Scheme
    ended: Scheme
    nea: MetricDefinition
    retired: MetricDefinition


@pytest.fixture
def bromley(personas):
    area = personas.area_a
    ccg = builders.partner("07Q", "NHS Bromley CCG", "ccg")
    council = builders.partner("E09000006", "London Borough of Bromley", "la")
    AreaPartner.objects.create(area=area, partner=ccg, role="ccg")
    AreaPartner.objects.create(area=area, partner=council, role="la")
    nhs = builders.source()
    dfg = builders.source("dfg", "Disabled Facilities Grant", paid_by="la", counts=False)
    builders.periods_for(2016, 2017)
    builders.requirement(area, 2016, 21_611_000)
    builders.uplift(2017, "1.79")
    builders.contribution(area, 2016, 21_611_000, the_partner=ccg, the_source=nhs)
    builders.contribution(area, 2016, 1_200_000, the_partner=council, the_source=dfg)
    continuing = builders.scheme(
        area,
        "A1",
        2016,
        1_200_000,
        plan=[100_000] * 12,
        actual=[90_000] * 6 + [110_000] * 6,
        funding=nhs,
        name="Integrated care teams",
    )
    ended = builders.scheme(area, "B2", 2016, 300_000, funding=nhs, name="Winter pilot", status="bau")
    nea = builders.metric("NEA")
    retired = builders.metric(
        "OLD", name="A metric of 2016/17 only", unit="count", better="lower", rollup="sum", last_year=2016
    )
    builders.metric_values(area, nea, "plan", {"2016/17": 27_000, "2016-04": 2_250})
    builders.metric_values(area, retired, "plan", {"2016/17": 10})
    builders.risk_terms(
        area, 2016, reduction=825, cost="2795.426667", contingency=500_000, splits=[(ccg, 50), (council, 50)]
    )
    return Bromley(personas, area, ccg, council, nhs, dfg, continuing, ended, nea, retired)


def money(text) -> Decimal:
    return Decimal(str(text))
