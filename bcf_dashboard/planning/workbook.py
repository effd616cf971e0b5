"""The planning workbook (docs/formats.md section 4): an area-year's plan as one XLSX, sheet by sheet.

Cover, Income, Expenditure, Metrics, Risk share and Checks, each one header row and one row per
item. Choices (scheme types, areas of spend, commissioners, sources, partners) are drawn from data
validation lists; money and figures are validated as decimals of 0 or more. Texts are neutralised
(``core.formats.neutralise_formula``) so a spreadsheet never runs one as a formula.
"""

import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from bcf_dashboard.core import periods, plans
from bcf_dashboard.core.formats import neutralise_formula
from bcf_dashboard.digests.figures import area_year_summary
from bcf_dashboard.planning import selectors
from bcf_dashboard.planning.forms import sources_of
from schemes.models import Scheme

MONTH_HEADERS = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar"]
COVER = ["Field", "Value"]
INCOME = ["Source", "Partner", "Amount"]
EXPENDITURE = [
    "Scheme ref",
    "Scheme name",
    "Scheme type",
    "Area of spend",
    "Commissioner",
    "Provider",
    "Source of funding",
    "Budget",
    *MONTH_HEADERS,
    "LA share %",
    "New or existing",
    "Description",
]
METRICS = ["Metric", "Plan for the year", *MONTH_HEADERS]
RISK_SHARE = ["Field", "Value"]
CHECKS = ["Check", "Result", "Detail"]
SHEETS = {
    "Cover": COVER,
    "Income": INCOME,
    "Expenditure": EXPENDITURE,
    "Metrics": METRICS,
    "Risk share": RISK_SHARE,
    "Checks": CHECKS,
}

COVER_FIELDS = ["Area code", "Area name", "Financial year", "Status"]
RISK_FIELDS = {
    "Planned reduction": "planned_nea_reduction",
    "Cost per admission": "cost_per_admission",
    "Contingency": "contingency",
    "Performance fund": "performance_fund",
}
SHARE_PREFIX = "Share: "
NEW_OR_EXISTING = ["New", "Existing"]
YES_NO = ["Yes", "No"]
ROWS_VALIDATED = 500  # input rows below the data that still offer the lists, for rows a user adds
MONEY_FORMAT = "#,##0.00"
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8EDEE")


def labels(choices) -> list[str]:
    return [label for _, label in choices]


def _text(value):
    return neutralise_formula(value) if isinstance(value, str) else value


def _number(value: Decimal | None):
    """Money and figures as numbers (floats hold pence exactly to well past any BCF budget)."""
    return None if value is None else float(value)


def _sheet(book, title, header, rows):
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    for row in rows:
        sheet.append([_text(v) for v in row])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(name) + 4))
    return sheet


class Lists:
    """Data validation lists: inline where short enough, else a range on a hidden sheet of lists."""

    def __init__(self, book):
        self.book, self.hidden, self.columns = book, None, 0

    def validation(self, values) -> DataValidation:
        values = [str(v) for v in values]
        if not values:
            return None  # an empty list is not a valid list rule for Excel: leave the cells free
        inline = ",".join(values)
        if len(inline) <= 250 and not any(("," in v or '"' in v) for v in values):
            formula = f'"{inline}"'
        else:
            if self.hidden is None:
                self.hidden = self.book.create_sheet("Lists")
                self.hidden.sheet_state = "hidden"
            self.columns += 1
            column = get_column_letter(self.columns)
            for row, value in enumerate(values, start=1):
                self.hidden[f"{column}{row}"] = _text(value)
            formula = f"{quote_sheetname('Lists')}!${column}$1:${column}${len(values)}"
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Choose from the list",
            error="Choose one of the values in the list.",
        )


def _validate(sheet, validation, column: str, last_row: int):
    if validation is None:
        return
    sheet.add_data_validation(validation)
    validation.add(f"{column}2:{column}{last_row}")


def _decimal_rule(whole=False):
    return DataValidation(
        type="whole" if whole else "decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="A number of 0 or more",
        error="Type a number of 0 or more" + ("" if whole else ", pounds and pence") + ".",
    )


def plan_workbook(area, year: int) -> bytes:
    """The area-year's plan as XLSX bytes. The caller has checked access."""
    book = Workbook()
    book.remove(book.active)
    lists = Lists(book)
    plan = plans.plan_for(area, year)
    _sheet(
        book,
        "Cover",
        COVER,
        [
            ["Area code", area.code],
            ["Area name", area.name],
            ["Financial year", periods.year_label(year)],
            ["Status", plan.state],
        ],
    )

    sources = list(sources_of(year))
    partners = list(area.partners.order_by("name"))
    contributions = selectors.contributions(area, year)
    income = _sheet(book, "Income", INCOME, [[c.source.name, c.partner.name, _number(c.amount)] for c in contributions])
    last = len(contributions) + 1 + ROWS_VALIDATED
    _validate(income, lists.validation([s.name for s in sources]), "A", last)
    _validate(income, lists.validation([p.name for p in partners]), "B", last)
    _validate(income, _decimal_rule(), "C", last)
    _money_format(income, ["C"], last)

    rows = []
    for scheme, scheme_year, months in selectors.scheme_rows(area, year):
        provider = scheme.provider.name if scheme.provider else scheme.provider_name
        rows.append(
            [
                scheme.ref,
                scheme.name,
                scheme.get_scheme_type_display(),
                scheme.get_area_of_spend_display(),
                scheme.get_commissioner_display(),
                provider,
                scheme.funding_source.name,
                _number(scheme_year.budget),
                *[_number(m) for m in months],
                _number(scheme.la_share_pct),
                "New" if scheme.is_new else "Existing",
                scheme.description,
            ]
        )
    spend = _sheet(book, "Expenditure", EXPENDITURE, rows)
    last = len(rows) + 1 + ROWS_VALIDATED
    for column, values in (
        ("C", labels(Scheme.Type.choices)),
        ("D", labels(Scheme.AreaOfSpend.choices)),
        ("E", labels(Scheme.Commissioner.choices)),
        ("G", [s.name for s in sources]),
        ("V", NEW_OR_EXISTING),
    ):
        _validate(spend, lists.validation(values), column, last)
    money = [get_column_letter(i) for i in range(8, 21)]  # Budget and the twelve months
    rule = _decimal_rule()
    spend.add_data_validation(rule)
    rule.add(f"H2:T{last}")
    _money_format(spend, money, last)
    share = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        error="Type the local authority's share, 0 to 100.",
    )
    _validate(spend, share, "U", last)

    plans_by_metric = selectors.metric_plans(area, year)
    metric_rows = []
    for metric in selectors.metrics_for(area, year):
        values = plans_by_metric.get(metric.id, {})
        metric_rows.append([metric.code, _number(values.get(0)), *[_number(values.get(n)) for n in range(1, 13)]])
    metrics_sheet = _sheet(book, "Metrics", METRICS, metric_rows)
    if metric_rows:  # a year before any national metric (the BCF began in 2015/16) has none to validate
        rule = _decimal_rule()
        metrics_sheet.add_data_validation(rule)
        rule.add(f"B2:N{len(metric_rows) + 1}")

    terms = selectors.risk_terms(area, year)
    risk_rows = [
        ["Planned reduction", terms.planned_nea_reduction if terms else None],
        ["Cost per admission", _number(terms.cost_per_admission) if terms else None],
        ["Contingency", _number(terms.contingency) if terms else None],
        ["Performance fund", ("Yes" if terms.performance_fund else "No") if terms else None],
    ]
    shares = {s.partner_id: s.share_pct for s in terms.splits.all()} if terms else {}
    for partner in area.partners.order_by("name"):
        risk_rows.append([SHARE_PREFIX + partner.name, _number(shares.get(partner.id))])
    risk = _sheet(book, "Risk share", RISK_SHARE, risk_rows)
    risk.column_dimensions["A"].width = 44
    whole = _decimal_rule(whole=True)
    risk.add_data_validation(whole)
    whole.add("B2")
    rule = _decimal_rule()
    risk.add_data_validation(rule)
    rule.add("B3:B4")
    yes_no = lists.validation(YES_NO)
    risk.add_data_validation(yes_no)
    yes_no.add("B5")
    if len(risk_rows) > 4:
        percent = DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            error="Type the partner's share, 0 to 100.",
        )
        risk.add_data_validation(percent)
        percent.add(f"B6:B{len(risk_rows) + 1}")

    checks = area_year_summary(area, year).funding.checks
    _sheet(book, "Checks", CHECKS, [[c.name, "Pass" if c.passed else "Fail", c.detail] for c in checks])
    if lists.hidden is not None:
        book.move_sheet("Lists", offset=len(book.sheetnames))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _money_format(sheet, columns, last_row):
    for column in columns:
        for row in range(2, min(sheet.max_row, last_row) + 1):
            sheet[f"{column}{row}"].number_format = MONEY_FORMAT
