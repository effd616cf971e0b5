"""Limits that hold everywhere in the product: one place for each.

Years outside ``FIRST_YEAR``-``LAST_YEAR`` are typing mistakes (``0000-04``, ``9999``) wherever
they appear: in a URL, a query string or a file. The calendar code needs real dates for every
month of every year in between.
"""

FIRST_YEAR, LAST_YEAR = 2000, 2099

# Free text people write: a reason for a revision, a reopening or a sign-off step, a note on a figure.
REASON_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000

# A figure's note, or a population's source, starting with this marks it as made up (the demo's):
# pages say so where they show it (engine.illustrative), and an index finds such values (schemes.models).
ILLUSTRATIVE_MARK = "Illustrative:"


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR
