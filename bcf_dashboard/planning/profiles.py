"""A budget spread over the twelve months: evenly, or in the shape of last year's actuals (pure arithmetic)."""

from decimal import Decimal

from bcf_dashboard.core.formats import pence

MONTHS = 12


class ProfileError(ValueError):
    """The profile cannot be made; the message says why."""


def even(budget: Decimal) -> list[Decimal]:
    """Twelve equal months to the penny; the pennies left over go to March, so the months add up to the budget."""
    month = pence(budget / MONTHS)
    return [month] * (MONTHS - 1) + [budget - month * (MONTHS - 1)]


def shaped_like(budget: Decimal, last_year: list[Decimal | None]) -> list[Decimal]:
    """The budget shared out as last year's monthly actuals were; March takes the rounding."""
    if len(last_year) != MONTHS or any(v is None for v in last_year):
        raise ProfileError(
            "last year's actuals are not complete for all twelve months: spread the budget evenly or type the months"
        )
    total = sum(last_year, Decimal(0))
    if total <= 0:
        raise ProfileError("last year's actuals add up to nothing: spread the budget evenly or type the months")
    months = [pence(budget * value / total) for value in last_year[:-1]]
    return months + [budget - sum(months, Decimal(0))]
