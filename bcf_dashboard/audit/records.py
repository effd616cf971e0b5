"""Changes to records kept by django-simple-history, as old -> new per field.

Simple-history keeps a whole copy of the row at each save; the change is the difference
from the copy before it. The copies before a page's records and the names their foreign
keys point to are loaded in one query per model, never one per record.
"""

from dataclasses import dataclass
from decimal import Decimal

from bcf_dashboard.core import formats, periods
from bcf_dashboard.core.fields import HundredthsField, MoneyField
from bcf_dashboard.core.models import AreaYearPlan
from funding.models import Contribution, FundingRequirement, RiskShareTerms
from metrics.models import MetricDefinition
from schemes.models import Scheme, SchemeYear

# tag -> model; the history page and its filters name them by tag.
TRACKED = {
    "scheme": Scheme,
    "scheme_year": SchemeYear,
    "contribution": Contribution,
    "requirement": FundingRequirement,
    "risk_share": RiskShareTerms,
    "metric": MetricDefinition,
    "plan": AreaYearPlan,
}
KIND_WORDS = {"+": "created", "~": "changed", "-": "deleted"}


@dataclass
class FieldChange:
    field: str
    old: str
    new: str


def area_queryset(tag, area):
    """The historical rows of ``tag`` that belong to ``area`` (deleted objects included)."""
    history = TRACKED[tag].history.model.objects
    if tag == "scheme_year":
        scheme_ids = Scheme.history.model.objects.filter(area_id=area.id).values("id")
        return history.filter(scheme_id__in=scheme_ids)
    return history.filter(area_id=area.id)


def describe(tag, records) -> dict[int, tuple[str, list[FieldChange]]]:
    """history_id -> (what the record is, its field changes), for a page of one model's records."""
    if not records:
        return {}
    model = TRACKED[tag]
    history = model.history.model
    ids = {r.id for r in records}
    latest = max(r.history_date for r in records)
    earlier = {}
    for copy in history.objects.filter(id__in=ids, history_date__lte=latest).order_by(
        "id", "history_date", "history_id"
    ):
        earlier.setdefault(copy.id, []).append(copy)
    fields = [f for f in model._meta.fields if f.name != "id"]
    names = _related_names(fields, records, earlier)
    described = {}
    for record in records:
        copies = earlier.get(record.id, [])
        before = None
        for copy in copies:
            if copy.history_id == record.history_id:
                break
            before = copy
        described[record.history_id] = (_what(tag, record, names), _changes(record, before, fields, names))
    return described


def _related_names(fields, records, earlier) -> dict:
    """(model, pk) -> str for every foreign key on the page's records and the copies before them."""
    wanted = {}
    rows = list(records) + [copy for copies in earlier.values() for copy in copies]
    for f in fields:
        if f.is_relation:
            ids = {getattr(r, f.attname) for r in rows} - {None}
            if ids:
                wanted.setdefault(f.related_model, set()).update(ids)
    names = {}
    for related, ids in wanted.items():
        for obj in related._default_manager.filter(pk__in=ids):
            names[(related, obj.pk)] = str(obj)
    return names


def _changes(record, before, fields, names) -> list[FieldChange]:
    if record.history_type == "-":
        return []
    changes = []
    for f in fields:
        new = getattr(record, f.attname)
        old = getattr(before, f.attname) if before is not None else None
        if before is not None and old == new:
            continue
        if before is None and new in (None, ""):
            continue
        changes.append(
            FieldChange(str(f.verbose_name), _text(f, old, names) if before is not None else "", _text(f, new, names))
        )
    return changes


def _text(f, value, names) -> str:
    if value is None or value == "":
        return "–"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, MoneyField):
        return formats.gbp(value)
    if isinstance(f, HundredthsField) or isinstance(value, Decimal):
        text = format(value, "f")
        return text.rstrip("0").rstrip(".") if "." in text else text
    if isinstance(value, bool):
        return "yes" if value else "no"
    if f.name == "financial_year":
        return periods.year_label(value)
    return str(value)


def _what(tag, record, names) -> str:
    year = getattr(record, "financial_year", None)
    year_text = f" {periods.year_label(year)}" if year else ""
    if tag == "scheme":
        return f"Scheme {record.ref} {record.name}"
    if tag == "scheme_year":
        return f"Scheme {names.get((Scheme, record.scheme_id), '#' + str(record.scheme_id))}: budget{year_text}"
    if tag == "contribution":
        source = names.get((Contribution._meta.get_field("source").related_model, record.source_id), "")
        partner = names.get((Contribution._meta.get_field("partner").related_model, record.partner_id), "")
        return f"Contribution{year_text}: {source} from {partner}"
    if tag == "requirement":
        return f"National conditions minima{year_text}"
    if tag == "risk_share":
        return f"Risk share terms{year_text}"
    if tag == "metric":
        return f"Local metric {record.code}"
    return f"Plan{year_text} agreement"
