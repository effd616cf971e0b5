"""Check a monthly returns table and apply it all or nothing, recording every change.

``import_returns`` reads a file; ``apply_table`` is what both the file and the monthly
entry form go through, so both share every check and the audit writing. The work is done
in a fixed number of queries whatever the table's size: the rows are checked in plain
Python against lookups loaded once (``checking``), and the values are written with
batched upserts (``writing``). See docs/formats.md section 1 for the rules.

Inside the write transaction the areas' rows are locked (SELECT ... FOR UPDATE on
PostgreSQL; on SQLite the batch INSERT made first takes the database's write lock), and
only then are the stored values, closed quarters and agreed plans read again. Every
writer of an area's figures or sign-off takes the same lock, so the old values recorded
in ``ValueChange`` are exactly the ones replaced, and nobody's change is lost between a
read and a write.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import formats, timezone

from bcf_dashboard.core import periods
from bcf_dashboard.core.bulk import collector_paused
from bcf_dashboard.core.locks import lock_areas, on_primary
from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.digests import services as digests
from bcf_dashboard.returns.checking import Lookups, check_rows
from bcf_dashboard.returns.closed_quarters import closed_quarter_error
from bcf_dashboard.returns.parsing import ErrorList, RowError, read_table
from bcf_dashboard.returns.storing import PLAN, _read_state, _write
from bcf_dashboard.returns.xlsx import UnreadableFile
from metrics.models import MetricDefinition


class PlannedChange(NamedTuple):
    """A value the table creates or changes: what a preview shows and the audit keeps.

    A named tuple: as immutable as a frozen dataclass, and five times quicker to make, which
    counts at one per changed row of a 100,000-row file."""

    area_code: str
    period: str
    measure: str
    kind: str
    old_value: Decimal | None
    new_value: Decimal
    old_note: str
    new_note: str
    row: int = 0

    @property
    def is_new(self) -> bool:
        return self.old_value is None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.area_code, self.period, self.measure, self.kind)


@dataclass
class ImportResult:
    """What a table did or would do. ``errors`` empty means it applied (or, dry run, would apply).

    With errors the counts stay 0 and ``changes`` empty: nothing is planned for a table that
    will not apply. ``rows`` counts the non-blank data rows in every case.
    """

    file_name: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    blank: int = 0  # rows whose value was left blank: they write nothing
    # At most parsing.ERROR_LIMIT errors, the nearest the top of the file; more_errors counts the rest.
    errors: list[RowError] = field(default_factory=ErrorList)
    warnings: list[str] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    batch: ImportBatch | None = None
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def error_count(self) -> int:
        """Every error found, listed or not."""
        return len(self.errors) + self.more_errors

    @property
    def more_errors(self) -> int:
        """Errors found past the ones listed (ERROR_LIMIT)."""
        return getattr(self.errors, "more", 0)


@collector_paused()
def import_returns(
    *,
    content: bytes,
    file_name: str,
    user=None,
    dry_run=False,
    source=ImportBatch.Source.UPLOAD,
    reason: str = "",
    changed_since: datetime.datetime | None = None,
    area=None,
) -> ImportResult:
    """Check ``content`` and, unless ``dry_run`` or any row is wrong, apply it in one transaction.

    ``user`` None means an operator's command: every area may be edited. ``reason`` is
    recorded with the batch and is required to change an agreed plan. ``changed_since``
    (the time of the preview the user confirmed) refuses rows whose stored value someone
    changed after it. ``area`` limits the file to that one area (an area's upload page).
    """
    result = ImportResult(file_name=file_name, dry_run=dry_run)
    try:
        table = read_table(content, file_name)
    except UnreadableFile as exc:
        result.errors.append(RowError(None, "", str(exc)))
        return result
    result.rows = len(table.rows) + table.unread_rows
    result.warnings = table.warnings
    if table.errors:
        result.errors.extend(table.errors)
        return result
    result.errors.extend(table.row_errors)
    return apply_table(
        table,
        result,
        user=user,
        source=source,
        content_sha256=hashlib.sha256(content).hexdigest(),
        reason=reason,
        changed_since=changed_since,
        area=area,
    )


def apply_table(
    table,
    result: ImportResult,
    *,
    user=None,
    source,
    content_sha256="",
    reason="",
    expected: dict | None = None,
    changed_since: datetime.datetime | None = None,
    area=None,
) -> ImportResult:
    """Check ``table``'s rows and apply them unless ``result.dry_run`` or anything is wrong.

    ``expected`` maps a change's key (area code, period, measure, kind) to the value the
    user saw (None for none): a row whose stored value differs from it now is refused.
    """
    guards = _Guards(reason=reason.strip(), expected=expected, changed_since=changed_since)
    lookups = Lookups(table, user, only_area=area)
    rows = check_rows(table, lookups, result.errors)
    blank = sum(1 for row in rows if row.value is None)
    if blank:
        result.blank += blank
        rows = [row for row in rows if row.value is not None]
    # A file whose every row is left blank still applies (as a batch that writes nothing), as a file
    # whose every figure is already saved does.
    if result.dry_run or result.errors or (not rows and not blank):
        # Agreed plans and conflicts are checked here too, so that every error shows at once.
        _plan(rows, _read_state(lookups, guards, rows), result, guards)
        return _finished(result)
    try:
        result.batch = _apply(rows, lookups, result, guards, user=user, source=source, sha256=content_sha256)
    except _Refused:
        pass
    return _finished(result)


def _finished(result):
    if result.errors:
        result.errors.sort(key=lambda error: error.row or 0)
        result.created = result.updated = result.unchanged = result.blank = 0
        result.changes = []
        result.batch = None
    return result


class _Refused(Exception):
    """Raised inside the write transaction to roll it back when the re-read state refuses a row."""


@dataclass(frozen=True)
class _Guards:
    reason: str
    expected: dict | None
    changed_since: datetime.datetime | None

    @property
    def checks_conflicts(self) -> bool:
        return self.expected is not None or self.changed_since is not None


# A stored value is a plain tuple (value, note[, updated_by_id, updated_at]): a file can meet
# hundreds of thousands of them, and building an object for each costs more than the checks.
VALUE, NOTE, UPDATED_BY, UPDATED_AT = range(4)


@dataclass
class _Writes:
    metric_values: list = field(default_factory=list)  # (row, change) pairs
    scheme_values: list = field(default_factory=list)


def _plan(rows, state, result, guards) -> _Writes:
    """Compare each valid row with what is stored; keep only what changes, refuse what may not."""
    writes, conflicts = _Writes(), []
    # Hoisted: the loop meets every row of the file, and most files meet none of these cases.
    closed, agreed = state.closed, (state.agreed if not guards.reason else {})
    checks_conflicts = guards.checks_conflicts
    for row in rows:
        target = row.target
        if isinstance(target, MetricDefinition):
            stored = state.metric_values.get((row.area.id, target.id, row.period_code, row.kind))
            measure, bucket = target.code, writes.metric_values
        else:
            scheme, name = target
            stored = state.scheme_values.get((scheme.id, row.period_code, name, row.kind))
            measure, bucket = f"{name}:{scheme.ref}", writes.scheme_values
        old_value, old_note = (stored[VALUE], stored[NOTE]) if stored else (None, "")
        note = old_note if row.note is None else row.note
        if stored is not None and old_value == row.value and _same_note(old_note, note):
            result.unchanged += 1
            continue
        if closed:  # an approved or locked quarter takes no change (a row that changes nothing passes)
            refused = closed_quarter_error(row.area, row.period, row.number, closed)
            if refused:
                result.errors.append(refused)
                continue
        change = PlannedChange(
            row.area.code, row.period_code, measure, row.kind, old_value, row.value, old_note, note, row.number
        )
        if checks_conflicts and _conflicts(change, stored, guards):
            conflicts.append((change, stored))
            continue
        if agreed and row.kind == PLAN and (row.area.id, row.period.financial_year) in agreed:
            result.errors.append(
                RowError(row.number, "value", _agreed_reason(agreed[(row.area.id, row.period.financial_year)], row))
            )
            continue
        if stored is None:
            result.created += 1
        else:
            result.updated += 1
        result.changes.append(change)
        bucket.append((row, change))
    if conflicts:
        result.errors.extend(_conflict_errors(conflicts))
    return writes


def _conflicts(change, stored, guards) -> bool:
    if guards.expected is not None and change.key in guards.expected:
        if guards.expected[change.key] != change.old_value:
            return True
    if guards.changed_since is not None and stored is not None and stored[UPDATED_AT] is not None:
        return stored[UPDATED_AT] > guards.changed_since
    return False


def _conflict_errors(conflicts) -> list[RowError]:
    ids = {stored[UPDATED_BY] for _, stored in conflicts if stored and stored[UPDATED_BY]}
    names = {user.id: user.get_full_name() or user.username for user in get_user_model().objects.filter(id__in=ids)}
    errors = []
    for change, stored in conflicts:
        who = names.get(stored[UPDATED_BY], "someone") if stored else "someone"
        when = f" at {_when(stored[UPDATED_AT])}" if stored and stored[UPDATED_AT] else ""
        now = "removed it" if stored is None else f"set it to {_plain(stored[VALUE])}"
        errors.append(
            RowError(
                change.row,
                "value",
                (
                    f"{who} {now}{when}, after you opened this figure; your {_plain(change.new_value)} was not saved. "
                    "Check the figure and save again if yours is still right"
                ),
            )
        )
    return errors


def _agreed_reason(agreed, row) -> str:
    who = f" by {agreed.agreed_by.get_full_name() or agreed.agreed_by.username}" if agreed.agreed_by else ""
    when = f" on {formats.date_format(timezone.localtime(agreed.agreed_at), 'j M Y')}" if agreed.agreed_at else ""
    return (
        f"the {periods.year_label(row.period.financial_year)} plan for {row.area.name} was agreed{when}{who}: "
        "changing it is a plan revision, so give the reason for the revision"
    )


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "j M Y H:i")


def _plain(value) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _same_note(old, new):
    # Line ends are not a change: browsers send \r\n and an XLSX gives back \n.
    return old == new or _plain_lines(old) == _plain_lines(new)


def _plain_lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _apply(rows, lookups, result, guards, *, user, source, sha256) -> ImportBatch:
    """Lock, read what is stored, check it again, then write the batch, the values and their audit rows."""
    user = user if getattr(user, "is_authenticated", False) else None
    with on_primary(), transaction.atomic():
        # The batch goes in first: on SQLite that write takes the database lock before anything is read.
        batch = ImportBatch.objects.create(
            source=source,
            file_name=result.file_name[:255],
            file_sha256=sha256,
            user=user,
            rows=result.rows,
            reason=guards.reason,
        )
        lock_areas(lookups.area_ids)
        # Before the old values are read: a headline moves by them only if nothing changed the area-year
        # since (an admin save takes no area lock).
        seen = digests.versions(lookups.area_ids, lookups.years)
        writes = _plan(rows, _read_state(lookups, guards, rows), result, guards)
        if result.errors:
            raise _Refused
        _write(writes, batch, user, seen=seen)
        batch.created, batch.updated, batch.unchanged = result.created, result.updated, result.unchanged
        batch.save(update_fields=["created", "updated", "unchanged"])
    return batch
