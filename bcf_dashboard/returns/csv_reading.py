"""Reading a CSV returns file a record at a time: strictly (``strict_csv_records``, which ``parsing``
builds its rows from), or for a quick first look at the areas and periods it names (``csv_names``).

A file of a million rows is never all in memory: the bytes are decoded as they are read.
"""

import csv
import io
from collections import deque
from collections.abc import Iterator

from bcf_dashboard.returns.xlsx import _NOT_A_RETURNS_FILE, UnreadableFile


def csv_lines(content: bytes):
    """The file's lines as text, decoded as they are read: a StringIO of the whole text would take four
    bytes a character (200 MB for a 50 MB file)."""
    try:
        content.decode("utf-8-sig")  # every byte checked first: a bad one near the end fails before any row
    except UnicodeDecodeError:
        raise UnreadableFile(_NOT_A_RETURNS_FILE) from None
    if b"\x00" in content:
        raise UnreadableFile(_NOT_A_RETURNS_FILE)
    return io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")


def csv_names(content: bytes) -> tuple[set[str], set[str], int]:
    """A quick first look at a CSV file: the area codes (as looked up) and period texts it names, and
    about how many data rows it has. Read with the csv module alone, in C; the strict reading that
    follows decides what each row is, and looks up any area or period this look missed (a quote left
    open reads differently here)."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return set(), set(), 0
    codes, period_texts, rows = set(), set(), 0
    records = csv.reader(csv_lines(content))
    for header in records:
        if "".join(header).strip():
            break
    else:
        return codes, period_texts, rows
    names = [name.strip().lower() for name in header]
    if "area_code" not in names or "period" not in names:
        return codes, period_texts, rows
    area_at, period_at = names.index("area_code"), names.index("period")
    enough = max(area_at, period_at) + 1
    try:
        for cells in records:
            if len(cells) >= enough:
                codes.add(cells[area_at].strip().upper())
                period_texts.add(cells[period_at])
                rows += 1
    except csv.Error:
        pass  # a cell past the csv module's limit: the strict reading names that row's problem
    return codes, period_texts, rows


_QUOTE_LEFT_OPEN = (
    'a quote (") opens on this row and is not closed where the cell ends, so the rows after it '
    "would be read as part of this cell: put a closing quote after the text, or remove the quote"
)
_TEXT_AFTER_QUOTE = (
    'a cell on this row has text after its closing quote ("), or a quote opened here is not '
    'closed: put quotes around the whole cell and write any quote inside it twice ("")'
)


def strict_csv_records(lines) -> Iterator[tuple[int, list[str] | str]]:
    """(record number, cells), or (record number, reason) for a record that cannot be read, one at a time.

    The reader is strict: a quote open at the end of the file, or text after a closing quote, is
    an error at the record where the quote opened (header = 1), and reading starts again on the
    line after it. A record spread over several lines that does not have the header's number of
    cells is a quote left open too (a real note with line breaks keeps the count). A problem
    record keeps its number, so the numbers of the records after it stay right. Only the lines of
    the record being read are held, whatever the file's size.
    """
    source, again, current = iter(lines), deque(), []
    number, width = 0, None

    def feed():
        while True:
            if again:
                line = again.popleft()
            else:
                line = next(source, None)
                if line is None:
                    return
            current.append(line)
            yield line

    while True:
        reader, broken = csv.reader(feed(), strict=True), None
        while True:
            current.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                broken = _TEXT_AFTER_QUOTE if "expected after" in str(exc) else _QUOTE_LEFT_OPEN
            else:
                if width is None and "".join(cells).strip():
                    width = len(cells)
                elif len(current) > 1 and width is not None and len(cells) != width and '"' in current[0]:
                    broken = _QUOTE_LEFT_OPEN
            number += 1
            if broken:
                yield number, broken
                again.extendleft(reversed(current[1:]))  # read again from the line after the quote
                break
            yield number, cells
