"""What the property-based (hypothesis) tests share: hostile inputs, table fingerprints, page checks.

Each example runs inside ``rolled_back()``, so every example starts from the fixture's data
and one example's write can never make the next one pass or fail. The settings profile
(few examples, no deadline, derandomized so CI is repeatable) is registered in tests/conftest.py.
"""

import re
from contextlib import contextmanager

from django.db import transaction
from hypothesis import settings
from hypothesis import strategies as st

# Inputs people (or attackers) really type: numbers written every wrong way, markup, formulas.
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
FORMULAS = ['=HYPERLINK("http://evil","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "=1+1", "\t=1", "\r=1"]
NASTY = [
    "",
    " ",
    "0",
    "-1",
    "-0",
    "-2",
    "1e309",
    "-1e309",
    "1e3",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "£214,00",
    "1.234,5",
    "12a",
    "--1",
    "+-1",
    "1,23",
    "0x10",
    "1_000",
    "９９",
    "٣",
    "99999999999999999999999",
    "0.000001",
    "1,234.56",
    "£1,234.50",
    "-£12.00",
    "12%",
    "101%",
    "£",
    "%",
    ".",
    "-",
    "1.",
    ".5",
    "9" * 40,
    "1" * 400,
    SCRIPT,
    IMG,
    "' OR 1=1 --",
    "\\",
    "\x00",
    "\x00\x01\x1f",
    "a\r\nb",
    "\u202e\u200b",
    "null",
    "None",
    "[]",
    "{}",
    "🙂",
    "Ω≈ç√",
    *FORMULAS,
]
# Surrogates cannot be sent as UTF-8, so no browser can post them.
ANY_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=60)
NUMBER_TEXT = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
    st.floats().map(repr),
)
# A value for any field: mostly the known troublemakers, then anything at all.
hostile = st.one_of(st.sampled_from(NASTY), NUMBER_TEXT, ANY_TEXT)
# Markup wrapped round arbitrary text: whatever the text, the tags must come back escaped.
markup = st.builds(
    lambda text, tag: tag.replace("alert(1)", f"alert({text!r})"), ANY_TEXT, st.sampled_from([SCRIPT, IMG])
)


def fewer(share: int = 2) -> settings:
    """For tests whose every example renders pages: a share of the profile's examples (CI time is shared)."""
    return settings(max_examples=max(10, settings.default.max_examples // share))


def fingerprint(*models) -> dict:
    """Every row of these tables, every column: equal before and after means nothing was written."""
    return {model._meta.label: list(model.objects.order_by("pk").values_list()) for model in models}


@contextmanager
def rolled_back():
    """One example's writes, undone after it (a savepoint inside the test's transaction)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


# Live markup the page would only hold if a value went out unescaped.
_RAW = re.compile(r"<script>alert|<img src=x|\"><img|onerror=alert\([^)]*\)>", re.IGNORECASE)


def assert_escaped(response) -> str:
    """No posted markup reaches the page as markup; returns the page's text for further checks."""
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", errors="replace")
    found = _RAW.search(body)
    assert found is None, f"unescaped markup in the page: {body[max(0, found.start() - 80) : found.end() + 80]!r}"
    return body
