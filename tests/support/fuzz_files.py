"""Hypothesis strategies for monthly returns files (docs/formats.md section 1), for the world in conftest.

A file is a list of (cells by column, what) rows and a header: ``what`` is "valid" (the import
must accept the row), "junk" (anything at all) or the name of the one column made wrong, so
a test knows which row and column the import must name.
"""

import csv
import io

from hypothesis import strategies as st

from bcf_dashboard.returns.parsing import COLUMNS, neutralise_note
from tests.support.fuzzing import hostile
from tests.support.world import BROMLEY

# Open periods of Bromley (the world's Q4 2017/18 is approved, so closed; A1 has a budget in 2017/18 only).
MONTHS = [f"2017-{m:02d}" for m in range(4, 13)]
METRIC_PERIODS = MONTHS + [f"2017/18-Q{q}" for q in range(1, 4)] + ["2016/17", "2016/17-Q3", "2016-05"]
CLOSED_PERIODS = ["2018-02", "2017/18-Q4", "2017/18"]
# A note anyone may write: any printable text, formulas and markup included (tabs and line ends too).
NOTE = st.one_of(
    st.just(""),
    st.sampled_from(
        [
            '=HYPERLINK("http://evil","x")',
            "+cmd|' /C calc'!A0",
            "-2+3",
            "@SUM(A1)",
            "<img src=x onerror=alert(1)>",
            "'=already quoted",
        ]
    ),
    st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from("\t\n"), max_size=40),
)

# One wrong value per column, each wrong whatever the rest of the row says.
WRONG = {
    "area_code": ["", "E0900000", "XYZ", "E09000028", "<script>alert(1)</script>", "=E09000006"],
    "period": [
        "",
        "2017-13",
        "2017-00",
        "1999-04",
        "2101-04",
        "17-04",
        "2017/19",
        "April 2017",
        "@2017",
        *CLOSED_PERIODS,
    ],
    "measure": ["", "spend:", "spend:ZZ9", "NOPE", "foo:A1", "@SUM(A1)", "activity:B1", "OLDNEA", "spend:A2"],
    "kind": ["", "plann", "forecast", "<img src=x onerror=alert(1)>", "+plan"],
    "value": [  # not "": a blank value is "left blank", never an error (docs/formats.md section 1)
        "£214,00",
        "1.234,5",
        "12a",
        "1e309",
        "NaN",
        "inf",
        "--1",
        "1,23",
        "0x10",
        "1e3",
        "99999999999999999999",
        "£",
        "-",
        "=1+1",
    ],
    "note": ["x" * 2001],
}


def _value_text(draw, measure):
    """A value the measure accepts, written in one of the ways docs/formats.md allows, and its number."""
    if measure.startswith("spend:"):
        number = draw(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
        style = draw(st.sampled_from(["plain", "pounds", "thousands"]))
    elif measure.startswith("activity:"):
        number = draw(st.decimals(min_value=0, max_value=10**6, places=2))
        style = draw(st.sampled_from(["plain", "thousands"]))
    elif measure == "REA":
        number = draw(st.decimals(min_value=0, max_value=100, places=1))
        style = draw(st.sampled_from(["plain", "percent"]))
    else:
        number = draw(st.decimals(min_value=0, max_value=10**8, places=4))
        style = draw(st.sampled_from(["plain", "thousands"]))
    digits = f"{abs(number):,f}" if style in ("thousands", "pounds") else f"{abs(number):f}"
    sign = "-" if number < 0 else ""
    text = {"pounds": f"{sign}£{digits}", "percent": f"{digits}%"}.get(style, f"{sign}{digits}")
    padding = draw(st.sampled_from(["", " "]))
    return padding + text + padding, number


# (measure, period, kind) of a row; the measures and kinds in every spelling the import accepts.
ROW_KEY = st.tuples(
    st.one_of(
        st.tuples(st.sampled_from(["NEA", "nea", "DTOC", "REA", "DEMHUB"]), st.sampled_from(METRIC_PERIODS)),
        st.tuples(st.sampled_from(["spend:A1", "activity:A1", "SPEND: A1"]), st.sampled_from(MONTHS)),
    ),
    st.sampled_from(["plan", "actual", "Plan"]),
)


def _valid_row(draw, key) -> dict:
    (measure, period), kind = key
    text, _ = _value_text(draw, measure.replace(" ", "").replace("SPEND", "spend"))
    return {
        "area_code": draw(st.sampled_from([BROMLEY, BROMLEY.lower(), f" {BROMLEY}"])),
        "period": period,
        "measure": measure,
        "kind": kind,
        "value": text,
        "note": draw(NOTE),
    }


@st.composite
def returns_files(draw):
    """(rows as (cells, what), header): ``what`` is "valid", "junk" or the one column made wrong."""
    keys = draw(
        st.lists(
            ROW_KEY, max_size=8, unique_by=lambda key: (key[0][0].lower().replace(" ", ""), key[0][1], key[1].lower())
        )
    )
    rows = [(_valid_row(draw, key), "valid") for key in keys]
    for _ in range(draw(st.integers(0, 3))):
        cells = _valid_row(draw, draw(ROW_KEY))
        column = draw(st.sampled_from(sorted(WRONG)))
        cells[column] = draw(st.sampled_from(WRONG[column]))
        rows.insert(draw(st.integers(0, len(rows))), (cells, column))
    for _ in range(draw(st.integers(0, 2))):
        junk = {name: draw(hostile) for name in COLUMNS}
        rows.insert(draw(st.integers(0, len(rows))), (junk, "junk"))
    header = list(draw(st.permutations(COLUMNS)))
    if draw(st.booleans()):
        header = [name.upper() if draw(st.booleans()) else name for name in header]
    if draw(st.booleans()):
        header.append("Comments")  # an extra column: a warning, never an error
    return rows, header


def csv_text(rows, header, *, delimiter=",", line_end="\r\n") -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    for cells, _ in rows:
        writer.writerow([cells.get(name.lower(), "extra") for name in header])
    return buffer.getvalue()


def xlsx_content(rows, header) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for cells, _ in rows:
        # As Excel stores what people type: a note starting "=" would be a formula without the apostrophe.
        # (Excel cannot hold control characters at all: junk loses them.)
        sheet.append(
            [
                ILLEGAL_CHARACTERS_RE.sub(
                    "",
                    neutralise_note(cells[name.lower()])
                    if name.lower() == "note"
                    else cells.get(name.lower(), "extra"),
                )
                for name in header
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@st.composite
def broken_bytes(draw):
    """Random bytes, and real files cut short or with bytes changed."""
    kind = draw(st.sampled_from(["random", "cut", "flipped"]))
    if kind == "random":
        prefix = draw(st.sampled_from([b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf", b"\xff\xfe"]))
        return prefix + draw(st.binary(max_size=300))
    rows, header = draw(returns_files())
    content = xlsx_content(rows, header) if draw(st.booleans()) else csv_text(rows, header).encode()
    at = draw(st.integers(0, max(0, len(content) - 1)))
    if kind == "cut":
        return content[:at]
    return content[:at] + bytes([draw(st.integers(0, 255))]) + content[at + 1 :]
