"""Checking the rows of a monthly returns table against what the database holds.

Everything a row is checked against that does not change while a file is applied
(areas, metrics, schemes and their years, who may edit what) is loaded once into
dictionaries by ``Lookups``; ``check_rows`` then checks every row in plain Python and
lists every problem. The state that may change under a user's feet (stored values,
closed quarters, agreed plans) is read by ``services`` inside the write transaction, where each
row is compared with what is stored: a closed quarter refuses a row only if it would change
something (``closed_quarters.closed_quarter_error``), so an exported file imported again is a no-op.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, areas_for
from bcf_dashboard.core.limits import FIRST_YEAR, LAST_YEAR, NOTE_MAX_LENGTH
from bcf_dashboard.core.models import Area
from bcf_dashboard.returns.parsing import REQUIRED, RowError, error_count, parse_value, restore_note
from metrics.models import MetricDefinition
from schemes.models import Scheme, SchemeValue, SchemeYear

ACTUAL = "actual"
KINDS = {"plan", ACTUAL}
SCHEME_MEASURES = {choice.value for choice in SchemeValue.Measure}
MONEY_MEASURES = {SchemeValue.Measure.SPEND.value, SchemeValue.Measure.SAVING.value}
# Bounds that keep every value inside its column and exact through an XLSX float (15 digits).
METRIC_LIMIT = Decimal("1e11")
SCHEME_LIMIT = Decimal("1e13")


@dataclass(slots=True)
class Row:
    """A valid row: ``target`` is a MetricDefinition or a (Scheme, measure) pair."""

    number: int
    area: Area
    period: periods.PeriodRef
    period_code: str
    target: object
    kind: str
    value: Decimal | None  # None: the value was left blank, so the row writes nothing
    note: str | None  # None when the file has no note column: the stored note is kept


class Lookups:
    """Everything the rows are checked against, loaded in a fixed number of queries."""

    def __init__(self, table, user, only_area=None, *, names=None):
        """``names``: the (area codes, period texts) of the whole file, when ``table`` is one chunk of it."""
        self.editable = None
        if user is not None:
            self.editable = set(areas_for(user, action=EDIT).values_list("id", flat=True))
        self.only_area = only_area
        if only_area is not None:
            self.editable = (self.editable if self.editable is not None else {only_area.id}) & {only_area.id}
        self.metrics = {metric.code.lower(): metric for metric in MetricDefinition.objects.all()}
        self.codes, self.areas, self.period_refs = set(), {}, {}
        self.schemes, self.schemes_folded = {}, {}
        self.area_ids, self.years, self.scheme_years = [], set(), set()
        # Only areas and years the file names are needed; a cheap first pass finds them.
        self.add(*(names if names is not None else file_names(table.columns, table.rows)))

    def add(self, codes, period_texts) -> None:
        """Look up these area codes and periods too (those not looked up yet), in a fixed number of queries."""
        codes, period_texts = set(codes) - self.codes, set(period_texts) - self.period_refs.keys()
        if not codes and not period_texts:
            return
        self.codes |= codes
        found = {area.code: area for area in Area.objects.filter(code__in=codes).only("id", "code", "name")}
        self.areas.update(found)
        new_ids = [area.id for area in found.values() if self.editable is None or area.id in self.editable]
        for text in period_texts:
            try:
                ref = periods.parse_period(text)
            except periods.PeriodError as exc:
                ref = str(exc)
            except (ValueError, OverflowError):  # a month of year 0 (0000-04) has no calendar date
                ref = f"'{text.strip()}' is not a real month: check the year, e.g. 2017-04"
            else:
                if not FIRST_YEAR <= ref.financial_year <= LAST_YEAR:
                    ref = f"'{text.strip()}' is outside the financial years the dashboard holds: check the year"
            # PeriodRef.code formats a date each time; the file repeats a handful of periods.
            self.period_refs[text] = ref if isinstance(ref, str) else (ref, ref.code)
        self.area_ids = self.area_ids + new_ids
        self.years = {ref[0].financial_year for ref in self.period_refs.values() if not isinstance(ref, str)}
        for scheme in Scheme.objects.filter(area_id__in=new_ids).only("id", "area_id", "ref"):
            self.schemes[(scheme.area_id, scheme.ref)] = scheme
            self.schemes_folded.setdefault((scheme.area_id, scheme.ref.lower()), []).append(scheme)
        self.scheme_years = set(
            SchemeYear.objects.filter(scheme__area_id__in=self.area_ids, financial_year__in=self.years).values_list(
                "scheme_id", "financial_year"
            )
        )

    @property
    def period_codes(self) -> set[str]:
        """The codes of the file's readable periods."""
        return {ref[1] for ref in self.period_refs.values() if not isinstance(ref, str)}

    def scheme(self, area, ref):
        """Exact ref first; otherwise a case-insensitive match if there is only one."""
        scheme = self.schemes.get((area.id, ref))
        if scheme is None:
            folded = self.schemes_folded.get((area.id, ref.lower()), [])
            scheme = folded[0] if len(folded) == 1 else None
        return scheme


def file_names(columns, rows) -> tuple[set[str], set[str]]:
    """The area codes (as looked up) and the period texts that ``rows`` name."""
    area_at, period_at = columns["area_code"], columns["period"]
    codes, period_texts = set(), set()
    for _, cells in rows:
        codes.add(cells[area_at].strip().upper())
        period_texts.add(cells[period_at])
    return codes, period_texts


def check_rows(table, lookups, errors, *, seen=None) -> list[Row]:
    """Every valid row (a row left blank has the value None); every problem of the others appended to ``errors``.

    ``seen`` maps each value's key to the row that gave it: pass the same dict for every chunk of a file
    read in chunks, so that a value given twice is found wherever the two rows are.
    """
    area_at, period_at, measure_at, kind_at, value_at = (table.columns[name] for name in REQUIRED)
    note_at = table.columns.get("note")
    add = errors.append
    measures = {}
    seen = {} if seen is None else seen
    valid = []
    today, not_ended = timezone.localdate(), {}
    for number, cells in table.rows:
        before = error_count(errors)
        area = _area(cells[area_at], number, lookups, add)
        ref = lookups.period_refs[cells[period_at]]
        if isinstance(ref, str):
            add(RowError(number, "period", ref))
            ref = code = None
        else:
            ref, code = ref
        measure_text = cells[measure_at]
        measure = measures.get(measure_text)
        if measure is None:
            measure = measures[measure_text] = _read_measure(measure_text, lookups)
        target = None
        if isinstance(measure, str):
            add(RowError(number, "measure", measure))
        elif isinstance(measure, MetricDefinition):
            target = _metric_target(measure, area, ref, number, add)
        elif area is not None:
            target = _scheme_target(measure, area, ref, number, lookups, add)
        kind = cells[kind_at].strip().lower()
        if kind not in KINDS:
            add(RowError(number, "kind", f"'{cells[kind_at].strip()}' is not a kind: write plan or actual"))
        elif kind == ACTUAL and ref is not None:
            if code not in not_ended:
                not_ended[code] = _not_ended_reason(ref, today)
            if not_ended[code]:
                add(RowError(number, "period", not_ended[code]))
        value = None  # left blank: the row writes nothing, but every other column is still checked
        if cells[value_at].strip():
            try:
                value, symbol = parse_value(cells[value_at])
            except ValueError as exc:
                add(RowError(number, "value", str(exc)))
            else:
                if measure is not None and not isinstance(measure, str):
                    problem = _value_problem(value, symbol, measure)
                    if problem:
                        add(RowError(number, "value", problem))
        note = None
        if note_at is not None:
            note = restore_note(cells[note_at])
            if len(note) > NOTE_MAX_LENGTH:
                add(
                    RowError(
                        number,
                        "note",
                        f"the note is {len(note):,} characters long: shorten it to {NOTE_MAX_LENGTH:,} or fewer",
                    )
                )
            elif note and _CONTROL_CHARACTERS.search(note):
                add(RowError(number, "note", "the note contains invisible control characters: retype it"))
        if error_count(errors) > before:
            continue
        if value is None:
            valid.append(Row(number, area, ref, code, target, kind, None, note))
            continue
        key = (area.id, code, (target[0].id, target[1]) if isinstance(target, tuple) else target.id, kind)
        if key in seen:
            add(
                RowError(
                    number,
                    "",
                    f"row {seen[key]} already gives this area, period, measure and kind: keep only one of the two rows",
                )
            )
            continue
        seen[key] = number
        valid.append(Row(number, area, ref, code, target, kind, value, note))
    return valid


def _not_ended_reason(ref, today) -> str:
    """Why an actual cannot be given for ``ref`` today, or "": its last day must be past."""
    if ref.end < today:
        return ""
    what = "month" if ref.kind == periods.MONTH else "quarter" if ref.kind == periods.QUARTER else "year"
    return (
        f"{ref.label} has not ended yet (it ends on {ref.end.day} {periods.MONTH_ABBR[ref.end.month - 1]} "
        f"{ref.end.year}), so there can be no actual for it: check the year (a typed 2071-04 for 2017-04), "
        f"or give the {what}'s figure as a plan"
    )


def _area(text, number, lookups, add):
    code = text.strip().upper()
    area = lookups.areas.get(code)
    if area is None:
        reason = (
            f"no area has the code '{text.strip()}': use the area's ONS code, e.g. E09000006"
            if code
            else "the area code is empty: enter the area's ONS code, e.g. E09000006"
        )
        add(RowError(number, "area_code", reason))
        return None
    if lookups.only_area is not None and area.id != lookups.only_area.id:
        only = lookups.only_area
        add(
            RowError(
                number,
                "area_code",
                f"this upload is for {only.name} ({only.code}) only, and the row is for "
                f"another area: remove it, or upload it from that area's own page",
            )
        )
        return None
    if lookups.editable is not None and area.id not in lookups.editable:
        # Nothing more is checked for this row: errors must not reveal another area's schemes.
        add(
            RowError(
                number,
                "area_code",
                f"you may not change figures for {area.name} ({area.code}): "
                "remove these rows or ask for finance officer access to that area",
            )
        )
        return None
    return area


def _read_measure(text, lookups):
    """A MetricDefinition, a (measure, scheme ref) pair, or the reason it is neither."""
    text = text.strip()
    prefix, colon, ref = text.partition(":")
    if colon:
        prefix, ref = prefix.strip().lower(), ref.strip()
        if prefix in SCHEME_MEASURES and ref:
            return (prefix, ref)
        return (
            f"'{text}' is not a measure: write a metric code such as NEA, or spend:<scheme ref> "
            "or activity:<scheme ref>"
        )
    if not text:
        return "the measure is empty: enter a metric code such as NEA, or spend:<scheme ref>"
    metric = lookups.metrics.get(text.lower())
    if metric is None:
        return (
            f"no metric has the code '{text}': use a metric code such as NEA, DTOC, RES or REA, "
            "or spend:<scheme ref> / activity:<scheme ref> for a scheme"
        )
    return metric


def _metric_target(metric, area, ref, number, add):
    if metric.area_id is not None and area is not None and metric.area_id != area.id:
        add(
            RowError(
                number,
                "measure",
                f"{metric.code} is a local metric of another area: use one of {area.name}'s own metrics",
            )
        )
    elif ref is not None and not metric.applies_in(ref.financial_year):
        last = periods.year_label(metric.last_year) if metric.last_year else "now"
        add(
            RowError(
                number,
                "measure",
                f"{metric.code} is not collected in {periods.year_label(ref.financial_year)} "
                f"(only {periods.year_label(metric.first_year)} to {last}): "
                "remove the row or check the period",
            )
        )
    return metric


def _scheme_target(measure, area, ref, number, lookups, add):
    name, scheme_ref = measure
    scheme = lookups.scheme(area, scheme_ref)
    if scheme is None:
        add(
            RowError(
                number,
                "measure",
                f"{area.name} has no scheme with the reference '{scheme_ref}': "
                "check the reference against the area's scheme list",
            )
        )
        return None
    if ref is None:
        return None
    if ref.kind != periods.MONTH:
        months = ", ".join(periods.month(ref.financial_year, n).code for n in ref.month_numbers)
        add(
            RowError(
                number,
                "period",
                f"scheme {name} is entered by month, not for {ref.label}: give one row per month ({months})",
            )
        )
    elif (scheme.id, ref.financial_year) not in lookups.scheme_years:
        year = periods.year_label(ref.financial_year)
        add(
            RowError(
                number,
                "measure",
                f"scheme {scheme.ref} has no budget for {year}: "
                f"give it a budget on the {year} plan's Expenditure page first, or check the period",
            )
        )
    return (scheme, name)


def _value_problem(value, symbol, measure):
    """Why ``value`` cannot be stored for this measure, or None."""
    if isinstance(measure, MetricDefinition):
        what = f"{measure.code} ({measure.get_unit_display().lower()})"
        is_percent = measure.unit == MetricDefinition.Unit.PERCENT and measure.entered_as == "value"
        if symbol == "£":
            return f"{what} is not money: remove the £"
        if symbol == "%" and not is_percent:
            return f"{what} is not a percent: remove the %"
        if value < 0:
            return f"{what} cannot be negative"
        if is_percent and value > 100:
            return f"{what} is a percent and cannot be above 100: enter e.g. 93.6 for 93.6%"
        if value >= METRIC_LIMIT:
            return f"{value} is far too large for {measure.code}: check the figure"
        if value.as_tuple().exponent < -4 and value != round(value, 4):
            return f"{what} takes at most 4 decimal places: round the value"
        return None
    name = measure[0]
    if symbol == "%":
        return f"{name} is {'in pounds' if name in MONEY_MEASURES else 'a count'}, not a percent: remove the %"
    if symbol == "£" and name not in MONEY_MEASURES:
        return f"{name} is a count, not money: remove the £"
    if value < 0 and name != SchemeValue.Measure.SPEND:
        return f"{name} cannot be negative (only spend may be, for a credit)"
    if abs(value) >= SCHEME_LIMIT:
        return f"{value} is far too large for {name}: check the figure"
    if value.as_tuple().exponent < -2 and value != round(value, 2):
        unit = "pence" if name in MONEY_MEASURES else "two decimal places"
        return f"{name} takes at most two decimal places: round it to {unit} (e.g. 12.35)"
    return None


_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
