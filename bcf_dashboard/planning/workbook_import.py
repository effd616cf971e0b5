"""Reading a planning workbook back (docs/formats.md section 4): every error with its sheet and cell, the
changes it would make for the preview, then all of them or none.

An exported workbook imported again changes nothing. Contributions not in the Income sheet are
removed (the sheet is the year's income); schemes not in the Expenditure sheet are left as they are
(end a scheme on the plan pages). The Checks sheet is for reading only and is not read back.
"""

import io
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from openpyxl import load_workbook

from bcf_dashboard.core import periods, plans
from bcf_dashboard.core.access import EDIT, areas_for
from bcf_dashboard.core.formats import gbp, restore_formula
from bcf_dashboard.core.limits import year_in_range
from bcf_dashboard.core.locks import on_primary
from bcf_dashboard.core.plans import PlanRefused
from bcf_dashboard.planning import selectors, services, workbook
from bcf_dashboard.planning.forms import sources_of
from schemes.models import Scheme

MAX_BYTES = 5 * 1024 * 1024
PENNY = Decimal("0.01")


@dataclass
class SchemeRow:
    cell_row: int
    fields: dict
    budget: Decimal
    months: list
    existing: Scheme | None


@dataclass
class Reading:
    area: object = None
    year: int | None = None
    errors: list = field(default_factory=list)  # "Sheet!A1: what is wrong and how to fix it"
    contributions: dict = field(default_factory=dict)  # (partner, source) -> amount
    schemes: list = field(default_factory=list)
    metrics: dict = field(default_factory=dict)  # metric -> (annual, months)
    risk: dict | None = None
    changes: list = field(default_factory=list)  # what applying would do, in plain words
    changed_metrics: list = field(default_factory=list)
    risk_changed: bool = False

    @property
    def ok(self):
        return not self.errors


class _Sheet:
    def __init__(self, reading, book, title):
        self.reading, self.title = reading, title
        self.rows = []
        if title not in book.sheetnames:
            reading.errors.append(f"{title}: the sheet is missing; export the workbook again to get every sheet")
            return
        found = list(book[title].iter_rows(values_only=True))
        header = [str(v).strip() if v is not None else "" for v in (found[0] if found else [])]
        expected = workbook.SHEETS[title]
        required = expected[:-3] if title == "Expenditure" else expected
        if header[: len(required)] != required:
            reading.errors.append(
                f"{title}!A1: the header row must begin {', '.join(required)}; export the workbook again to get it"
            )
            return
        self.columns = {name: i for i, name in enumerate(header) if name}
        self.rows = [(n, row) for n, row in enumerate(found[1:], start=2) if any(v not in (None, "") for v in row)]

    def error(self, column, row, message):
        letter = chr(ord("A") + self.columns[column]) if column in self.columns else "A"
        self.reading.errors.append(f"{self.title}!{letter}{row}: {message}")

    def get(self, row, column):
        index = self.columns.get(column)
        value = row[index] if index is not None and index < len(row) else None
        if isinstance(value, str):
            value = restore_formula(value.strip())
            return value or None
        return value

    def number(self, row, n, column, *, money=False, whole=False, required=False, top=None):
        value = self.get(row, column)
        if value is None:
            if required:
                self.error(column, n, f"give the {column.lower()}")
            return None
        try:
            number = Decimal(str(value).replace(",", "").replace("£", "")) if not isinstance(value, bool) else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.error(column, n, f"'{value}' is not a number: type the {column.lower()} as a number")
            return None
        if number < 0 or (top is not None and number > top):
            self.error(column, n, f"{value} is out of range: type a number from 0" + (f" to {top}" if top else " up"))
            return None
        if whole and number != number.to_integral_value():
            self.error(column, n, f"{value} is not a whole number")
            return None
        if money:
            if number != number.quantize(PENNY):
                self.error(column, n, f"{value} has more than pounds and pence: round it to the penny")
                return None
            number = number.quantize(PENNY)
        return number


def _choice(sheet, row, n, column, choices, what):
    """A value from a list of (code, label): either is accepted."""
    value = sheet.get(row, column)
    if value is None:
        sheet.error(column, n, f"choose the {what}")
        return None
    for code, label in choices:
        if str(value).lower() in (code.lower(), label.lower()):
            return code
    sheet.error(column, n, f"'{value}' is not a {what}: choose one from the cell's list")
    return None


def read(content: bytes, *, user, reason: str = "") -> Reading:
    """Read and check a planning workbook for ``user``; nothing is written."""
    reading = Reading()
    if len(content) > MAX_BYTES:
        reading.errors.append(f"Workbook: the file is over {MAX_BYTES // 1024 // 1024} MB; a plan is far smaller")
        return reading
    try:
        book = load_workbook(io.BytesIO(content), data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        reading.errors.append("Workbook: this is not an XLSX workbook; export the plan from its page and fill that in")
        return reading
    _cover(reading, _Sheet(reading, book, "Cover"), user)
    if not reading.ok:
        return reading
    area, year = reading.area, reading.year
    partners = list(area.partners.all())
    sources = list(sources_of(year))
    _income(reading, _Sheet(reading, book, "Income"), partners, sources)
    _expenditure(reading, _Sheet(reading, book, "Expenditure"), partners, sources)
    _metrics(reading, _Sheet(reading, book, "Metrics"))
    _risk(reading, _Sheet(reading, book, "Risk share"), list(area.partners.all()))
    if reading.ok:
        reading.changes = _changes(reading)
        # Only a revision needs a reason: an agreed plan's workbook returned unchanged changes nothing.
        if reading.changes and plans.plan_for(area, year).agreed and not reason.strip():
            reading.errors.append(
                f"Reason: the {periods.year_label(year)} plan is agreed: give the reason for this "
                "revision, which the history keeps"
            )
    return reading


def _cover(reading, sheet, user):
    values = {}
    for n, row in sheet.rows:
        values[str(sheet.get(row, "Field") or "")] = (n, sheet.get(row, "Value"))
    n, code = values.get("Area code", (2, None))
    reading.area = areas_for(user, action=EDIT).filter(code=str(code or "")).first()
    if reading.area is None:
        sheet.error("Value", n, f"'{code}' is not an area whose plan you may change: give its ONS code")
    n, label = values.get("Financial year", (4, None))
    try:
        reading.year = periods.parse_year(str(label or ""))
        if not year_in_range(reading.year):
            raise ValueError
    except ValueError:
        sheet.error("Value", n, f"'{label}' is not a financial year: write it as 2017/18")


def _by_name(items, text, attr="name"):
    text = str(text).lower()
    return next((i for i in items if str(getattr(i, attr)).lower() == text or str(i.code).lower() == text), None)


def _income(reading, sheet, partners, sources):
    for n, row in sheet.rows:
        source = _by_name(sources, sheet.get(row, "Source") or "")
        if source is None:
            sheet.error(
                "Source",
                n,
                f"'{sheet.get(row, 'Source')}' is not a source of funding in "
                f"{periods.year_label(reading.year)}: choose one from the cell's list",
            )
        partner = _by_name(partners, sheet.get(row, "Partner") or "")
        if partner is None:
            sheet.error("Partner", n, f"'{sheet.get(row, 'Partner')}' is not a partner: choose one from the list")
        amount = sheet.number(row, n, "Amount", money=True, required=True)
        if source and partner and amount is not None:
            if (partner, source) in reading.contributions:
                sheet.error("Source", n, f"{partner.name}'s {source.name} is on two rows: keep one")
            reading.contributions[(partner, source)] = amount


def _expenditure(reading, sheet, partners, sources):
    existing = {s.ref: s for s in Scheme.objects.filter(area=reading.area)}
    seen = set()
    for n, row in sheet.rows:
        ref = sheet.get(row, "Scheme ref")
        ref = str(ref) if ref is not None else None
        if not ref:
            sheet.error("Scheme ref", n, "give the scheme's reference, e.g. A1")
            continue
        if ref in seen:
            sheet.error("Scheme ref", n, f"scheme {ref} is on two rows: keep one")
        seen.add(ref)
        name = sheet.get(row, "Scheme name")
        if not name:
            sheet.error("Scheme name", n, "give the scheme's name")
        fields = {
            "ref": ref[:30],
            "name": str(name or "")[:200],
            "scheme_type": _choice(sheet, row, n, "Scheme type", Scheme.Type.choices, "scheme type"),
            "area_of_spend": _choice(sheet, row, n, "Area of spend", Scheme.AreaOfSpend.choices, "area of spend"),
            "commissioner": _choice(sheet, row, n, "Commissioner", Scheme.Commissioner.choices, "commissioner"),
        }
        provider_text = sheet.get(row, "Provider")
        provider = _by_name(partners, provider_text) if provider_text else None
        fields["provider"], fields["provider_name"] = provider, ("" if provider else str(provider_text or ""))[:200]
        source = _by_name(sources, sheet.get(row, "Source of funding") or "")
        if source is None:
            sheet.error(
                "Source of funding",
                n,
                f"'{sheet.get(row, 'Source of funding')}' is not a source of "
                f"funding in {periods.year_label(reading.year)}: choose from the list",
            )
        fields["funding_source"] = source
        la = sheet.number(row, n, "LA share %", top=100)
        commissioner = fields["commissioner"]
        if sheet.get(row, "LA share %") is None:
            la = {"la": Decimal(100), "nhs": Decimal(0)}.get(commissioner)
            if commissioner == "joint" and existing.get(ref) is not None:
                la = existing[ref].la_share_pct
            if la is None and commissioner == "joint":
                sheet.error("LA share %", n, "a jointly commissioned scheme needs the local authority's share (%)")
        if la is not None and commissioner in ("la", "nhs") and la != (100 if commissioner == "la" else 0):
            sheet.error("LA share %", n, "a single commissioner takes 100% of the split: choose Joint to share it")
        fields["la_share_pct"] = la
        fields["nhs_share_pct"] = 100 - la if la is not None else None
        new = str(sheet.get(row, "New or existing") or "Existing").lower()
        if new not in ("new", "existing"):
            sheet.error("New or existing", n, "write New or Existing")
        fields["is_new"] = new == "new"
        fields["description"] = str(sheet.get(row, "Description") or "")
        budget = sheet.number(row, n, "Budget", money=True, required=True)
        months = [sheet.number(row, n, m, money=True) for m in workbook.MONTH_HEADERS]
        reading.schemes.append(SchemeRow(n, fields, budget, months, existing.get(ref)))


def _metrics(reading, sheet):
    available = {m.code.lower(): m for m in selectors.metrics_for(reading.area, reading.year)}
    for n, row in sheet.rows:
        code = str(sheet.get(row, "Metric") or "")
        metric = available.get(code.lower())
        if metric is None:
            sheet.error("Metric", n, f"'{code}' is not a metric of {periods.year_label(reading.year)}")
            continue
        annual = sheet.number(row, n, "Plan for the year")
        months = [sheet.number(row, n, m) for m in workbook.MONTH_HEADERS]
        reading.metrics[metric] = (annual, months if any(v is not None for v in months) else None)


def _risk(reading, sheet, partners):
    values, shares = {}, {}
    for n, row in sheet.rows:
        label = str(sheet.get(row, "Field") or "")
        if label in workbook.RISK_FIELDS:
            values[workbook.RISK_FIELDS[label]] = (n, row)
        elif label.startswith(workbook.SHARE_PREFIX):
            partner = _by_name(partners, label[len(workbook.SHARE_PREFIX) :])
            if partner is None:
                sheet.error("Field", n, f"'{label}' names no partner of the area")
                continue
            share = sheet.number(row, n, "Value", top=100)
            if share is not None:
                shares[partner] = share
        else:
            sheet.error("Field", n, f"'{label}' is not a risk share field: keep the exported rows")
    if not any(sheet.get(row, "Value") is not None for n, row in values.values()) and not shares:
        return  # no terms: nothing to read or change
    risk = {}
    for name, (n, row) in values.items():
        if name == "performance_fund":
            answer = str(sheet.get(row, "Value") or "No").lower()
            if answer not in ("yes", "no"):
                sheet.error("Value", n, "write Yes or No")
            risk[name] = answer == "yes"
        else:
            risk[name] = sheet.number(
                row, n, "Value", money=name == "contingency", whole=name == "planned_nea_reduction", required=True
            )
    if shares and sum(shares.values()) != 100:
        sheet.error(
            "Value",
            max(n for n, _ in sheet.rows),
            f"the partners' shares add up to {sum(shares.values())}%: they must make 100%",
        )
    risk["shares"] = shares
    reading.risk = risk


def _changes(reading) -> list[str]:
    area, year = reading.area, reading.year
    changes = []
    current = {(c.partner, c.source): c.amount for c in selectors.contributions(area, year)}
    for key, amount in reading.contributions.items():
        if current.get(key) != amount:
            changes.append(f"Income: {key[1].name} from {key[0].name} {gbp(current.get(key))} → {gbp(amount)}")
    for key in set(current) - set(reading.contributions):
        changes.append(f"Income: {key[1].name} from {key[0].name} {gbp(current[key])} removed")
    stored = {s.id: (sy, months) for s, sy, months in selectors.scheme_rows(area, year)}
    for row in reading.schemes:
        scheme = row.existing
        if scheme is None:
            changes.append(
                f"Expenditure: new scheme {row.fields['ref']} {row.fields['name']}, budget {gbp(row.budget)}"
            )
            continue
        scheme_year, months = stored.get(scheme.id, (None, [None] * 12))
        differs = [name for name in services.SCHEME_FIELDS if getattr(scheme, name) != row.fields[name]]
        if differs:
            changes.append(f"Expenditure: {scheme.ref} {', '.join(differs)} changed")
        # The sheet has no status column: an ended scheme listed for a year it has a budget for (its
        # last year, exported and imported again) stays ended; listed for a new year, it runs again.
        if scheme_year is None and scheme.status != Scheme.Status.ACTIVE:
            changes.append(f"Expenditure: {scheme.ref} restarted")
        if scheme_year is None or scheme_year.budget != row.budget:
            changes.append(
                f"Expenditure: {scheme.ref} budget {gbp(scheme_year.budget if scheme_year else None)} → "
                f"{gbp(row.budget)}"
            )
        if months != row.months:
            changes.append(f"Expenditure: {scheme.ref} monthly profile changed")
    plans_now = selectors.metric_plans(area, year)
    for metric, (annual, months) in reading.metrics.items():
        now = plans_now.get(metric.id, {})
        if now.get(0) != annual or [now.get(n) for n in range(1, 13)] != (months or [None] * 12):
            reading.changed_metrics.append(metric)
            changes.append(f"Metrics: {metric.code} plan changed")
    if reading.risk is not None:
        terms = selectors.risk_terms(area, year)
        shares = {s.partner: s.share_pct for s in terms.splits.all()} if terms else {}
        same = terms is not None and all(getattr(terms, k) == v for k, v in reading.risk.items() if k != "shares")
        if not same or shares != reading.risk["shares"]:
            reading.risk_changed = True
            changes.append("Risk share: terms changed")
    return changes


def apply(reading, *, user, reason: str = "") -> int:
    """Write every change the reading found, all or nothing; PlanRefused (nothing written) if one is refused."""
    if not reading.ok:
        raise PlanRefused("the workbook has errors: fix them first")
    area, year = reading.area, reading.year
    kw = dict(user=user, area=area, year=year, reason=reason)
    with on_primary(), transaction.atomic():
        current = {(c.partner, c.source): c.amount for c in selectors.contributions(area, year)}
        for key in set(current) - set(reading.contributions):
            services.save_contribution(**kw, partner=key[0], source=key[1], amount=None)
        for key, amount in reading.contributions.items():
            if current.get(key) != amount:
                services.save_contribution(**kw, partner=key[0], source=key[1], amount=amount)
        stored = {s.id: (sy, months) for s, sy, months in selectors.scheme_rows(area, year)}
        for row in reading.schemes:
            scheme = row.existing
            scheme_year, months = stored.get(scheme.id, (None, None)) if scheme else (None, None)
            if (
                scheme is None
                or scheme_year is None
                or scheme_year.budget != row.budget
                or any(getattr(scheme, name) != row.fields[name] for name in services.SCHEME_FIELDS)
            ):
                scheme = services.save_scheme(
                    **kw, fields=row.fields, budget=row.budget, scheme=scheme, restart=scheme_year is None
                )
            if months != row.months and (months is not None or any(m is not None for m in row.months)):
                services.profile_scheme(**kw, scheme=scheme, how=services.TYPED, months=row.months)
        for metric in reading.changed_metrics:
            annual, months = reading.metrics[metric]
            services.save_metric_plan(**kw, metric=metric, annual=annual, months=months or [None] * 12)
        if reading.risk_changed:
            risk = dict(reading.risk)
            services.save_risk_share(**kw, shares=risk.pop("shares"), **risk)
    return len(reading.changes)
