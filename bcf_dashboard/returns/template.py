"""A returns workbook pre-filled for one area and month, for finance officers to complete in Excel.

The docs/formats.md columns on a single sheet, then, for the reader, the scheme's or metric's
``name`` and (in an actual template) the month's ``plan``: parsing.INFORMATIONAL_COLUMNS,
which the import reads past without a warning. One row per active scheme's spend and activity
and per metric of the area-year, the stored figure and its note already in place where there is
one (so a template uploaded untouched changes nothing); a value left blank has nothing to report
and imports as left blank. Values and plans are number
cells. The cells carry Excel data validation: ``kind`` is a list (plan, actual) and ``value``
a decimal within the measure's range, with a prompt.
"""

import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from bcf_dashboard.returns.checking import METRIC_LIMIT, SCHEME_LIMIT
from bcf_dashboard.returns.entry import build_page
from bcf_dashboard.returns.parsing import COLUMNS, INFORMATIONAL_COLUMNS, neutralise_note

WIDTHS = {"area_code": 12, "period": 10, "measure": 28, "kind": 9, "value": 16, "note": 40, "name": 44, "plan": 22}
INFO_FONT = Font(italic=True, color="505A5F")
HEADER_FILL = PatternFill("solid", fgColor="E8EDEE")
ENTRY_FILL = PatternFill("solid", fgColor="FFF9C4")


def template_rows(area, month, kind) -> list[tuple[list, str]]:
    """(cells, range rule) for each scheme and metric of the page the entry form would show."""
    page = build_page(area, month, kind)
    rows = []
    for entry in page.fields:
        rule = "money" if entry.unit == "money" else "percent" if entry.unit == "percent" else "positive"
        value = float(entry.stored) if entry.stored is not None else None
        # As stored (an untouched template changes nothing), less any control character XLSX cannot hold:
        # the upload refuses them, but the admin does not.
        note = ILLEGAL_CHARACTERS_RE.sub("", neutralise_note(entry.note))
        rows.append(([area.code, month.code, entry.measure, kind, value, note, *_information(entry, kind)], rule))
    return rows


def template_columns(kind) -> list[str]:
    """The header: the FORMATS.md columns, then the name, and the month's plan beside an actual."""
    return list(COLUMNS) + list(INFORMATIONAL_COLUMNS if kind == "actual" else INFORMATIONAL_COLUMNS[:1])


def _information(entry, kind) -> list:
    """The name of what the row is for and, in an actual template, the plan for the month (a number
    where there is one; for a metric planned by quarter or year, that plan as text). Names come from
    anyone who edits schemes: neutralised like every exported text, so Excel never runs one."""
    name = neutralise_note(entry.label)
    if kind != "actual":
        return [name]
    if entry.beside_value is not None:
        plan = float(entry.beside_value)
    else:
        plan = entry.beside if entry.beside and entry.beside != "–" else None
    return [name, plan]


def _validation(rule) -> DataValidation:
    low, high, words = {
        "money": (
            -float(SCHEME_LIMIT) + 1,
            float(SCHEME_LIMIT) - 1,
            "pounds, at most two decimals; a credit may be negative",
        ),
        "percent": (0, 100, "a percentage from 0 to 100, e.g. 93.6"),
        "positive": (0, float(METRIC_LIMIT) - 1, "a number, 0 or more"),
    }[rule]
    validation = DataValidation(
        type="decimal",
        operator="between",
        formula1=str(low),
        formula2=str(high),
        allow_blank=True,
        showErrorMessage=True,
        showInputMessage=True,
    )
    validation.promptTitle, validation.prompt = "Value", f"Enter {words}. Leave it blank if there is nothing to report."
    validation.errorTitle, validation.error = "Not a valid value", f"The value must be {words}."
    return validation


def template_xlsx(area, month, kind) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Returns"
    columns = template_columns(kind)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
    for letter, name in zip("ABCDEFGH", columns):
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
        for letter in "GH"[: len(columns) - len(COLUMNS)]:
            sheet[f"{letter}{number}"].font = INFO_FONT
            if letter == "H" and rule == "money":
                sheet[f"H{number}"].number_format = "#,##0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
