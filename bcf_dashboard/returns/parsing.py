"""Reading a monthly returns file into rows of text, and reading its values as numbers.

Knows nothing about the database: ``read_table`` gives the header's columns and the
non-blank data rows with their spreadsheet row numbers (header = row 1), and
``parse_value`` reads one value the way docs/formats.md section 1 allows.
"""

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from bcf_dashboard.core.formats import neutralise_formula, restore_formula
from bcf_dashboard.engine.returns_file import COLUMNS  # one list of the file's columns, read and written
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
    if content.startswith(_XLSX_MAGIC):
        records, warnings, cell_problems = _xlsx_records(content)
        return _table(records, warnings, cell_problems=cell_problems)
    if content.startswith(_OLE_MAGIC):
        raise UnreadableFile("this is an old-style .xls workbook: save it as .xlsx or as 'CSV UTF-8' and upload that")
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        raise UnreadableFile(_NOT_A_RETURNS_FILE)
    records, broken = _csv_records(content)
    return _table(records, [], broken=broken, strict=True)


def _csv_records(content: bytes):
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("this file is saved as UTF-16 text: save it from Excel as 'CSV UTF-8 (comma delimited)'")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableFile(_NOT_A_RETURNS_FILE) from None
    if "\x00" in text:
        raise UnreadableFile(_NOT_A_RETURNS_FILE)
    return _strict_csv_records(list(io.StringIO(text, newline="")))


_QUOTE_LEFT_OPEN = (
    'a quote (") opens on this row and is not closed where the cell ends, so the rows after it '
    "would be read as part of this cell: put a closing quote after the text, or remove the quote"
)
_TEXT_AFTER_QUOTE = (
    'a cell on this row has text after its closing quote ("), or a quote opened here is not '
    'closed: put quotes around the whole cell and write any quote inside it twice ("")'
)


def _strict_csv_records(lines):
    """(records, {record number: reason}) read so that a quote left open joins no rows silently.

    The reader is strict: a quote open at the end of the file, or text after a closing quote, is
    an error at the record where the quote opened (header = 1), and reading starts again on the
    line after it. A record spread over several lines that does not have the header's number of
    cells is a quote left open too (a real note with line breaks keeps the count). The records of
    a problem are kept as an empty list so the numbers of the records after it stay right.
    """
    records, broken, start, width = [], {}, 0, None
    while start < len(lines):
        reader = csv.reader(_lines_from(lines, start), strict=True)
        consumed = 0  # lines this reader has read, before the current record
        restart = None
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                broken[len(records) + 1] = _TEXT_AFTER_QUOTE if "expected after" in str(exc) else _QUOTE_LEFT_OPEN
                records.append([])
                restart = start + consumed + 1
                break
            spans = reader.line_num - consumed
            if width is None and "".join(cells).strip():
                width = len(cells)
            elif spans > 1 and width is not None and len(cells) != width and '"' in lines[start + consumed]:
                broken[len(records) + 1] = _QUOTE_LEFT_OPEN
                records.append([])
                restart = start + consumed + 1
                break
            consumed = reader.line_num
            records.append(cells)
        if restart is None:
            break
        start = restart
    return records, broken


def _lines_from(lines, start):
    for index in range(start, len(lines)):
        yield lines[index]


def _table(records, warnings, *, broken=None, strict=False, cell_problems=None) -> Table:
    """``strict`` (CSV): a data row with more or fewer cells than the header is an error, not padded or cut.

    ``broken`` {record number: reason} are rows that could not be read; ``cell_problems``
    {(record number, column index): reason} cells that could not (an XLSX formula never calculated).
    """
    broken, problem_rows = broken or {}, {}
    for (number, index), reason in sorted((cell_problems or {}).items()):
        problem_rows.setdefault(number, []).append((index, reason))
    rows = [
        (number, cells) for number, cells in enumerate(records, start=1) if number in broken or "".join(cells).strip()
    ]
    if not rows:
        raise UnreadableFile(
            "the file is empty: the first row must be the header "
            f"({', '.join(COLUMNS)}) and each row after it one value"
        )
    header_number, header = rows[0]
    table = Table(columns={}, rows=[], warnings=list(warnings))
    if header_number != 1:
        table.errors.append(RowError(1, "", "the first row must be the header: remove the empty rows above it"))
    seen = {}
    for index, name in enumerate(header):
        key = name.strip().lower()
        if not key:
            continue
        if key in seen:
            table.errors.append(
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
            table.warnings.append(f"column '{name.strip()}' is not part of the returns format and was ignored")
    for name in REQUIRED:
        if name not in table.columns:
            reason = f"the required column '{name}' is missing from the header row"
            if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
                reason += ": the columns must be separated by commas"
            table.errors.append(RowError(1, name, reason))
    width, period_at, beyond = len(header), table.columns.get("period"), []
    for number, cells in rows[1:]:
        if number in broken:
            table.row_errors.append(RowError(number, "", broken[number]))
            table.unread_rows += 1
            continue
        if strict and len(cells) != width:
            table.row_errors.append(RowError(number, "", _cell_count_reason(len(cells), width)))
            table.unread_rows += 1
            continue
        if number in problem_rows:
            names = {index: name for name, index in table.columns.items()}
            found = [
                RowError(number, names.get(index, _letter(index)), reason)
                for index, reason in problem_rows[number]
                if index < width
            ]
            if found:
                table.row_errors.extend(found)
                table.unread_rows += 1
                continue
        if len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        elif len(cells) > width and "".join(cells[width:]).strip():
            beyond.append(number)
        if period_at is not None and isinstance(cells[period_at], _MonthOfDate):
            cells[period_at] = cells[period_at].month  # a date in the period column is the month it falls in
        table.rows.append((number, cells))
    if beyond:
        table.warnings.append(_beyond_header_warning(beyond, width))
    if not table.rows and not table.row_errors and not table.errors:
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
