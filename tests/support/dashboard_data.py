"""An area-year with every feature the dashboards show, for the view and overview tests."""

from decimal import Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import Area, Membership
from funding.models import FundingRequirement
from schemes.models import SchemeValue
from tests.support import builders as b
from tests.support.personas import make_user

YEAR = 2017
NEA_PLAN = [1260, 1259, 1291, 1302, 1265, 1241, 1294, 1209, 1271, 1243, 1192, 1260]
NEA_ACTUAL = [1250, 1248, 1280, 1295, 1250, 1227]
DTOC_PLAN = [9.43, 9.11, 8.78, 8.46, 8.13, 7.81, 7.49, 7.16, 6.84, 6.51, 6.19, 5.86]
DTOC_ACTUAL = [9.5, 9.0, 8.9, 8.5, 8.3]


def months(values, year=YEAR):
    return {periods.month(year, n).code: v for n, v in enumerate(values, start=1)}


def fill_area(area, *, schemes=3, scale=1, year=YEAR, risk=True):
    """Metrics (a count, a mean, a rate from counts, a latest, a component, a local one), schemes
    (profiled, unprofiled, overridden), contributions, minima and a risk share with two partners."""
    nea, dtoc, res, rea = (b.metric(code) for code in ("NEA", "DTOC", "RES", "REA"))
    dtoc_nhs = b.metric(
        "DTOC-NHS", name="Delays attributable to the NHS", unit="rate", better="lower", rollup="mean", parent=dtoc
    )
    local = b.metric(
        f"LOCAL-{area.code}", name="Local carers supported", unit="count", better="higher", rollup="sum", area=area
    )
    b.metric_values(
        area, nea, "plan", {**months([v * scale for v in NEA_PLAN], year), periods.year_label(year): 15088 * scale}
    )
    b.metric_values(area, nea, "actual", months([v * scale + (30 if scale % 2 else -5) for v in NEA_ACTUAL], year))
    b.metric_values(area, dtoc, "plan", months(DTOC_PLAN, year))
    b.metric_values(area, dtoc, "actual", months(DTOC_ACTUAL, year))
    b.metric_values(area, dtoc_nhs, "plan", months([v / 2 for v in DTOC_PLAN], year))
    b.metric_values(area, dtoc_nhs, "actual", months([v / 2 for v in DTOC_ACTUAL[:3]], year))
    b.population(area, year, "65+", 31000 * scale)
    b.population(area, year, "all", 246000 * scale)
    b.metric_values(area, res, "plan", {periods.year_label(year): "102.703"})
    b.metric_values(area, res, "actual", {f"{periods.year_label(year)}-Q1": 25, f"{periods.year_label(year)}-Q2": 27})
    b.metric_values(area, rea, "plan", {periods.year_label(year): 90})
    b.metric_values(area, local, "plan", {f"{periods.year_label(year)}-Q{q}": 30 for q in range(1, 5)})
    b.metric_values(area, local, "actual", {f"{periods.year_label(year)}-Q1": 28})
    for n in range(schemes):
        ref = f"S{n + 1}"
        if n % 3 == 0:
            b.scheme(
                area,
                ref,
                year,
                "1200000",
                plan=[100000] * 12,
                actual=[100000, 101000, "99500.50", 100000, 102000, 100000][: 6 - n % 4],
                scheme_type="reablement",
                area_of_spend="social_care",
                commissioner="la",
                la_share_pct=100,
                nhs_share_pct=0,
                name=f"Reablement service {ref}",
            )
        elif n % 3 == 1:
            b.scheme(
                area, ref, year, "60000", actual=[5000, 7000, 5000], scheme_type="carers", name=f"Carers' breaks {ref}"
            )
        else:
            scheme = b.scheme(
                area,
                ref,
                year,
                "100000",
                plan=["8333.33"] * 11 + ["8333.37"],
                actual=[9000, 9000],
                name=f"Home from hospital {ref}",
            )
            scheme.years.update(forecast_override=Decimal(90000), forecast_reason="QIPP savings agreed")
    if schemes:
        first = area.schemes.get(ref="S1")
        found = b.periods_for(year)
        SchemeValue.objects.bulk_create(
            [
                SchemeValue(
                    scheme=first, period=found[periods.month(year, m).code], measure=measure, kind=kind, value=v
                )
                for m in range(1, 4)
                for measure, kind, v in (("activity", "plan", 40), ("activity", "actual", 38 + m))
            ]
        )
    FundingRequirement.objects.get_or_create(
        area=area, financial_year=year - 1, defaults={"nhs_minimum": Decimal("7944000")}
    )
    FundingRequirement.objects.update_or_create(
        area=area,
        financial_year=year,
        defaults={"nhs_minimum": Decimal("8086075"), "social_care_minimum": Decimal("1000000")},
    )
    b.uplift(year, "1.79")
    ccg = b.partner(f"CCG{area.code[-3:]}", f"NHS {area.name} CCG", "ccg")
    council = b.partner(f"LA-{area.code}", f"{area.name} Council", "la")
    b.contribution(area, year, "8086075", the_partner=ccg)
    b.contribution(
        area,
        year,
        "500000",
        the_partner=council,
        the_source=b.source("dfg", "Disabled Facilities Grant", "la", counts=False),
    )
    if risk:
        b.risk_terms(
            area,
            year,
            reduction=200,
            cost="1500",
            contingency="100000",
            splits=[(ccg, 60), (council, 40)],
            performance_fund=bool(scale % 2),
        )
    return area


def make_areas(count, *, schemes=3):
    """``count`` London boroughs (ONS codes E09000100…) filled with data, scaled to differ."""
    found = []
    for i in range(count):
        area = Area.objects.create(
            code=f"E09{100 + i:06d}", name=f"Borough {i + 1:02d}", region="London" if i % 2 == 0 else "South East"
        )
        found.append(fill_area(area, schemes=schemes, scale=1 + i % 3))
    return found


def member(area, role=Membership.Role.COMMISSIONER, username=None):
    return make_user(username or f"{role}_{area.code}", area=area, role=role)


def overview_for(user, *, year=None, region="", status=""):
    """The overview as the home page builds it: the explicit up-to-date steps, the frame, then the page."""
    from bcf_dashboard.core.access import areas_for
    from bcf_dashboard.dashboards.overview import build_overview, overview_frame
    from bcf_dashboard.digests import services

    frame = overview_frame(user, flags=services.up_to_date_flags(areas_for(user)), year=year, region=region)
    headlines = services.up_to_date_headlines(frame.chosen, frame.year) if frame.year else {}
    return build_overview(frame=frame, headlines=headlines, status=status)


def comparison_for(user, code, *, year=None, region=""):
    """The comparison as its page builds it (see ``overview_for``)."""
    from bcf_dashboard.core.access import areas_for
    from bcf_dashboard.dashboards.comparison import build_comparison, comparison_frame
    from bcf_dashboard.digests import services

    frame = comparison_frame(user, code, flags=services.up_to_date_flags(areas_for(user)), year=year, region=region)
    headlines = services.up_to_date_headlines(frame.areas, frame.year) if frame.year else {}
    return build_comparison(frame=frame, headlines=headlines, region=region)
