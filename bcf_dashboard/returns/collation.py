"""Large returns files, such as a national collation of a million rows, checked and applied in chunks.

``import_returns`` holds a whole file at once: its rows, their checks and the change each would make,
which for a million rows is several gigabytes. ``import_in_chunks`` applies the same rules through the
same code (the strict reading, ``checking``, ``services._plan``, ``storing``) to ``CHUNK_ROWS`` rows at a
time, and keeps across the file only what must be: the key of each value given (a value given twice is
an error wherever its two rows are), the first errors and the count of the rest, the counts, and each
area-year's moved spend for its headline. The background worker runs it for large uploads
(``background``), telling ``progress`` how many rows are done after each chunk.

Still all or nothing: the apply writes every chunk inside one transaction, with the areas the file names
locked first, and writes nothing if any row is refused. Each chunk reads the stored values, closed
quarters and agreed plans it meets inside that transaction, as ``import_returns`` does for a whole file.
"""

import contextvars
import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from bcf_dashboard.core.bulk import collector_paused
from bcf_dashboard.core.locks import on_primary
from bcf_dashboard.core.models import ImportBatch
from bcf_dashboard.digests import services as digests
from bcf_dashboard.returns import csv_reading, parsing, services
from bcf_dashboard.returns.checking import Lookups, check_rows, file_names
from bcf_dashboard.returns.services import ImportResult, _finished, _Guards, _plan
from bcf_dashboard.returns.storing import ACTUAL_MEASURES, changed_pairs, write_values
from bcf_dashboard.returns.xlsx import UnreadableFile

# Rows read, checked and written at a time: large enough that each chunk's few queries cost little,
# small enough that a chunk's objects stay a few tens of megabytes.
CHUNK_ROWS = 20_000
SPEND = "spend"

Progress = Callable[[int, int], None]  # (rows done, rows in the file, as first counted)


@collector_paused()
def import_in_chunks(
    *,
    content: bytes,
    file_name: str,
    user=None,
    dry_run=False,
    source=ImportBatch.Source.UPLOAD,
    reason: str = "",
    changed_since=None,
    area=None,
    progress: Progress | None = None,
    chunk_rows: int | None = None,
) -> ImportResult:
    """What ``import_returns`` does with the same arguments, a chunk of rows at a time.

    The result's ``changes`` stay empty (a million planned changes are what this avoids keeping): its
    counts say what changes.
    """
    chunk_rows = chunk_rows or CHUNK_ROWS
    result = ImportResult(file_name=file_name, dry_run=dry_run)
    guards = _Guards(reason=reason.strip(), expected=None, changed_since=changed_since)
    try:
        if parsing.is_csv(content, file_name):
            codes, period_texts, total = csv_reading.csv_names(content)
            chunks = parsing.read_table_in_chunks(content, file_name, rows=chunk_rows)
            first = next(chunks)
        else:  # a workbook is read whole by openpyxl anyway: its rows are handed out in chunks
            first = parsing.read_table(content, file_name)
            codes, period_texts = file_names(first.columns, first.rows) if not first.errors else (set(), set())
            total, chunks = len(first.rows), _slices(first, chunk_rows)
            first = next(chunks)
        result.warnings = first.warnings  # the reader adds the whole file's warnings to this list at the end
        if first.errors:
            result.errors.extend(first.errors)
            result.rows = sum(len(chunk.rows) + chunk.unread_rows for chunk in chain([first], chunks))
            return result
        run = _Run(result, guards, Lookups(first, user, only_area=area, names=(codes, period_texts)), progress, total)
        if dry_run:
            for chunk in chain([first], chunks):
                run.plan(chunk)
        else:
            _apply(run, chain([first], chunks), user=user, source=source, sha256=hashlib.sha256(content).hexdigest())
    except UnreadableFile as exc:
        result.errors.append(parsing.RowError(None, "", str(exc)))
    except _Refused:
        pass
    return _finished(result)


class _Refused(Exception):
    """Raised inside the write transaction to roll every chunk back when any row is refused."""


def _slices(table, rows):
    """A table read whole, as chunks of ``rows``: the first carries its row errors, every one its columns."""
    for start in range(0, max(len(table.rows), 1), rows):
        chunk = parsing.Table(columns=table.columns, rows=table.rows[start : start + rows], warnings=table.warnings)
        if start == 0:
            chunk.errors, chunk.row_errors, chunk.unread_rows = table.errors, table.row_errors, table.unread_rows
        yield chunk


@dataclass
class _Scope:
    """The areas, years and periods of one chunk's rows: what ``storing._read_state`` reads for it."""

    area_ids: list
    years: set
    period_codes: set


class _Run:
    """One pass over a file's chunks: the checks, the counts and what the headlines need."""

    def __init__(self, result, guards, lookups, progress, total):
        self.result, self.guards, self.lookups = result, guards, lookups
        self.progress, self.total, self.done = progress, total, 0
        self.keys = {}  # each value's key -> the row that gave it, for the whole file
        self.headlines = _Headlines()

    def plan(self, chunk, writer=None):
        """Check one chunk and compare it with what is stored: the rows that change, as ``_plan`` gives them.

        The checks are plain Python: while they run, ``writer`` may still be writing the last chunk
        through the connection, which this waits for before it reads.
        """
        writer = writer or _NoWriter()
        result = self.result
        result.rows += len(chunk.rows) + chunk.unread_rows
        result.errors.extend(chunk.row_errors)
        new_areas = self._look_up(chunk, writer)
        rows = check_rows(chunk, self.lookups, result.errors, seen=self.keys)
        blank = sum(1 for row in rows if row.value is None)
        if blank:
            result.blank += blank
            rows = [row for row in rows if row.value is not None]
        self.done += len(chunk.rows) + chunk.unread_rows
        if not rows and not blank:  # the reader's last chunk may hold no rows: nothing to read or plan
            return services._Writes(), new_areas
        scope = _Scope(
            sorted({row.area.id for row in rows}),
            {row.period.financial_year for row in rows},
            {row.period_code for row in rows},
        )
        writer.wait()
        # Through services, as import_returns reads and locks: one path to watch in the tests of both.
        writes = _plan(rows, services._read_state(scope, self.guards, rows), result, self.guards)
        result.changes.clear()  # counted in created and updated; a million of them are not kept
        if self.progress:
            self.progress(self.done, max(self.total, self.done))
        return writes, new_areas

    def _look_up(self, chunk, writer) -> list:
        """Look up any area or period the first look at the file missed; the ids of the areas it adds."""
        codes, period_texts = file_names(chunk.columns, chunk.rows)
        if codes <= self.lookups.codes and period_texts <= self.lookups.period_refs.keys():
            return []
        writer.wait()
        before = set(self.lookups.area_ids)
        self.lookups.add(codes, period_texts)
        return [area_id for area_id in self.lookups.area_ids if area_id not in before]


class _NoWriter:
    def wait(self):
        pass


class _Writer:
    """Writes one chunk's values in a second thread, through the same connection and transaction, while
    the main thread reads and checks the next chunk: the database's work on one and Python's on the
    other overlap (a third of a million-row apply's time). The main thread waits for the write before it
    uses the connection again, so the two never use it at once."""

    def __init__(self):
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.pool, self.pending = None, None

    def __enter__(self):
        self.connection.inc_thread_sharing()
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="returns-writer")
        return self

    def __exit__(self, *exc):
        try:
            self.wait()
        finally:
            self.pool.shutdown()
            self.connection.dec_thread_sharing()

    def submit(self, write, *args) -> None:
        self.wait()
        # The caller's context (on_primary's pin to the primary) goes with the write.
        self.pending = self.pool.submit(contextvars.copy_context().run, self._in_thread, write, *args)

    def wait(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            pending.result()  # a failed write raises here, in the main thread, and the transaction rolls back

    def _in_thread(self, write, *args):
        connections[DEFAULT_DB_ALIAS] = self.connection  # this thread's "connection" is the transaction's own
        return write(*args)


def _apply(run, chunks, *, user, source, sha256) -> None:
    result, lookups = run.result, run.lookups
    user = user if getattr(user, "is_authenticated", False) else None
    with on_primary(), transaction.atomic():
        # The batch goes in first: on SQLite that write takes the database lock before anything is read.
        batch = ImportBatch.objects.create(
            source=source, file_name=result.file_name[:255], file_sha256=sha256, user=user, reason=run.guards.reason
        )
        services.lock_areas(lookups.area_ids)
        seen = digests.versions(lookups.area_ids, lookups.years)
        with _Writer() as writer:
            for chunk in chunks:
                writes, new_areas = run.plan(chunk, writer)
                if new_areas:  # named by rows the first look misread: locked before their values count
                    services.lock_areas(new_areas)
                    seen.update(digests.versions(new_areas, lookups.years))
                if not result.errors:  # once any row is refused the rest are only checked, to list every error
                    writer.submit(write_values, writes, batch, user)
                    run.headlines.add(writes)
        if result.errors:
            raise _Refused
        run.headlines.update(seen)
        batch.rows, batch.created, batch.updated, batch.unchanged = (
            result.rows,
            result.created,
            result.updated,
            result.unchanged,
        )
        batch.save(update_fields=["rows", "created", "updated", "unchanged"])
    result.batch = batch


class _Headlines:
    """What the file changes, gathered chunk by chunk for one ``digests.changed`` at the end.

    An area-year whose every change is a scheme's monthly actual has its headline moved by the
    differences (``digests.changed``'s ``actuals``). A file may give a million of those changes: the
    move needs only each scheme's totals (the spend rule adds the differences up), so those are kept,
    one per scheme: the latest month changed, the old and the new spend added up, the old None if any
    month had no actual before.
    """

    def __init__(self):
        self.pairs, self.others, self.spend = set(), set(), {}

    def add(self, writes) -> None:
        self.pairs |= changed_pairs(writes)
        self.others |= {(row.area.id, row.period.financial_year) for row, _ in writes.metric_values}
        for row, change in writes.scheme_values:
            pair, (scheme, name) = (row.area.id, row.period.financial_year), row.target
            if row.kind != "actual" or name not in ACTUAL_MEASURES:
                self.others.add(pair)
                continue
            schemes = self.spend.setdefault(pair, {})
            if name != SPEND:
                continue  # activity moves neither total
            month, old, new = schemes.get(scheme.id, (0, Decimal(0), Decimal(0)))
            schemes[scheme.id] = (
                max(month, row.period.number),
                None if old is None or change.old_value is None else old + change.old_value,
                new + change.new_value,
            )

    def update(self, seen) -> None:
        actuals = {
            pair: [
                digests.ActualChange(scheme_id, SPEND, month, old, new)
                for scheme_id, (month, old, new) in schemes.items()
            ]
            for pair, schemes in self.spend.items()
            if pair not in self.others
        }
        digests.changed(self.pairs, actuals=actuals, seen=seen)
