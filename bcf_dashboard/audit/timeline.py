"""An area's (or one scheme's) change history as one list, newest first, filtered and paginated.

Figures (ValueChange), records (simple-history) and sign-off steps live in different
tables. A UNION of (source, id, time) rows orders and counts them together in the
database; only the page's rows are then loaded, one query per source.
"""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import CharField, F, Q, Value

from bcf_dashboard.audit import records
from bcf_dashboard.audit.signals import ADMIN_MARK
from bcf_dashboard.core import formats, periods
from bcf_dashboard.core.models import ImportBatch, QuarterReturnEvent, ValueChange
from schemes.models import SchemeValue

VALUE, SIGNOFF = "value", "signoff"
WHAT_CHOICES = [
    ("", "Everything"),
    ("figures", "Figures"),
    ("records", "Schemes, funding and plans"),
    ("signoff", "Sign-off"),
]
MONEY_PREFIXES = tuple(f"{m}:" for m in (SchemeValue.Measure.SPEND, SchemeValue.Measure.SAVING))


@dataclass
class Filters:
    month: periods.PeriodRef | None = None
    user_id: int | None = None
    what: str = ""
    batch_id: int | None = None
    scheme: object = None  # a Scheme: only its figures and records


@dataclass
class Entry:
    when: object
    who: str
    source: str
    what: str
    period: str = ""
    kind: str = ""
    old: str = ""
    new: str = ""
    old_note: str = ""
    new_note: str = ""
    reason: str = ""
    changes: list = field(default_factory=list)  # FieldChange, for records
    file_name: str = ""
    measure: str = ""
    old_value: object = None  # the figures as numbers, for the CSV
    new_value: object = None


def timeline(area, filters: Filters):
    """The UNION queryset of (tag, row_id, when), newest first: paginate it, then ``load`` a page."""
    parts = []
    if filters.what in ("", "figures"):
        parts.append(_tagged(_value_changes(area, filters), VALUE, "id", "batch__created_at"))
    if filters.what in ("", "signoff") and filters.scheme is None and filters.batch_id is None:
        parts.append(_tagged(_signoff_events(area, filters), SIGNOFF, "id", "at"))
    # Records are not figures of a month, so a month (or an upload) filter leaves them out.
    if filters.what in ("", "records") and filters.month is None and filters.batch_id is None:
        tags = ["scheme", "scheme_year"] if filters.scheme is not None else list(records.TRACKED)
        for tag in tags:
            history = records.area_queryset(tag, area)
            if filters.scheme is not None:
                history = (
                    history.filter(id=filters.scheme.id)
                    if tag == "scheme"
                    else history.filter(scheme_id=filters.scheme.id)
                )
            if filters.user_id:
                history = history.filter(history_user_id=filters.user_id)
            parts.append(_tagged(history, tag, "history_id", "history_date"))
    first, *rest = parts
    return first.union(*rest, all=True).order_by("-when", "row_id") if rest else first.order_by("-when", "row_id")


def _tagged(queryset, tag, id_field, when_field):
    return (
        queryset.order_by()
        .annotate(tag=Value(tag, output_field=CharField()), row_id=F(id_field), when=F(when_field))
        .values_list("tag", "row_id", "when")
    )


def _value_changes(area, filters):
    changes = ValueChange.objects.filter(area=area)
    if filters.month is not None:
        changes = changes.filter(period__code=filters.month.code)
    if filters.user_id:
        changes = changes.filter(batch__user_id=filters.user_id)
    if filters.batch_id:
        changes = changes.filter(batch_id=filters.batch_id)
    if filters.scheme is not None:
        changes = changes.filter(measure__in=[f"{m}:{filters.scheme.ref}" for m in SchemeValue.Measure.values])
    return changes


def _signoff_events(area, filters):
    events = QuarterReturnEvent.objects.filter(quarter_return__area=area)
    if filters.month is not None:
        events = events.filter(
            quarter_return__financial_year=filters.month.financial_year,
            quarter_return__quarter=periods.quarter_of_month_number(filters.month.number),
        )
    if filters.user_id:
        events = events.filter(user_id=filters.user_id)
    return events


def load(rows, *, names=None) -> list[Entry]:
    """The entries for a page of ``timeline`` rows, in the same order."""
    by_tag = {}
    for tag, row_id, _ in rows:
        by_tag.setdefault(tag, []).append(row_id)
    loaded = {}
    if VALUE in by_tag:
        for change in ValueChange.objects.filter(id__in=by_tag.pop(VALUE)).select_related(
            "batch", "batch__user", "period"
        ):
            loaded[(VALUE, change.id)] = _value_entry(change, names or {})
    if SIGNOFF in by_tag:
        for event in QuarterReturnEvent.objects.filter(id__in=by_tag.pop(SIGNOFF)).select_related(
            "user", "quarter_return"
        ):
            loaded[(SIGNOFF, event.id)] = _signoff_entry(event)
    for tag, ids in by_tag.items():
        history = records.TRACKED[tag].history.model
        found = list(history.objects.filter(history_id__in=ids).select_related("history_user"))
        described = records.describe(tag, found)
        for record in found:
            what, changes = described[record.history_id]
            loaded[(tag, record.history_id)] = Entry(
                when=record.history_date,
                who=_name(record.history_user),
                what=what,
                source=_record_source(record),
                changes=changes,
                new=records.KIND_WORDS.get(record.history_type, ""),
                reason=_record_reason(record),
            )
    return [loaded[(tag, row_id)] for tag, row_id, _ in rows if (tag, row_id) in loaded]


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def _value_entry(change, names) -> Entry:
    batch = change.batch
    what = change.measure
    if change.measure in names:
        what = f"{change.measure} {names[change.measure]}"
    return Entry(
        when=batch.created_at,
        who=_name(batch.user) or _nobody(batch),
        source=batch_source(batch),
        what=what,
        measure=change.measure,
        period=change.period.ref.label,
        kind=change.kind,
        old=formats.change_figure(change.old_value, change.measure),
        new=formats.change_figure(change.new_value, change.measure),
        old_note=change.old_note,
        new_note=change.new_note,
        reason=batch.reason,
        file_name=batch.file_name,
        old_value=change.old_value,
        new_value=change.new_value,
    )


def _nobody(batch) -> str:
    return {ImportBatch.Source.COMMAND: "operator (command)", ImportBatch.Source.DEMO: "demo loader"}.get(
        batch.source, ""
    )


def batch_source(batch) -> str:
    label = batch.get_source_display()
    if batch.source in {ImportBatch.Source.UPLOAD, ImportBatch.Source.COMMAND} and batch.file_name:
        return f"{label}: {batch.file_name}"
    return label


def _signoff_entry(event) -> Entry:
    quarter = event.quarter_return
    return Entry(
        when=event.at,
        who=_name(event.user),
        source="Sign-off",
        what=f"{periods.quarter(quarter.financial_year, quarter.quarter).label} return",
        old=event.get_from_state_display(),
        new=event.get_to_state_display(),
        reason=event.reason,
        kind=event.get_action_display(),
    )


def _record_source(record) -> str:
    if record.history_change_reason == ADMIN_MARK:
        return "Admin"
    return "Web" if record.history_user_id else "Script or loader"


def _record_reason(record) -> str:
    reason = record.history_change_reason or ""
    return "" if reason == ADMIN_MARK else reason


def people(area) -> list:
    """Everyone who changed anything in the area, for the person filter."""
    ids = set(
        ImportBatch.objects.filter(changes__area=area, user__isnull=False).values_list("user_id", flat=True).distinct()
    )
    ids |= set(QuarterReturnEvent.objects.filter(quarter_return__area=area).values_list("user_id", flat=True))
    for tag in records.TRACKED:
        ids |= set(
            records.area_queryset(tag, area)
            .filter(history_user__isnull=False)
            .values_list("history_user_id", flat=True)
            .distinct()
        )
    return list(get_user_model().objects.filter(Q(id__in=ids)).order_by("first_name", "last_name", "username"))
