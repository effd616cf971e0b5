"""Saving the monthly entry form: only the figures the user changed, each checked against the figure the
page showed, through the import's own checks (services.apply_table); errors go back beside their boxes."""

from dataclasses import dataclass
from decimal import Decimal

from django.core import signing

from bcf_dashboard.core.limits import REASON_MAX_LENGTH
from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.returns.entry import PLAN, STATE_MAX_AGE, STATE_SALT, EntryPage, show
from bcf_dashboard.returns.parsing import COLUMNS, RowError, Table, parse_value
from bcf_dashboard.returns.services import ImportResult, apply_table

INPUT_MAX_LENGTH = 40


@dataclass
class Outcome:
    result: ImportResult | None
    changed: dict[str, str]  # field name -> the text the user entered, for the fields they changed

    @property
    def saved(self) -> bool:
        return self.result is not None and self.result.ok


def _shown(data) -> dict | None:
    """The figures of the page the user saw, from its signed state; None if it is missing, forged or too old."""
    try:
        return signing.loads(data.get("state", ""), salt=STATE_SALT, max_age=STATE_MAX_AGE)["values"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def changed_inputs(data) -> set[str] | None:
    """The names of the inputs whose text differs from what the page showed (None: the state is unreadable)."""
    shown = _shown(data)
    if shown is None:
        return None
    return {name for name, was in shown.items() if name in data and not _same(data[name].strip(), was)}


def save(page: EntryPage, *, data, user) -> Outcome:
    """Check and save the figures the user changed; errors are put on ``page`` beside their fields."""
    page.reason = (data.get("reason") or "").strip()
    shown = _shown(data)
    if shown is None:
        page.errors.append(("", "This page is out of date: reload it and enter the figures again."))
        return Outcome(None, {})
    changed, rows, expected, by_row = {}, [], {}, {}
    for entry in page.fields:
        if entry.name not in data or entry.name not in shown:
            continue  # not on the page the user saw (a scheme added since): nothing to compare with
        text, was = data[entry.name].strip(), shown[entry.name]
        if _same(text, was):
            continue
        changed[entry.name] = text
        if len(text) > INPUT_MAX_LENGTH:
            _error(page, entry, f"'{text[:12]}…' is far too long for a figure: enter a number")
        elif not text:
            _error(
                page,
                entry,
                f"this figure was {show(Decimal(was), entry.unit)}: a saved figure cannot be "
                "removed here; enter the right figure (0 if there was none)",
            )
        else:
            by_row[len(rows) + 2] = entry  # row 1 is the header, as in a file
            rows.append((len(rows) + 2, [page.area.code, page.month.code, entry.measure, page.kind, text]))
            expected[(page.area.code, page.month.code, entry.measure, page.kind)] = Decimal(was) if was else None
    if page.kind == PLAN and page.plan_agreed and rows and not page.reason:
        page.reason_error = "Give the reason for revising the agreed plan"
        page.errors.append(("id_reason", page.reason_error))
    elif len(page.reason) > REASON_MAX_LENGTH:
        page.reason_error = f"The reason is {len(page.reason):,} characters long: shorten it to {REASON_MAX_LENGTH:,}"
        page.errors.append(("id_reason", page.reason_error))
    if page.errors or not rows:
        return Outcome(None, changed)
    table = Table(columns={name: index for index, name in enumerate(COLUMNS[:5])}, rows=rows)
    result = ImportResult(file_name=f"monthly entry form, {page.month.label} {page.kind}", rows=len(rows))
    apply_table(
        table,
        result,
        user=user,
        source=ImportBatch.Source.FORM,
        reason=page.reason if page.kind == PLAN else "",
        expected=expected,
        area=page.area,
    )
    for error in result.errors:
        entry = by_row.get(error.row)
        if entry is None:
            page.errors.append(("", _sentence(error)))
        else:
            _error(page, entry, _sentence(error, with_place=False))
    return Outcome(result, changed)


def show_again(refused: EntryPage, fresh: EntryPage, outcome: Outcome) -> EntryPage:
    """After a refused save: the user's own entries and the errors stay; every other input shows what is
    stored now, and the page's signed state is the fresh one, so saving again compares with today's figures."""
    errors = {entry.name: entry.error for entry in refused.fields if entry.error}
    for entry in fresh.fields:
        if entry.name in outcome.changed:
            entry.value_text = outcome.changed[entry.name]
        entry.error = errors.get(entry.name, "")
    fresh.errors, fresh.reason, fresh.reason_error = refused.errors, refused.reason, refused.reason_error
    return fresh


def _same(text: str, was: str) -> bool:
    if text == was:
        return True
    if not text or not was:
        return False
    try:
        return parse_value(text)[0] == Decimal(was)
    except (ValueError, ArithmeticError):
        return False


def _error(page, entry, message):
    entry.error = message[0].upper() + message[1:]
    # "A1 Reablement: spend: spend takes at most..." reads better without the second "spend".
    owner, _, measure = entry.label.rpartition(": ")
    if owner and message.startswith(f"{measure} "):
        message = message[len(measure) + 1 :]
    page.errors.append((entry.input_id, f"{entry.label}: {message}"))


def _sentence(error: RowError, *, with_place=True) -> str:
    return str(error) if with_place and error.row is None else error.reason
