"""Reading an XLSX returns workbook as the person sees it in Excel: the first visible sheet, percent cells as
the percent shown, numbers at Excel's 15 significant digits, formulas without a cached value found and
named, dates in the period column as their month; a zip bomb refused before anything is inflated."""

import datetime
import io
import re
import zipfile
from decimal import Decimal, InvalidOperation

_NOT_A_RETURNS_FILE = (
    "this is not a CSV or XLSX file: save the sheet from Excel as 'CSV UTF-8 (comma delimited)' "
    "or as an .xlsx workbook and upload that"
)


class UnreadableFile(Exception):
    """The bytes are not a returns file at all (empty, binary, a broken workbook)."""


# An XLSX is a zip of XML. An honest returns workbook inflates about 15 times (200,000 rows: 4 MB
# to 62 MB); a zip bomb inflates thousands of times. These limits are checked on the sizes the
# zip declares, before anything is inflated: Python's zipfile never inflates past a member's
# declared size, so a lying declaration only gives a short, broken member.
XLSX_MAX_UNCOMPRESSED = 200 * 1024 * 1024


XLSX_MAX_RATIO = 100


XLSX_RATIO_FROM = 1024 * 1024  # small members (styles, themes) may compress further, harmlessly


XLSX_MAX_MEMBERS = 1000


def check_xlsx_archive(content: bytes) -> None:
    """Refuse a workbook whose zip would inflate to far more than a returns file ever needs."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise UnreadableFile(_NOT_A_RETURNS_FILE) from None
    with archive:
        members = archive.infolist()
        if len(members) > XLSX_MAX_MEMBERS:
            raise UnreadableFile(
                f"the workbook holds {len(members):,} parts, far more than a returns sheet needs: "
                "save the returns as a new workbook (or as CSV) and upload that"
            )
        total = 0
        for member in members:
            total += member.file_size
            if member.file_size > XLSX_RATIO_FROM and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1):
                raise UnreadableFile(
                    "the workbook is compressed far more than a spreadsheet can be (it looks like a "
                    "'zip bomb'), so it was not opened: save the returns as CSV and upload that"
                )
        if total > XLSX_MAX_UNCOMPRESSED:
            raise UnreadableFile(
                f"the workbook would expand to {total / 1024 / 1024:,.0f} MB, more than the "
                f"{XLSX_MAX_UNCOMPRESSED // 1024 // 1024} MB a returns file may: split it into "
                "smaller files"
            )


def _xlsx_records(content: bytes):
    """The first visible sheet's rows as text, its warnings, and the cells that cannot be read.

    Read as the person sees it in Excel: hidden sheets are skipped, a cell formatted as a percent
    is the percent shown, numbers have Excel's 15 significant digits, and a formula Excel never
    calculated (no cached value) is a problem at its cell, {(row, column index): reason}.
    """
    check_xlsx_archive(content)
    # openpyxl is slow to import; only XLSX uploads pay for it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (zip, XML, key errors) for a broken workbook
        raise UnreadableFile(_NOT_A_RETURNS_FILE) from None
    try:
        sheets = workbook.worksheets
        if not sheets:
            raise UnreadableFile("the workbook has no worksheet")
        visible = [sheet for sheet in sheets if getattr(sheet, "sheet_state", "visible") == "visible"]
        if not visible:
            raise UnreadableFile(
                "every sheet of the workbook is hidden: unhide the returns sheet in Excel "
                "(right-click a sheet tab, Unhide), save and upload again"
            )
        sheet, warnings = visible[0], []
        hidden = {other.title for other in sheets if other not in visible}
        others = [
            f"'{name}'" + (" (hidden)" if name in hidden else "") for name in workbook.sheetnames if name != sheet.title
        ]
        if others:
            which = "first visible sheet" if sheet is not sheets[0] else "first sheet"
            warnings.append(f"only the {which}, '{sheet.title}', was read; {', '.join(others)} ignored")
        sheet.reset_dimensions()  # some writers store a wrong size; read every row there is
        records, empty, formulas = [], set(), _has_formulas(sheet)
        for row in sheet.iter_rows():
            cells = []
            for cell in row:
                value = cell.value
                if value is None:
                    if formulas:
                        empty.add((len(records) + 1, len(cells)))
                    cells.append("")
                elif isinstance(value, (int, float)) and not isinstance(value, bool) and _is_percent(cell):
                    cells.append(_percent_text(value))
                else:
                    cells.append(_cell_text(value))
            records.append(cells)
        problems = _uncalculated_formulas(content, sheet, empty) if empty else {}
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(_NOT_A_RETURNS_FILE) from None
    finally:
        workbook.close()
    return records, warnings, problems


_FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


_UNCALCULATED = (
    "this cell holds a formula that Excel has not calculated (the file was written by a program "
    "that saves no results): open the file in Excel, save it, and upload it again"
)


def _has_formulas(sheet) -> bool:
    """Whether the sheet's XML holds any formula: read in chunks, without parsing it."""
    tail = b""
    with sheet._get_source() as source:
        while chunk := source.read(1024 * 1024):
            if _FORMULA_TAG.search(tail + chunk):
                return True
            tail = chunk[-64:]
    return False


def _uncalculated_formulas(content, sheet, empty) -> dict:
    """{(record number, column index): reason} for the empty-looking cells that hold a formula.

    A second read-only pass over the same sheet, with the formulas instead of their results;
    only made when the sheet has formulas and some cells came back empty.
    """
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        formulas = workbook[sheet.title]
        formulas.reset_dimensions()
        found = {}
        for number, row in enumerate(formulas.iter_rows(values_only=True), start=1):
            for index, value in enumerate(row):
                if value is not None and (number, index) in empty and _is_formula(value):
                    found[(number, index)] = _UNCALCULATED
        return found
    finally:
        workbook.close()


def _is_formula(value) -> bool:
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


_QUOTED_FORMAT_TEXT = re.compile(r'"[^"]*"|\\.')


def _is_percent(cell) -> bool:
    """Whether Excel shows the cell's number as a percent (a % in its number format, outside quoted text)."""
    number_format = getattr(cell, "number_format", None) or ""
    return "%" in number_format and "%" in _QUOTED_FORMAT_TEXT.sub("", number_format)


def _percent_text(value) -> str:
    """0.936 shown as 93.6%: the percent, scaled exactly (15 significant digits first, as Excel does)."""
    return _plain_decimal(_excel_decimal(value) * 100)


def _excel_decimal(value) -> Decimal:
    """A number as Excel shows it: at most 15 significant digits (600.59999999999991 is 600.6)."""
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(format(value, ".15g"))


def _plain_decimal(number: Decimal) -> str:
    text = format(number, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


class _MonthOfDate(str):
    """A date cell's text, which knows the month the date falls in (for the period column)."""

    month = ""


def _date_text(text: str, day: datetime.date) -> str:
    made = _MonthOfDate(text)
    made.month = day.strftime("%Y-%m")
    return made


def _cell_text(value) -> str:
    """An XLSX cell as the text a CSV would hold, numbers as Excel shows them (15 significant digits)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        try:
            return _plain_decimal(_excel_decimal(value))
        except (InvalidOperation, ValueError):
            return repr(value)
    if isinstance(value, datetime.datetime):
        # Excel turns a typed 2017-04 into 1 April 2017; read such a date back as the month.
        if value.day == 1 and value.time() == datetime.time(0, 0):
            return value.strftime("%Y-%m")
        return _date_text(value.isoformat(sep=" "), value)
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m") if value.day == 1 else _date_text(value.isoformat(), value)
    return str(value)
