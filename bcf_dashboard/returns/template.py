"""A returns workbook pre-filled for one area and month, for finance officers to complete in Excel.

Exactly the docs/formats.md columns on a single sheet (so it uploads without a warning), one row
per active scheme's spend and activity and per metric of the area-year, the stored figure
already in place where there is one. The cells carry Excel data validation: ``kind`` is a
list (plan, actual) and ``value`` a decimal within the measure's range, with a prompt.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from bcf_dashboard.returns.checking import METRIC_LIMIT, SCHEME_LIMIT
from bcf_dashboard.returns.entry import build_page
from bcf_dashboard.returns.parsing import COLUMNS

WIDTHS = {"area_code": 12, "period": 10, "measure": 28, "kind": 9, "value": 16, "note": 40}
HEADER_FILL = PatternFill("solid", fgColor="E8EDEE")
ENTRY_FILL = PatternFill("solid", fgColor="FFF9C4")


def template_rows(area, month, kind) -> list[tuple[list, str]]:
    """(cells, range rule) for each scheme and metric of the page the entry form would show."""
    page = build_page(area, month, kind)
    rows = []
    for entry in page.fields:
        rule = "money" if entry.unit == "money" else "percent" if entry.unit == "percent" else "positive"
        value = float(entry.stored) if entry.stored is not None else None
        rows.append(([area.code, month.code, entry.measure, kind, value, ""], rule))
    return rows


def _validation(rule) -> DataValidation:
    low, high, words = {
        "money": (-float(SCHEME_LIMIT) + 1, float(SCHEME_LIMIT) - 1, "pounds, at most two decimals; a credit "
                                                                    "may be negative"),
        "percent": (0, 100, "a percentage from 0 to 100, e.g. 93.6"),
        "positive": (0, float(METRIC_LIMIT) - 1, "a number, 0 or more"),
    }[rule]
    validation = DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high),
                                allow_blank=True, showErrorMessage=True, showInputMessage=True)
    validation.promptTitle, validation.prompt = "Value", f"Enter {words}. Delete the row if there is no figure yet."
    validation.errorTitle, validation.error = "Not a valid value", f"The value must be {words}."
    return validation


def template_xlsx(area, month, kind) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for letter, name in zip("ABCDEF", COLUMNS):
        sheet.column_dimensions[letter].width = WIDTHS[name]
    sheet.freeze_panes = "A2"
    kinds = DataValidation(type="list", formula1='"plan,actual"', allow_blank=False, showErrorMessage=True)
    kinds.errorTitle, kinds.error = "Not a kind", "Choose plan or actual."
    sheet.add_data_validation(kinds)
    rules = {}
    for number, (cells, rule) in enumerate(template_rows(area, month, kind), start=2):
        sheet.append(cells)
        kinds.add(f"D{number}")
        if rule not in rules:
            rules[rule] = _validation(rule)
            sheet.add_data_validation(rules[rule])
        rules[rule].add(f"E{number}")
        sheet[f"E{number}"].fill = ENTRY_FILL
        sheet[f"E{number}"].number_format = "#,##0.00" if rule == "money" else "General"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

