"""Monthly plan figures (a scheme's planned spend, a metric's trajectory) written with their audit trail.

The returns' import path is that feature's own; the plan pages write the same rows the same way: each
change one ``ValueChange`` under one ``ImportBatch`` (carrying the revision's reason), in the caller's
transaction, which holds the area's lock and moves the area-year's digest afterwards.
"""

from decimal import Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import ImportBatch, Period, ValueChange
from metrics.models import MetricValue
from schemes.models import SchemeValue

PLAN = "plan"


def new_batch(*, user, source=ImportBatch.Source.FORM, file_name="", reason="") -> ImportBatch:
    return ImportBatch.objects.create(source=source, user=user, file_name=file_name, reason=reason)


def _periods(year, numbers):
    found = Period.ensure_years([year])
    return {n: found[periods.month(year, n).code] for n in numbers}


def scheme_plan_differs(*, scheme, year: int, months: dict[int, Decimal | None], measure="spend") -> bool:
    """Whether writing ``months`` would change anything: a save that changes nothing writes nothing."""
    stored = {
        v.period.number: v.value
        for v in SchemeValue.objects.filter(
            scheme=scheme, kind=PLAN, measure=measure, period__financial_year=year, period__kind="month"
        ).select_related("period")
    }
    return any(stored.get(number) != value for number, value in months.items())


def write_scheme_plan(*, batch, user, scheme, year: int, months: dict[int, Decimal | None], measure="spend") -> int:
    """Set the scheme's planned monthly spend, or activity (month number 1-12 from April; None clears it).

    Returns the number of changes."""
    by_number = _periods(year, months)
    stored = {
        v.period_id: v
        for v in SchemeValue.objects.filter(scheme=scheme, kind=PLAN, measure=measure, period__in=by_number.values())
    }
    changes = 0
    for number, value in sorted(months.items()):
        period = by_number[number]
        old = stored.get(period.id)
        old_value = old.value if old else None
        if old_value == value:
            continue
        if value is None:
            old.delete()
        elif old is None:
            SchemeValue.objects.create(
                scheme=scheme, period=period, measure=measure, kind=PLAN, value=value, batch=batch, updated_by=user
            )
        else:
            old.value, old.batch, old.updated_by = value, batch, user
            old.save(update_fields=["value", "batch", "updated_by", "updated_at"])
        ValueChange.objects.create(
            batch=batch,
            area_id=scheme.area_id,
            period=period,
            measure=f"{measure}:{scheme.ref}",
            kind=PLAN,
            old_value=old_value,
            new_value=value,
        )
        changes += 1
    return changes


def write_metric_plan(*, batch, user, area, metric, year: int, values: dict[str, Decimal | None]) -> int:
    """Set a metric's plan: ``values`` maps period codes (months, or the year's code) to figures or None."""
    found = Period.ensure_years([year])
    wanted = {found[code]: value for code, value in values.items()}
    stored = {
        v.period_id: v for v in MetricValue.objects.filter(area=area, metric=metric, kind=PLAN, period__in=list(wanted))
    }
    changes = 0
    for period, value in wanted.items():
        old = stored.get(period.id)
        old_value = old.value if old else None
        if old_value == value:
            continue
        if value is None:
            old.delete()
        elif old is None:
            MetricValue.objects.create(
                area=area, metric=metric, period=period, kind=PLAN, value=value, batch=batch, updated_by=user
            )
        else:
            old.value, old.batch, old.updated_by = value, batch, user
            old.save(update_fields=["value", "batch", "updated_by", "updated_at"])
        ValueChange.objects.create(
            batch=batch, area=area, period=period, measure=metric.code, kind=PLAN, old_value=old_value, new_value=value
        )
        changes += 1
    return changes
