"""The one place that knows the financial calendar.

A financial year runs 1 April to 31 March and is named by the calendar year it
starts in (``2016`` is ``2016/17``). Months are numbered April = 1 to March = 12;
quarters Q1 Apr-Jun to Q4 Jan-Mar. Everything else in the project asks this module
rather than re-deriving the arithmetic.
"""

import datetime
import functools
import re
from dataclasses import dataclass

MONTH_ABBR = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

MONTH = "month"
QUARTER = "quarter"
YEAR = "year"


class PeriodError(ValueError):
    """A period or year written in a way the project does not accept."""


def financial_year_of(day: datetime.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def month_number(day: datetime.date) -> int:
    """April is month 1, March month 12."""
    return (day.month - 4) % 12 + 1


def quarter_of_month_number(number: int) -> int:
    return (number - 1) // 3 + 1


def quarter_of(day: datetime.date) -> int:
    return quarter_of_month_number(month_number(day))


def month_start(financial_year: int, number: int) -> datetime.date:
    """First day of month ``number`` (1-12) of ``financial_year``."""
    if not 1 <= number <= 12:
        raise PeriodError(f"month number {number} is not between 1 and 12")
    calendar_month = (number + 2) % 12 + 1
    year = financial_year if number <= 9 else financial_year + 1
    return datetime.date(year, calendar_month, 1)


def month_end(financial_year: int, number: int) -> datetime.date:
    start = month_start(financial_year, number)
    following = datetime.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def year_label(financial_year: int) -> str:
    """``2016`` -> ``"2016/17"``."""
    return f"{financial_year}/{(financial_year + 1) % 100:02d}"


def span_label(first_year: int, last_year: int) -> str:
    """``(2017, 2018)`` -> ``"2017-19"``; a one-year span is the year label."""
    if first_year == last_year:
        return year_label(first_year)
    return f"{first_year}-{(last_year + 1) % 100:02d}"


_YEAR_RE = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")


def parse_year(text) -> int:
    """Accept ``2016/17``, ``2016-17``, ``2016/2017`` or ``2016`` and return 2016."""
    if isinstance(text, int):
        return text
    text = str(text).strip()
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    match = _YEAR_RE.match(text)
    if not match:
        raise PeriodError(f"'{text}' is not a financial year: write it as 2017/18")
    start, end = int(match.group(1)), match.group(2)
    expected = (start + 1) % 100 if len(end) == 2 else start + 1
    if int(end) != expected:
        raise PeriodError(f"'{text}' is not a financial year: {start}/{(start + 1) % 100:02d} follows {start}")
    return start


def parse_span(text) -> tuple[int, int]:
    """``2017-19`` -> (2017, 2018); a single year gives (y, y)."""
    text = str(text).strip()
    match = re.fullmatch(r"(\d{4})-(\d{2})", text)
    if match:
        start, end = int(match.group(1)), int(match.group(2))
        if end == (start + 2) % 100:
            return start, start + 1
    year = parse_year(text)
    return year, year


@dataclass(frozen=True)
class PeriodRef:
    """A month, quarter or whole financial year, as written in the returns file."""

    kind: str
    financial_year: int
    number: int  # month 1-12, quarter 1-4, 0 for the whole year

    @functools.cached_property
    def code(self) -> str:
        if self.kind == MONTH:
            return f"{self.financial_year + (self.number > 9):04d}-{(self.number + 2) % 12 + 1:02d}"
        if self.kind == QUARTER:
            return f"{year_label(self.financial_year)}-Q{self.number}"
        return year_label(self.financial_year)

    @property
    def month_numbers(self) -> range:
        """Month numbers (1-12) the period covers."""
        if self.kind == MONTH:
            return range(self.number, self.number + 1)
        if self.kind == QUARTER:
            return range(3 * self.number - 2, 3 * self.number + 1)
        return range(1, 13)

    @property
    def start(self) -> datetime.date:
        return month_start(self.financial_year, self.month_numbers[0])

    @property
    def end(self) -> datetime.date:
        return month_end(self.financial_year, self.month_numbers[-1])

    @property
    def label(self) -> str:
        """How people read it: ``Apr 2017``, ``Q1 2017/18``, ``2017/18``."""
        if self.kind == MONTH:
            return f"{MONTH_ABBR[self.start.month - 1]} {self.start.year}"
        if self.kind == QUARTER:
            return f"Q{self.number} {year_label(self.financial_year)}"
        return year_label(self.financial_year)


@functools.lru_cache(maxsize=4096)
def month(financial_year: int, number: int) -> PeriodRef:
    month_start(financial_year, number)
    return PeriodRef(MONTH, financial_year, number)


def quarter(financial_year: int, number: int) -> PeriodRef:
    if not 1 <= number <= 4:
        raise PeriodError(f"quarter {number} is not between 1 and 4")
    return PeriodRef(QUARTER, financial_year, number)


def whole_year(financial_year: int) -> PeriodRef:
    return PeriodRef(YEAR, financial_year, 0)


def month_of(day: datetime.date) -> PeriodRef:
    return PeriodRef(MONTH, financial_year_of(day), month_number(day))


def months_of_year(financial_year: int) -> list[PeriodRef]:
    return [month(financial_year, n) for n in range(1, 13)]


def periods_of_year(financial_year: int) -> list[PeriodRef]:
    """Every period a financial year has: 12 months, 4 quarters, the year."""
    return (
        months_of_year(financial_year)
        + [quarter(financial_year, q) for q in range(1, 5)]
        + [whole_year(financial_year)]
    )


_MONTH_CODE = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER_CODE = re.compile(r"^(\d{4}/\d{2})-Q(\d)$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def parse_period(text: str) -> PeriodRef:
    """Parse the returns file's period: ``2017-04``, ``2017/18-Q1`` or ``2017/18``."""
    text = str(text).strip()
    match = _MONTH_CODE.match(text)
    if match:
        year, calendar_month = int(match.group(1)), int(match.group(2))
        if not 1 <= calendar_month <= 12:
            raise PeriodError(f"'{text}' has no month {calendar_month}: write a month as 2017-04")
        return month_of(datetime.date(year, calendar_month, 1))
    match = _QUARTER_CODE.match(text)
    if match:
        return quarter(parse_year(match.group(1)), int(match.group(2)))
    if "/" in text:
        return whole_year(parse_year(text))
    raise PeriodError(
        f"'{text}' is not a period: write a month as 2017-04, a quarter as 2017/18-Q1 or a financial year as 2017/18"
    )
