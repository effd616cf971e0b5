"""Reading a monthly returns file into rows of text, and reading its values as numbers.

Knows nothing about the database: ``read_table`` gives the header's columns and the
non-blank data rows with their spreadsheet row numbers (header = row 1), and
``parse_value`` reads one value the way docs/formats.md section 1 allows.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from bcf_dashboard.core.formats import neutralise_formula, restore_formula
from bcf_dashboard.engine.returns_file import COLUMNS  # one list of the file's columns, read and written
from bcf_dashboard.returns.csv_reading import csv_lines, strict_csv_records
from bcf_dashboard.returns.xlsx import _NOT_A_RETURNS_FILE, UnreadableFile, _MonthOfDate, _xlsx_records

REQUIRED = COLUMNS[:5]
# Columns the product's own templates add after COLUMNS for the reader (the scheme's or metric's
# name, the month's plan beside an actual): read past without a warning, never imported.
INFORMATIONAL_COLUMNS = ("name", "plan")


_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


@dataclass(frozen=True, slots=True)
class RowError:
    """One problem, where the user will find it: ``row`` None means the file as a whole."""

    row: int | None
    column: str
    reason: str

    def __str__(self):
        if self.row is None:
            return f"file: {self.reason}"
        if not self.column:
            return f"row {self.row}: {self.reason}"
        return f"row {self.row}, column {self.column}: {self.reason}"


# An upload lists at most this many errors in full; the rest are counted. A file of 100,000 junk
# rows would otherwise build a page of tens of megabytes that nobody reads past the first screens.
ERROR_LIMIT = 300


class ErrorList(list):
    """The errors nearest the top of the file, at most ``limit`` of them; ``more`` counts the others.

    A list, so everything that reads errors reads it as before. Once full, an error further down
    than every kept one is only counted, and one nearer the top takes the place of the lowest.
    """

    def __init__(self, errors=(), limit=ERROR_LIMIT):
        super().__init__()
        self.limit, self.more, self._lowest = limit, 0, None
        self.extend(errors)

    @property
    def total(self) -> int:
        return len(self) + self.more

    def append(self, error):
        if len(self) < self.limit:
            super().append(error)
            self._lowest = None
            return
        self.more += 1
        if self._lowest is None:
            self._lowest = max(range(len(self)), key=lambda index: _place(self[index]))
        if _place(error) < _place(self[self._lowest]):
            self[self._lowest] = error
            self._lowest = None

    def extend(self, errors):
        """Every error of ``errors``; another ErrorList's uncounted ones are added to ``more``."""
        for error in errors:
            self.append(error)
        self.more += getattr(errors, "more", 0)

    def sort(self, *args, **kwargs):
        super().sort(*args, **kwargs)
        self._lowest = None


def _place(error):
    return error.row or 0


def error_count(errors) -> int:
    """How many errors ``errors`` stands for, counting those an ErrorList did not keep."""
    return len(errors) + getattr(errors, "more", 0)


@dataclass
class Table:
    columns: dict[str, int]  # returns-format column name -> index in each row
    rows: list[tuple[int, list[str]]]  # (spreadsheet row number, cells as text)
    errors: list[RowError] = field(default_factory=list)  # header problems
    warnings: list[str] = field(default_factory=list)
    # Data rows that could not be split into the header's cells (a CSV row with too many or too
    # few cells, or a quote left open): listed with the other rows' errors, never checked further.
    row_errors: list[RowError] = field(default_factory=ErrorList)
    unread_rows: int = 0  # how many data rows those are


def read_table(content: bytes, file_name: str = "") -> Table:
    """Read CSV (UTF-8, BOM optional) strictly, or the first visible sheet of an XLSX workbook."""
    reader = _reader(content, file_name)
    for _ in reader.rows():
        pass
    return reader.finish()


def read_table_in_chunks(content: bytes, file_name: str = "", *, rows: int = 20_000) -> Iterator[Table]:
    """``read_table``, ``rows`` data rows at a time, so that a file of a million rows is never all in memory.

    Every Table shares the header's ``columns``; each holds its own rows and unreadable rows. The last
    one carries the whole file's ``errors`` and ``warnings`` (header problems, cells beyond the header),
    as ``read_table`` would give them. An XLSX sheet is read whole, then handed out in chunks.
    """
    reader = _reader(content, file_name)
    chunk = reader.table
    for count, _ in enumerate(reader.rows(), start=1):
        if count % rows == 0:
            yield chunk
            chunk = reader.table = Table(columns=chunk.columns, rows=[])
    whole = reader.finish()
    yield whole


def _reader(content: bytes, file_name: str) -> "_TableReader":
    if content.startswith(_XLSX_MAGIC):
        records, warnings, cell_problems = _xlsx_records(content)
        return _TableReader(enumerate(records, start=1), warnings, cell_problems=cell_problems)
    if content.startswith(_OLE_MAGIC):
        raise UnreadableFile("this is an old-style .xls workbook: save it as .xlsx or as 'CSV UTF-8' and upload that")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(_NOT_A_RETURNS_FILE)
    return _TableReader(_csv_records(content), [], strict=True)


def _csv_records(content: bytes) -> Iterator[tuple[int, list[str] | str]]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("this file is saved as UTF-16 text: save it from Excel as 'CSV UTF-8 (comma delimited)'")
    return strict_csv_records(csv_lines(content))


def is_csv(content: bytes, file_name: str = "") -> bool:
    """Whether ``read_table`` reads these bytes as CSV (else as a workbook, or not at all)."""
    return not content.startswith((_XLSX_MAGIC, _OLE_MAGIC)) and not file_name.lower().endswith((".xlsx", ".xlsm"))


class _TableReader:
    """Reads numbered records into a Table: the header first, then each data row as it comes.

    ``strict`` (CSV): a data row with more or fewer cells than the header is an error, not padded or
    cut. A record given as a string is one that could not be read, the string saying why;
    ``cell_problems`` {(record number, column index): reason} are cells that could not (an XLSX
    formula never calculated).
    """

    def __init__(self, records, warnings, *, strict=False, cell_problems=None):
        self.records, self.strict = records, strict
        self.problem_rows = {}
        for (number, index), reason in sorted((cell_problems or {}).items()):
            self.problem_rows.setdefault(number, []).append((index, reason))
        self.table = Table(columns={}, rows=[], warnings=list(warnings))
        # The first table holds the header's errors and warnings as soon as the header is read.
        self.errors, self.warnings, self.beyond = self.table.errors, self.table.warnings, []
        self.width = self.period_at = None
        self.any_rows = False

    def rows(self) -> Iterator[None]:
        """Reads every record into ``self.table`` (which the caller may swap), yielding after each data row."""
        for number, cells in self.records:
            if not isinstance(cells, str) and not "".join(cells).strip():
                continue
            if self.width is None:
                self._header(number, cells)
                continue
            self._row(number, cells)
            yield
        if self.width is None:
            raise UnreadableFile(
                "the file is empty: the first row must be the header "
                f"({', '.join(COLUMNS)}) and each row after it one value"
            )

    def _header(self, number, header):
        table, errors = self.table, self.errors
        if isinstance(header, str):
            header = []
        if number != 1:
            errors.append(RowError(1, "", "the first row must be the header: remove the empty rows above it"))
        seen = {}
        for index, name in enumerate(header):
            key = name.strip().lower()
            if not key:
                continue
            if key in seen:
                errors.append(
                    RowError(
                        1,
                        key,
                        f"column '{key}' appears twice (columns {_letter(seen[key])} "
                        f"and {_letter(index)}): keep one of them",
                    )
                )
                continue
            seen[key] = index
            if key in COLUMNS:
                table.columns[key] = index
            elif key in INFORMATIONAL_COLUMNS:
                pass
            else:
                self.warnings.append(f"column '{name.strip()}' is not part of the returns format and was ignored")
        for name in REQUIRED:
            if name not in table.columns:
                reason = f"the required column '{name}' is missing from the header row"
                if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                    reason += ": the columns must be separated by commas"
                errors.append(RowError(1, name, reason))
        self.width, self.period_at = len(header), table.columns.get("period")

    def _row(self, number, cells):
        table, width = self.table, self.width
        self.any_rows = True
        if isinstance(cells, str):
            table.row_errors.append(RowError(number, "", cells))
            table.unread_rows += 1
            return
        if self.strict and len(cells) != width:
            table.row_errors.append(RowError(number, "", _cell_count_reason(len(cells), width)))
            table.unread_rows += 1
            return
        if number in self.problem_rows:
            names = {index: name for name, index in table.columns.items()}
            found = [
                RowError(number, names.get(index, _letter(index)), reason)
                for index, reason in self.problem_rows[number]
                if index < width
            ]
            if found:
                table.row_errors.extend(found)
                table.unread_rows += 1
                return
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width and "".join(cells[width:]).strip():
            self.beyond.append(number)
        if self.period_at is not None and isinstance(cells[self.period_at], _MonthOfDate):
            cells[self.period_at] = cells[self.period_at].month  # a date in the period column is the month it falls in
        table.rows.append((number, cells))

    def finish(self) -> Table:
        """The table being read, given the whole file's header errors and warnings."""
        table = self.table
        table.errors, table.warnings = self.errors, self.warnings
        if self.beyond:
            table.warnings.append(_beyond_header_warning(self.beyond, self.width))
        if not self.any_rows and not self.errors:
            table.errors.append(RowError(None, "", "the file has a header but no data rows: add one row per value"))
        return table


def _beyond_header_warning(rows, width) -> str:
    shown = ", ".join(str(number) for number in rows[:5]) + (f" and {len(rows) - 5:,} more" if len(rows) > 5 else "")
    return (
        f"cells to the right of the header's last column ({_letter(width - 1)}) were ignored, in row"
        f"{'s' if len(rows) > 1 else ''} {shown}: give their column a name in row 1, or clear them"
    )


def _cell_count_reason(cells: int, width: int) -> str:
    if cells > width:
        return (
            f"the row has {cells} cells but the header has {width}: a comma inside a value or note splits "
            "one cell into two (an unquoted £214,00 or 'Paid, invoice pending'); put quotes around text "
            "with commas and write numbers like 214.00 or 1,234.50"
        )
    return (
        f"the row has {cells} cells but the header has {width}: add the missing cells (leave them empty if "
        "there is nothing to give) so that every row has one cell per column"
    )


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# A number with thousands separators only between groups of three, or none at all.
_NUMBER = re.compile(
    r"(?P<sign>[-+]?)(?P<pound>£?)\s*(?P<sign2>[-+]?)"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
    r"\s*(?P<percent>%?)"
)
_HOW_TO_WRITE = "write it like 1234, 1,234.56, £1,234.50, -£12.00 or 12%"


def parse_value(text: str) -> tuple[Decimal, str]:
    """The number in ``text`` and the symbol it carried ("£", "%" or ""); ValueError if unclear."""
    text = text.strip()
    if not text:
        raise ValueError("the value is empty: enter a number (0 if there was none)")
    match = _NUMBER.fullmatch(text)
    if not match or (match["sign"] and match["sign2"]) or (match["pound"] and match["percent"]):
        if "," in text:
            raise ValueError(
                f"'{text}' is ambiguous: use a point for decimals and commas only between "
                "groups of three digits (214.00, 1,234.50)"
            )
        raise ValueError(f"'{text}' is not a number: {_HOW_TO_WRITE}")
    number = Decimal(match["digits"].replace(",", ""))
    if "-" in (match["sign"], match["sign2"]):
        number = -number
    return number, match["pound"] or match["percent"]


# A note is written to a file, and read back, with the one rule every export follows (formats).
neutralise_note = neutralise_formula
restore_note = restore_formula
