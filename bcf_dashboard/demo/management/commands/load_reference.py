"""Load the national reference data (metric definitions, funding sources, uplift rates).

Safe in production and safe to repeat: rows are matched on their natural keys and
saved only when a field differs, so a second run writes nothing (and adds no history).
"""

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import models, transaction

from funding.models import FundingSource, UpliftRate
from metrics.models import MetricDefinition

REFERENCE_FILE = Path(settings.BASE_DIR) / "fixtures" / "reference.json"

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


def _same(current, wanted) -> bool:
    if isinstance(current, Decimal) or isinstance(wanted, Decimal):
        if current is None or wanted is None:
            return current is wanted
        return Decimal(current) == Decimal(str(wanted))
    return current == wanted


def upsert(model, lookup: dict, values: dict, counter: Counter | None = None):
    """``update_or_create`` that saves only what changed; returns (obj, status).

    Foreign keys in ``values`` may be model instances or None; they are compared by id
    so an unchanged row is never saved (saving would stamp history and updated_at).
    """
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        status = CREATED
    else:
        changed = []
        for name, wanted in values.items():
            field = model._meta.get_field(name)
            if field.is_relation:
                current = getattr(obj, field.attname)
                wanted_id = wanted.pk if isinstance(wanted, models.Model) else wanted
                if current != wanted_id:
                    setattr(obj, name, wanted)
                    changed.append(name)
            elif not _same(getattr(obj, name), wanted):
                setattr(obj, name, wanted)
                changed.append(name)
        if changed:
            obj.save(update_fields=changed)
        status = UPDATED if changed else UNCHANGED
    if counter is not None:
        counter[(model._meta.verbose_name_plural, status)] += 1
    return obj, status


def read_reference(path: Path = REFERENCE_FILE) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


@transaction.atomic
def load_reference_data(data: dict | None = None, counter: Counter | None = None) -> Counter:
    data = data if data is not None else read_reference()
    counter = counter if counter is not None else Counter()
    metrics = {}
    # Parents come before their components in the file, so one pass resolves them.
    for entry in data["metric_definitions"]:
        values = {k: v for k, v in entry.items() if k not in {"code", "parent"}}
        values["parent"] = metrics[entry["parent"]] if entry.get("parent") else None
        values["area"] = None  # national, never local
        metrics[entry["code"]], _ = upsert(MetricDefinition, {"code": entry["code"]}, values, counter)
    for entry in data["funding_sources"]:
        values = {k: v for k, v in entry.items() if k != "code"}
        upsert(FundingSource, {"code": entry["code"]}, values, counter)
    for entry in data["uplift_rates"]:
        upsert(
            UpliftRate, {"financial_year": entry["financial_year"]}, {"rate_pct": Decimal(entry["rate_pct"])}, counter
        )
    return counter


def describe(counter: Counter) -> list[str]:
    """One line per kind of row: how many were created, updated and left alone."""
    lines = []
    for label in sorted({label for label, _ in counter}):
        parts = [f"{counter[(label, s)]} {s}" for s in (CREATED, UPDATED, UNCHANGED) if counter[(label, s)]]
        lines.append(f"  {label}: {', '.join(parts)}")
    return lines


class Command(BaseCommand):
    help = "Load national reference data (metric definitions, funding sources, uplift rates). Idempotent."

    def handle(self, *args, **options):
        counter = load_reference_data()
        self.stdout.write("Reference data:")
        for line in describe(counter):
            self.stdout.write(line)
