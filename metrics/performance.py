"""Plan against actual for one metric in one financial year: pure arithmetic, no queries.

Values arrive as *segments*: a monthly value covers one month, a quarterly value
three, a whole-year value twelve. Actuals use the finest segments entered (a quarter's
value counts only where none of its months has one). Plans are read month by month:
a month's plan is its own value, else its quarter's, else the year's, "as it stands"
for means and latest values and pro-rated (a third, a twelfth) for sums.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

ON_TRACK = "on_track"
AT_RISK = "at_risk"
NOT_ON_TRACK = "not_on_track"
NO_DATA = "no_data"

NATIONAL_WORDING = {ON_TRACK: "On track", AT_RISK: "On track", NOT_ON_TRACK: "Not on track",
                    NO_DATA: "Data not available"}
STATUS_LABEL = {ON_TRACK: "On track", AT_RISK: "At risk", NOT_ON_TRACK: "Not on track",
                NO_DATA: "Data not available"}


@dataclass(frozen=True)
class Segment:
    first_month: int
    last_month: int
    value: Decimal

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1


@dataclass
class Values:
    """One kind (plan or actual) of a metric's values for a year, by period kind."""

    months: dict[int, Decimal] = field(default_factory=dict)     # month number -> value
    quarters: dict[int, Decimal] = field(default_factory=dict)   # quarter number -> value
    year: Decimal | None = None

    def is_empty(self) -> bool:
        return not self.months and not self.quarters and self.year is None

    def segments(self) -> list[Segment]:
        """Finest-grained coverage, without counting any month twice."""
        found = [Segment(m, m, v) for m, v in self.months.items()]
        for q, v in self.quarters.items():
            span = range(3 * q - 2, 3 * q + 1)
            if not any(m in self.months for m in span):
                found.append(Segment(span[0], span[-1], v))
        if self.year is not None and not found:
            found.append(Segment(1, 12, self.year))
        return sorted(found, key=lambda s: (s.last_month, s.months))

    def month_plan(self, month: int, *, pro_rate: bool) -> Decimal | None:
        """The plan for one month: its own value, else its quarter's, else the year's."""
        if month in self.months:
            return self.months[month]
        quarter = (month - 1) // 3 + 1
        if quarter in self.quarters:
            return self.quarters[quarter] / 3 if pro_rate else self.quarters[quarter]
        if self.year is not None:
            return self.year / 12 if pro_rate else self.year
        return None


def last_month_covered(values: Values) -> int | None:
    segments = values.segments()
    return max((s.last_month for s in segments), default=None)


def rollup_actual(rollup: str, values: Values, through: int) -> Decimal | None:
    segments = [s for s in values.segments() if s.last_month <= through]
    if not segments:
        return None
    if rollup == "sum":
        return sum((s.value for s in segments), Decimal(0))
    if rollup == "mean":
        weight = sum(s.months for s in segments)
        return sum((s.value * s.months for s in segments), Decimal(0)) / weight
    # latest: the value whose period ends last; the finest wins a tie (a month over its quarter)
    return segments[-1].value


def rollup_plan(rollup: str, values: Values, through: int) -> Decimal | None:
    if rollup == "latest":
        return values.month_plan(through, pro_rate=False)
    if rollup == "mean":
        known = [v for v in (values.month_plan(m, pro_rate=False) for m in range(1, through + 1)) if v is not None]
        return sum(known, Decimal(0)) / len(known) if known else None
    # A sum pro-rates a quarter's or the year's plan by the months it covers, multiplying
    # once (167 x 3 / 12 = 41.75 exactly) rather than adding up repeating twelfths.
    total, found = Decimal(0), False
    quarter_months: dict[int, int] = {}
    year_months = 0
    for m in range(1, through + 1):
        quarter = (m - 1) // 3 + 1
        if m in values.months:
            total += values.months[m]
        elif quarter in values.quarters:
            quarter_months[quarter] = quarter_months.get(quarter, 0) + 1
        elif values.year is not None:
            year_months += 1
        else:
            continue
        found = True
    total += sum((values.quarters[q] * n / 3 for q, n in quarter_months.items()), Decimal(0))
    if year_months:
        total += values.year * year_months / 12
    return total if found else None


def plan_for_year(rollup: str, values: Values) -> Decimal | None:
    """The annual plan worked out from the finest plan entered (months, else quarters, else the year)."""
    if values.months:
        ordered = [values.months[m] for m in sorted(values.months)]
    elif values.quarters:
        ordered = [values.quarters[q] for q in sorted(values.quarters)]
    else:
        return values.year
    if rollup == "sum":
        return sum(ordered, Decimal(0))
    if rollup == "mean":
        return sum(ordered, Decimal(0)) / len(ordered)
    return ordered[-1]


def status(*, plan: Decimal | None, actual: Decimal | None, better: str, tolerance_pct: Decimal) -> str:
    """The product's rule: at or better than plan is on track; worse within tolerance at risk."""
    if plan is None or actual is None:
        return NO_DATA
    worse_by = actual - plan if better == "lower" else plan - actual
    if worse_by <= 0:
        return ON_TRACK
    if worse_by <= abs(plan) * tolerance_pct / 100:
        return AT_RISK
    return NOT_ON_TRACK


def variance_pct(plan: Decimal | None, variance: Decimal | None) -> Decimal | None:
    if plan in (None, 0) or variance is None:
        return None
    return (variance / plan * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
