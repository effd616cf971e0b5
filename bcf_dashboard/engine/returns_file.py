"""An area's stored values for a financial year as the rows of a monthly returns file (docs/formats.md section 1).

The rows are exactly what the returns import reads, so a file exported and imported again changes
nothing. Values are written plainly (no £, no separators). The returns feature's ``export_returns``
and the read API (``/api/v1/areas/<code>/<year>/returns``) both write from here, so their files
cannot differ.
"""

import csv
import io
from decimal import Decimal

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import neutralise_formula, plain_number
from metrics.models import MetricValue
from schemes.models import SchemeValue

# The columns of the returns file, in the order the product writes them.
COLUMNS = ("area_code", "period", "measure", "kind", "value", "note")

_PERIOD_KIND_ORDER = {periods.MONTH: 0, periods.QUARTER: 1, periods.YEAR: 2}
_SCHEME_MEASURE_ORDER = {choice.value: index for index, choice in enumerate(SchemeValue.Measure)}
_KIND_ORDER = {"plan": 0, "actual": 1}
MONEY_MEASURES = {SchemeValue.Measure.SPEND.value, SchemeValue.Measure.SAVING.value}


def export_rows(*, area, financial_year: int) -> list[dict[str, str]]:
    """One row per stored value of ``area`` in ``financial_year``: metrics first, then schemes (two queries)."""
    keyed = []
    for value in MetricValue.objects.filter(area=area, period__financial_year=financial_year).select_related(
        "metric", "period"
    ):
        metric, period = value.metric, value.period
        sort_key = (0, metric.display_order, metric.code, "", *_period_key(period), _KIND_ORDER[value.kind])
        keyed.append((sort_key, _row(area, period, metric.code, value, plain_number(value.value))))
    for value in SchemeValue.objects.filter(scheme__area=area, period__financial_year=financial_year).select_related(
        "scheme", "period"
    ):
        scheme, period = value.scheme, value.period
        sort_key = (
            1,
            _SCHEME_MEASURE_ORDER[value.measure],
            scheme.ref,
            value.measure,
            *_period_key(period),
            _KIND_ORDER[value.kind],
        )
        text = plain_number(value.value, money=value.measure in MONEY_MEASURES)
        keyed.append((sort_key, _row(area, period, f"{value.measure}:{scheme.ref}", value, text)))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _, row in keyed]


def _period_key(period):
    return _PERIOD_KIND_ORDER[period.kind], period.start


def _row(area, period, measure, value, text):
    return {
        "area_code": area.code,
        "period": period.code,
        "measure": measure,
        "kind": value.kind,
        "value": text,
        "note": value.note,
    }


def file_rows(rows) -> list[dict[str, str]]:
    """The rows as the file's cells hold them: every column, text neutralised (see ``_cell``)."""
    return [{column: _cell(row, column) for column in COLUMNS} for row in rows]


def write_csv(rows, *, bom=True) -> bytes:
    """UTF-8 CSV bytes; the BOM (default) makes Excel read £ and accents correctly."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)  # \r\n line ends make it quote any \r or \n inside a note
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([_cell(row, column) for column in COLUMNS])
    return ("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8")


def write_xlsx(rows, *, sheet_title="Returns") -> bytes:
    """An XLSX workbook with one sheet; values are numbers so Excel can add them up."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(list(COLUMNS))
    for row in rows:
        # Text without the control characters XLSX cannot hold (a note typed in the admin may have one).
        cells = [ILLEGAL_CHARACTERS_RE.sub("", _cell(row, column)) for column in COLUMNS]
        # Every value holds at most 15 significant digits, so Excel's float keeps it exact.
        cells[COLUMNS.index("value")] = Decimal(row["value"])
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(row, column):
    """Every text cell neutralised (codes come from the database, notes from anyone); the value is a number,
    so a credit of -2 stays -2."""
    text = row.get(column) or ""
    return text if column == "value" else neutralise_formula(text)
