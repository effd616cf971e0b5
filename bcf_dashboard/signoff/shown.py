"""What an approver was shown: a signed token of the quarter's figures, carried by the Approve button.

Approving compares the token's fingerprint with the figures as they stand, inside the approval's
lock; if anything changed since the page was drawn the approval is refused and the changes named,
so an approval never records figures the approver did not see.
"""

import datetime

from django.core import signing
from django.utils import timezone

from bcf_dashboard.core import periods
from bcf_dashboard.core.formats import change_figure
from bcf_dashboard.core.models import ValueChange
from bcf_dashboard.engine.fingerprint import quarter_fingerprint

SALT = "bcf.signoff.shown"
NAMED = 5  # changes named one by one; the rest are counted


def token_for(area, year: int, quarter: int) -> str:
    return signing.dumps(
        {
            "area": area.id,
            "year": year,
            "quarter": quarter,
            "figures": quarter_fingerprint(area, year, quarter),
            "at": timezone.now().isoformat(),
        },
        salt=SALT,
    )


def what_changed(token: str, area, year: int, quarter: int) -> str | None:
    """None if the quarter's figures are as the token's page showed them, else why not in plain words."""
    label = periods.quarter(year, quarter).label
    try:
        shown = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return f"the page did not say which figures of {label} it showed: reload the page and approve again"
    if (shown.get("area"), shown.get("year"), shown.get("quarter")) != (area.id, year, quarter):
        return f"that Approve button was for another quarter: reload the page and approve {label} again"
    if shown.get("figures") == quarter_fingerprint(area, year, quarter):
        return None
    named = changes_after(area, year, quarter, datetime.datetime.fromisoformat(shown["at"]))
    what = "; ".join(named) if named else "its budgets, pooled funds or risk share"
    return (
        f"the figures of {label} changed after your page was shown ({what}), so it was not approved: "
        "read the quarter again and approve it if it still stands"
    )


def changes_after(area, year: int, quarter: int, moment) -> list[str]:
    """The recorded changes, since ``moment``, of the values the quarter's summary draws on (its months and
    earlier ones, its quarters and earlier ones, and the year's own figures), as short phrases."""
    last_month = 3 * quarter
    found = [
        c
        for c in ValueChange.objects.filter(area=area, period__financial_year=year, batch__created_at__gt=moment)
        .select_related("period", "batch__user")
        .order_by("batch__created_at", "id")
        if c.period.ref.month_numbers[0] <= last_month
    ]
    phrases = [
        f"{c.measure} {c.kind} for {c.period.ref.label}: {change_figure(c.old_value, c.measure) or 'blank'}"
        f" to {change_figure(c.new_value, c.measure) or 'deleted'}"
        f"{' by ' + c.batch.user.username if c.batch.user else ''}"
        for c in found[:NAMED]
    ]
    if len(found) > NAMED:
        phrases.append(f"and {len(found) - NAMED} more")
    return phrases
