"""Where a finance officer's work starts: the month to enter next."""

import datetime

from django.db.models import Max
from django.utils import timezone

from bcf_dashboard import periods
from schemes.models import SchemeValue


def last_calendar_month() -> periods.PeriodRef:
    return periods.month_of(timezone.localdate().replace(day=1) - datetime.timedelta(days=1))


def month_to_enter(area) -> periods.PeriodRef:
    """The month after the area's latest actual spend, but never later than last month (nothing to enter yet)."""
    latest = last_calendar_month()
    start = (SchemeValue.objects.filter(scheme__area=area, kind=SchemeValue.Kind.ACTUAL, period__kind=periods.MONTH)
             .aggregate(last=Max("period__start"))["last"])
    if start is None:
        return latest
    following = periods.month_of((start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1))
    return min(following, latest, key=lambda ref: ref.start)
