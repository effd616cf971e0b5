"""The monthly entry form: one page per area and month, saved through the import's own checks.

Every input becomes one row of a returns table (area, period, measure, kind, value) and
the table goes through ``services.apply_table`` exactly as an uploaded file does: the same
checks, the same all-or-nothing transaction, the same audit rows. Only the figures the user
changed are sent, each with the value the page showed: a figure someone else changed in
the meantime is refused and named, never overwritten silently.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.core import signing
from django.utils import formats as django_formats
from django.utils import timezone

from bcf_dashboard.core import formats, periods
from bcf_dashboard.core.models import AreaYearPlan, ImportBatch, QuarterReturn
from bcf_dashboard.returns.closed_quarters import CLOSED_STATES
from bcf_dashboard.returns.exporting import plain_number
from metrics.models import MetricDefinition, MetricValue
from metrics.selectors import metrics_for
from schemes.models import Scheme, SchemeValue, SchemeYear

ACTUAL, PLAN = "actual", "plan"
STATE_SALT = "bcf-entry-form"
STATE_MAX_AGE = 12 * 60 * 60  # a session's length: an older page must be reloaded


@dataclass
class LastChange:
    who: str
    when: object
    source: str

    def __str__(self):
        when = django_formats.date_format(timezone.localtime(self.when), "j M Y H:i") if self.when else ""
        text = ", ".join(part for part in (self.who or self.source, when) if part)
        return f"{text} ({self.source})" if self.who and self.source else text


@dataclass
class EntryField:
    name: str  # the input's name, e.g. "spend-12"
    label: str
    measure: str  # as in the returns file: "spend:A1", "NEA"
    unit: str  # money, count, rate or percent
    hint: str
    stored: Decimal | None  # the value of the kind being entered, as saved now
    beside: str  # the other kind (plan beside an actual input), formatted
    last_change: LastChange | None
    value_text: str = ""
    error: str = ""
    beside_value: Decimal | None = None
    awaited: bool = False  # an actual still expected for the month and not entered yet (see build_page)
    note: str = ""  # the stored value's note: the pre-filled spreadsheet carries it, so it comes back unchanged

    @property
    def stored_text(self) -> str:
        return "" if self.stored is None else plain_number(self.stored, money=self.unit == "money")

    @property
    def stored_shown(self) -> str:
        return show(self.stored, self.unit)

    @property
    def input_id(self) -> str:
        return f"id_{self.name}"


@dataclass
class SchemeRow:
    scheme: Scheme
    spend: EntryField
    activity: EntryField

    @property
    def fields(self):
        return (self.spend, self.activity)


@dataclass
class EntryPage:
    area: object
    month: periods.PeriodRef
    kind: str
    quarter_return: QuarterReturn | None
    plan: AreaYearPlan | None
    schemes: list[SchemeRow]
    metrics: list[EntryField]
    errors: list[tuple[str, str]] = field(default_factory=list)  # (anchor, message) for the summary
    reason: str = ""
    reason_error: str = ""

    @property
    def year(self) -> int:
        return self.month.financial_year

    @property
    def quarter_label(self) -> str:
        return periods.quarter(self.year, periods.quarter_of_month_number(self.month.number)).label

    @property
    def closed(self) -> bool:
        return bool(self.quarter_return and self.quarter_return.state in CLOSED_STATES)

    @property
    def plan_agreed(self) -> bool:
        return bool(self.plan and self.plan.agreed)

    @property
    def fields(self) -> list[EntryField]:
        return [f for row in self.schemes for f in (row.spend, row.activity)] + self.metrics

    @property
    def not_entered(self) -> list[EntryField]:
        """The boxes of actuals still empty: every scheme's spend, and activity or a metric planned for the month."""
        return [f for f in self.fields if f.awaited]

    @property
    def not_entered_spend(self) -> int:
        return sum(1 for row in self.schemes if row.spend.awaited)

    @property
    def not_entered_other(self) -> int:
        return len(self.not_entered) - self.not_entered_spend

    @property
    def spend_totals(self) -> tuple[str, str]:
        """The month's total spend: the other kind's (beside) and this kind's as saved."""
        beside = [row.spend.beside_value for row in self.schemes if row.spend.beside_value is not None]
        saved = [row.spend.stored for row in self.schemes if row.spend.stored is not None]
        return (show(sum(beside), "money") if beside else "–", show(sum(saved), "money") if saved else "–")

    @property
    def previous_month(self):
        return _step(self.month, -1)

    @property
    def next_month(self):
        return _step(self.month, 1)

    def state_token(self) -> str:
        """The values this page shows, signed: the save compares against them, not against hidden inputs."""
        return signing.dumps({"values": {f.name: f.stored_text for f in self.fields}}, salt=STATE_SALT, compress=True)


def _step(month, offset):
    number = month.number + offset
    year = month.financial_year + (number - 1) // 12
    return periods.month(year, (number - 1) % 12 + 1)


def show(value, unit) -> str:
    if value is None:
        return "–"
    if unit == "money":
        return formats.gbp(value)
    if unit == "percent":
        return f"{plain_number(value)}%"
    text = f"{Decimal(value):,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def build_page(
    area, month: periods.PeriodRef, kind: str, *, with_figures: bool = True, only: set[str] | None = None
) -> EntryPage:
    """Every active scheme with a budget this year and every metric of the area-year, with their figures.

    ``with_figures`` False gives the inputs alone, enough to save against: a save compares with the
    figures of the page the user saw (its signed state), not with these, and the stored values are
    read again under the area's lock (``services``). ``only`` (input names, ``changed_inputs``)
    limits the inputs to those, so a save costs what it changes. A page to show has everything.
    """
    year, other = month.financial_year, PLAN if kind == ACTUAL else ACTUAL
    scheme_years = (
        SchemeYear.objects.filter(scheme__area=area, financial_year=year, scheme__status=Scheme.Status.ACTIVE)
        .select_related("scheme")
        .order_by("scheme__ref")
    )
    if only is not None:
        scheme_years = scheme_years.filter(scheme_id__in=_ids(only, "spend", "activity"))
    values = (
        _stored_figures(
            SchemeValue.objects.filter(
                scheme__area=area,
                period__code=month.code,
                measure__in=[SchemeValue.Measure.SPEND, SchemeValue.Measure.ACTIVITY],
            ),
            ("scheme_id", "measure", "kind"),
        )
        if with_figures
        else {}
    )
    schemes = []
    for scheme_year in scheme_years:
        scheme = scheme_year.scheme
        spend, activity = (
            _field(
                f"{measure}-{scheme.id}",
                f"{scheme.ref} {scheme.name}: {what}",
                f"{measure}:{scheme.ref}",
                unit,
                hint,
                values.get((scheme.id, measure, kind)),
                values.get((scheme.id, measure, other)),
            )
            for measure, what, unit, hint in (
                ("spend", "spend", "money", "£, to the penny; a credit is negative"),
                ("activity", "activity", "count", "a count, e.g. people or admissions"),
            )
        )
        schemes.append(SchemeRow(scheme, spend, activity))
    # A save of actuals never looks at the plan's agreement (only plan figures need a reason to change).
    plan_wanted = with_figures or kind == PLAN
    metrics = _metric_fields(area, month, kind, other, with_figures, only)
    if with_figures and kind == ACTUAL:
        # A missing month is missing, never zero: the boxes still awaited are marked, and counted at the top.
        for f in [row.spend for row in schemes]:
            f.awaited = f.stored is None
        for f in [row.activity for row in schemes] + metrics:
            f.awaited = f.stored is None and f.beside_value is not None
    return EntryPage(
        area=area,
        month=month,
        kind=kind,
        quarter_return=QuarterReturn.objects.filter(
            area=area, financial_year=year, quarter=periods.quarter_of_month_number(month.number)
        ).first(),
        plan=AreaYearPlan.objects.filter(area=area, financial_year=year).first() if plan_wanted else None,
        schemes=schemes,
        metrics=metrics,
    )


def _ids(names, *prefixes) -> set[int]:
    """The ids in input names such as "spend-12" with one of these prefixes."""
    found = set()
    for name in names:
        prefix, _, number = name.partition("-")
        if prefix in prefixes and number.isdecimal():
            found.add(int(number))
    return found


def _metric_fields(area, month, kind, other, with_figures, only) -> list[EntryField]:
    year = month.financial_year
    quarter_code = periods.quarter(year, periods.quarter_of_month_number(month.number)).code
    wanted = {month.code, quarter_code, periods.year_label(year)}
    found = (
        _stored_figures(
            MetricValue.objects.filter(area=area, period__code__in=wanted), ("metric_id", "period__code", "kind")
        )
        if with_figures
        else {}
    )
    result = []
    wanted_ids = _ids(only, "metric") if only is not None else None
    if wanted_ids == set():
        return result  # a save that changes no metric
    for metric in metrics_for(area, year):
        if wanted_ids is not None and metric.id not in wanted_ids:
            continue
        unit, hint = _metric_unit(metric)
        beside = found.get((metric.id, month.code, other))
        entry = _field(
            f"metric-{metric.id}",
            f"{metric.code} {metric.name}",
            metric.code,
            unit,
            hint,
            found.get((metric.id, month.code, kind)),
            beside,
        )
        if beside is None:  # a metric planned by quarter or year: show that plan instead
            for code, label in ((quarter_code, "quarter"), (periods.year_label(year), "year")):
                wider = found.get((metric.id, code, other))
                if wider is not None:
                    entry.beside = f"{show(wider.value, unit)} for the {label}"
                    break
        result.append(entry)
    return result


def _metric_unit(metric: MetricDefinition) -> tuple[str, str]:
    if metric.entered_as == MetricDefinition.EnteredAs.COUNT:
        return "count", f"the count; shown as a rate per {metric.per_population:,} aged {metric.population_band}"
    if metric.unit == MetricDefinition.Unit.PERCENT:
        return "percent", "a percentage, e.g. 93.6"
    if metric.unit == MetricDefinition.Unit.RATE:
        return "rate", "the rate as published"
    return "count", "a count"


def _field(name, label, measure, unit, hint, stored, beside) -> EntryField:
    entry = EntryField(
        name=name,
        label=label,
        measure=measure,
        unit=unit,
        hint=hint,
        stored=stored.value if stored else None,
        beside=show(beside.value, unit) if beside else "–",
        beside_value=beside.value if beside else None,
        last_change=_last_change(stored),
        note=stored.note if stored else "",
    )
    entry.value_text = entry.stored_text
    return entry


class StoredFigure(NamedTuple):
    """A stored value with who last changed it and how, as plain columns: a page shows two hundred,
    and a model object with its user and batch for each cost more than the rest of the page's reads."""

    value: Decimal
    updated_at: datetime.datetime | None
    first_name: str | None
    last_name: str | None
    username: str | None
    source: str | None
    file_name: str | None
    note: str


def _stored_figures(values, key: tuple[str, ...]) -> dict[tuple, StoredFigure]:
    rows = values.order_by().values_list(
        *key,
        *(
            "value",
            "updated_at",
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__username",
            "batch__source",
            "batch__file_name",
            "note",
        ),
    )
    width = len(key)
    return {tuple(row[:width]): StoredFigure(*row[width:]) for row in rows}


SOURCE_LABELS = dict(ImportBatch.Source.choices)
NAMED_SOURCES = {ImportBatch.Source.UPLOAD, ImportBatch.Source.COMMAND}


def _last_change(stored: StoredFigure | None) -> LastChange | None:
    if stored is None:
        return None
    # As User.get_full_name(), else the username.
    who = f"{stored.first_name or ''} {stored.last_name or ''}".strip() or stored.username or ""
    source = ""
    if stored.source is not None:
        source = SOURCE_LABELS.get(stored.source, stored.source).lower()
        if stored.source in NAMED_SOURCES and stored.file_name:
            source = f"{source} {stored.file_name}"
    return LastChange(who, stored.updated_at, source)
