"""Exact arithmetic for phasing demo figures: splits that add up to the penny or the unit."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

PENNY = Decimal("0.01")
UNIT = Decimal("1")


def distribute(total, weights, quantum: Decimal = PENNY) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` in steps of ``quantum``, summing exactly.

    Largest remainder: each share is rounded down, then the leftover steps go to the
    shares that lost most (earliest first on a tie), so the parts always add to the total.
    """
    units = Fraction(Decimal(str(total))) / Fraction(quantum)
    if units.denominator != 1:
        raise ValueError(f"{total} is not a whole number of {quantum}")
    weights = [Fraction(Decimal(str(w))) for w in weights]
    weight_sum = sum(weights)
    if weight_sum <= 0:
        raise ValueError("weights must add up to more than zero")
    raw = [units * w / weight_sum for w in weights]
    floors = [r.numerator // r.denominator for r in raw]
    left = int(units) - sum(floors)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(f) * quantum for f in floors]


def rounded(value, quantum: Decimal = PENNY) -> Decimal:
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def scaled(values, factors, quantum: Decimal = UNIT) -> list[Decimal]:
    """Each value times its factor, rounded half up; a made-up actual from a plan."""
    return [rounded(Decimal(str(v)) * Decimal(str(f)), quantum) for v, f in zip(values, factors)]


def glide(start, september, march, places: Decimal = PENNY) -> list[Decimal]:
    """Twelve monthly values: six equal steps from ``start`` to ``september`` (Apr-Sep),
    then six to ``march`` (Oct-Mar), each rounded; the tri-borough DToC trajectories."""
    start, september, march = (Decimal(str(x)) for x in (start, september, march))
    first = [start + (september - start) * n / 6 for n in range(1, 7)]
    second = [september + (march - september) * n / 6 for n in range(1, 7)]
    return [rounded(v, places) for v in first + second]
