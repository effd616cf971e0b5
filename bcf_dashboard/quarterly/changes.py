"""What changed between two versions of a quarter's summary, figure by figure.

Both sides are summary documents (``document.build_document``): a frozen version and the next
one, or the last frozen version and today's draft. Only what the page shows is compared:
headline, metric statuses and year-to-date figures, spend totals and by scheme type, the pool,
the checks, the risk share and the narrative. Figures are written as the page writes them, to
two decimals where a rate moves by less than the page's one.
"""

from dataclasses import dataclass
from decimal import Decimal

from bcf_dashboard.core import formats, periods
from bcf_dashboard.core.statuses import STATUS_LABEL
from bcf_dashboard.quarterly.models import SECTIONS

DASH = "–"


@dataclass(frozen=True)
class Change:
    section: str
    item: str
    before: str
    after: str
    text: bool = False  # narrative: long text, shown whole


def _money(value) -> str:
    return formats.gbp(value, pennies=True) if value is not None else DASH


def _number(unit):
    def write(value) -> str:
        if value is None:
            return DASH
        value = Decimal(str(value))
        text = f"{value:,.0f}" if unit == "count" and value == value.to_integral_value() else f"{value:,.2f}"
        return f"{text}%" if unit == "percent" else text

    return write


def _month(code) -> str:
    return periods.parse_period(code).label if code else "no data yet"


def _status(code) -> str:
    return STATUS_LABEL.get(code, DASH) if code else DASH


def _count(value) -> str:
    return formats.thousands(value) if value is not None else DASH


class _Collector:
    def __init__(self):
        self.found: list[Change] = []

    def compare(self, section, item, old, new, write, *, text=False):
        if old != new:
            self.found.append(Change(section, item, write(old), write(new), text))


def changes_between(old: dict, new: dict) -> list[Change]:
    found = _Collector()
    found.compare("Headline", "Headline", old.get("headline"), new.get("headline"), lambda v: v or DASH, text=True)
    _metrics(found, old["summary"]["metrics"], new["summary"]["metrics"])
    _spend(found, old, new)
    _pool(found, old["summary"]["funding"], new["summary"]["funding"])
    _risk(found, old["summary"]["risk_share"], new["summary"]["risk_share"])
    _narrative(found, old.get("narrative") or {}, new.get("narrative") or {})
    return found.found


METRIC_FIELDS = [
    ("status", "status", None),
    ("as_of", "data to", None),
    ("plan_ytd", "plan to date", "n"),
    ("actual_ytd", "actual to date", "n"),
    ("variance_ytd", "variance", "n"),
    ("plan_year", "plan for the year", "n"),
]


def _metrics(found, old_metrics, new_metrics):
    old_by, new_by = ({m["code"]: m for m in ms if not m.get("parent")} for ms in (old_metrics, new_metrics))
    for code in list(old_by) + [c for c in new_by if c not in old_by]:
        old, new = old_by.get(code), new_by.get(code)
        either = new or old
        name = f"{either['name']} ({code})"
        if old is None or new is None:
            found.compare(
                "Metrics", name, "shown" if old else None, "shown" if new else None, lambda v: v or "not shown"
            )
            continue
        for key, label, kind in METRIC_FIELDS:
            write = _number(either["unit"]) if kind else (_status if key == "status" else _month)
            found.compare("Metrics", f"{name}: {label}", old.get(key), new.get(key), write)


SPEND_FIELDS = [
    ("budget", "budget"),
    ("actual_ytd", "spent to date"),
    ("plan_ytd", "planned to date"),
    ("forecast_outturn", "forecast outturn"),
    ("forecast_variance", "forecast against budget"),
]


def _spend(found, old_doc, new_doc):
    old, new = old_doc["summary"]["spend"], new_doc["summary"]["spend"]
    found.compare("Spend", "Spend: data to", old.get("as_of"), new.get("as_of"), _month)
    for key, label in SPEND_FIELDS:
        found.compare("Spend", f"Total {label}", old.get(key), new.get(key), _money)
    old_types = {g["type"]: g for g in old_doc.get("spend_by_type", [])}
    new_types = {g["type"]: g for g in new_doc.get("spend_by_type", [])}
    for name in list(old_types) + [t for t in new_types if t not in old_types]:
        for key, label in (
            ("budget", "budget"),
            ("actual_ytd", "spent to date"),
            ("forecast_outturn", "forecast outturn"),
        ):
            found.compare(
                "Spend", f"{name}: {label}", old_types.get(name, {}).get(key), new_types.get(name, {}).get(key), _money
            )


def _pool(found, old, new):
    found.compare("Pooled fund", "Total pooled", old.get("total"), new.get("total"), _money)

    def by_key(funding):
        return {f"{c['source']}, {c['partner']}": c["amount"] for c in funding.get("contributions", [])}

    old_c, new_c = by_key(old), by_key(new)
    for key in list(old_c) + [k for k in new_c if k not in old_c]:
        found.compare("Pooled fund", key, old_c.get(key), new_c.get(key), _money)
    old_checks = {c["name"]: c["passed"] for c in old.get("checks", [])}
    new_checks = {c["name"]: c["passed"] for c in new.get("checks", [])}
    for name in list(old_checks) + [n for n in new_checks if n not in old_checks]:
        found.compare(
            "Checks",
            name,
            old_checks.get(name),
            new_checks.get(name),
            lambda v: DASH if v is None else ("Met" if v else "Not met"),
        )


RISK_FIELDS = [
    ("value_at_risk", "value at risk", _money),
    ("contingency", "contingency held", _money),
    ("excess_admissions_ytd", "admissions above plan to date", _count),
    ("excess_cost_ytd", "their cost", _money),
    ("contingency_drawn", "contingency drawn", _money),
    ("contingency_remaining", "contingency remaining", _money),
    ("uncovered_cost", "cost not covered", _money),
]


def _risk(found, old, new):
    for key, label, write in RISK_FIELDS:
        found.compare("Risk share", label[0].upper() + label[1:], (old or {}).get(key), (new or {}).get(key), write)


def _narrative(found, old, new):
    def text(value):
        return value or "(none)"

    for key, name in SECTIONS.items():
        found.compare("Narrative", name, old.get(key) or "", new.get(key) or "", text, text=True)
    old_m, new_m = old.get("metrics") or {}, new.get("metrics") or {}
    for code in sorted(set(old_m) | set(new_m)):
        found.compare("Narrative", f"Comment on {code}", old_m.get(code, ""), new_m.get(code, ""), text, text=True)
