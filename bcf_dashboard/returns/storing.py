"""What an import reads of the stored figures before it decides, and how it writes what changes.

Both run inside the write transaction, after the areas are locked (services._apply): the stored
values, closed quarters and agreed plans are read again there, and the values, their audit rows and
the area-years' digests are written with batched upserts (writing)."""

from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from bcf_dashboard.core.fields import from_hundredths, plain_rows, stored_hundredths, to_hundredths
from bcf_dashboard.core.models import AreaYearPlan, Period, ValueChange
from bcf_dashboard.digests import services as digests
from bcf_dashboard.returns.closed_quarters import closed_quarters
from bcf_dashboard.returns.writing import insert_rows
from metrics.models import MetricDefinition, MetricValue
from schemes.models import SchemeValue

PLAN = "plan"


@dataclass
class _State:
    """What may change while a user looks at a preview or a form: read again before writing."""

    closed: dict
    agreed: dict  # (area id, year) -> AreaYearPlan
    metric_values: dict
    scheme_values: dict


def _read_state(lookups, guards, rows) -> _State:
    area_ids, years = lookups.area_ids, lookups.years
    if not area_ids or not years:
        return _State({}, {}, {}, {})
    code_of_period = dict(Period.objects.filter(financial_year__in=years).values_list("id", "code"))
    # Only the periods, kinds and measures the rows write: a one-month form save reads one month,
    # and a file of actual spend does not read the plans and activity.
    wanted = lookups.period_codes
    period_ids = [pid for pid, code in code_of_period.items() if code in wanted]
    kinds = {row.kind for row in rows}
    scheme_measures = {row.target[1] for row in rows if not isinstance(row.target, MetricDefinition)}
    # Who changed a value and when is only needed to name a conflict. No ORDER BY (the models'
    # default ordering joins the area and period tables and sorts every row).
    extra = ("updated_by_id", "updated_at") if guards.checks_conflicts else ()
    writes_metrics = any(isinstance(row.target, MetricDefinition) for row in rows)
    metric_values = (
        {
            (area_id, metric_id, code_of_period[period_id], kind): tuple(rest)
            for area_id, metric_id, period_id, kind, *rest in MetricValue.objects.filter(
                area_id__in=area_ids,
                period_id__in=period_ids,
                kind__in=kinds,
            )
            .order_by()
            .values_list("area_id", "metric_id", "period_id", "kind", "value", "note", *extra)
        }
        if writes_metrics
        else {}
    )
    stored = (
        SchemeValue.objects.filter(
            scheme__area_id__in=area_ids,
            period_id__in=period_ids,
            kind__in=kinds,
            measure__in=scheme_measures,
        )
        .order_by()
        .values_list("scheme_id", "period_id", "measure", "kind", "value", "note", *extra)
    )
    # A file's read is the large one: plain rows (no converters) unless a timestamp is wanted.
    scheme_values = (
        {
            (scheme_id, code_of_period[period_id], measure, kind): (from_hundredths(value), *rest)
            for scheme_id, period_id, measure, kind, value, *rest in (
                plain_rows(stored)
                if not extra
                else stored.values_list(
                    "scheme_id", "period_id", "measure", "kind", stored_hundredths("value"), "note", *extra
                )
            )
        }
        if scheme_measures
        else {}
    )
    agreed = (
        {
            (plan.area_id, plan.financial_year): plan
            for plan in AreaYearPlan.objects.filter(
                area_id__in=area_ids, financial_year__in=years, agreed=True
            ).select_related("agreed_by")
        }
        if PLAN in kinds
        else {}
    )
    return _State(closed_quarters(area_ids, years), agreed, metric_values, scheme_values)


def _write(writes, batch, user, *, seen) -> None:
    write_values(writes, batch, user)
    # In the same transaction: the area-years' data versions (cache keys) and the overview's headlines.
    digests.changed(changed_pairs(writes), actuals=_actual_changes(writes), seen=seen)


def changed_pairs(writes) -> set[tuple[int, int]]:
    """The (area id, year) pairs whose figures ``writes`` change."""
    return {(row.area.id, row.period.financial_year) for row, _ in writes.metric_values + writes.scheme_values}


def write_values(writes, batch, user) -> None:
    """The values and their audit rows; the area-years' digests are the caller's to bring up to date."""
    user_id = user.id if user else None
    years = {row.period.financial_year for row, _ in writes.metric_values + writes.scheme_values}
    period_ids = {code: period.id for code, period in (Period.ensure_years(years) if years else {}).items()}
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    audit, metric_values, scheme_values = [], [], []
    for row, change in writes.metric_values:
        period_id = period_ids[row.period_code]
        metric_values.append(
            (row.area.id, row.target.id, period_id, row.kind, row.value, change.new_note, batch.id, user_id, now)
        )
        audit.append(_audit(batch.id, row.area.id, period_id, change))
    for row, change in writes.scheme_values:
        period_id = period_ids[row.period_code]
        scheme, name = row.target
        scheme_values.append(
            (scheme.id, period_id, name, row.kind, to_hundredths(row.value), change.new_note, batch.id, user_id, now)
        )
        audit.append(_audit(batch.id, row.area.id, period_id, change))
    written = ("value", "note", "batch", "updated_by", "updated_at")
    metric_key, scheme_key = ("area", "metric", "period", "kind"), ("scheme", "period", "measure", "kind")
    insert_rows(MetricValue, metric_key + written, metric_values, conflict=metric_key, update=written)
    insert_rows(SchemeValue, scheme_key + written, scheme_values, conflict=scheme_key, update=written)
    insert_rows(ValueChange, AUDIT_FIELDS, audit)


ACTUAL_MEASURES = {SchemeValue.Measure.SPEND.value, SchemeValue.Measure.ACTIVITY.value}


def _actual_changes(writes) -> dict:
    """(area id, year) -> its changes, for the area-years whose every change is a scheme's monthly actual."""
    found, others = {}, {(row.area.id, row.period.financial_year) for row, _ in writes.metric_values}
    for row, change in writes.scheme_values:
        pair, (scheme, name) = (row.area.id, row.period.financial_year), row.target
        if row.kind == "actual" and name in ACTUAL_MEASURES:
            found.setdefault(pair, []).append(
                digests.ActualChange(scheme.id, name, row.period.number, change.old_value, change.new_value)
            )
        else:
            others.add(pair)
    return {pair: changes for pair, changes in found.items() if pair not in others}


AUDIT_FIELDS = ("batch", "area", "period", "measure", "kind", "old_value", "new_value", "old_note", "new_note")


def _audit(batch_id, area_id, period_id, change) -> tuple:
    return (
        batch_id,
        area_id,
        period_id,
        change.measure,
        change.kind,
        change.old_value,
        change.new_value,
        change.old_note,
        change.new_note,
    )
