"""Each person's task list: what is theirs to do in the areas where they have a role, and by when.

The core holds the shape and the registry; the feature that knows the cycle (planning) registers the
function that lists the tasks, so the home page (dashboards) shows them without importing it.
"""

import datetime
from dataclasses import dataclass

_providers = []


@dataclass(frozen=True)
class Task:
    area_name: str
    what: str  # plain words: "Submit the 2017/18 plan"
    url: str
    due: datetime.date | None = None
    overdue: bool = False
    detail: str = ""
    # What the task is about, for a page that shows it its own way: ("approve", area id, year, quarter)
    # for a quarter to approve, which the home page lists under "Awaiting your approval" instead.
    about: tuple = ()


def register(provider) -> None:
    """``provider(user, today) -> list[Task]``; registered once, from an AppConfig.ready()."""
    if provider not in _providers:
        _providers.append(provider)


def tasks_for(user, *, today: datetime.date | None = None) -> list[Task]:
    """Everything ``user`` has to do, overdue first, then by due date."""
    if not getattr(user, "is_authenticated", False):
        return []
    today = today or datetime.date.today()
    found = [task for provider in _providers for task in provider(user, today)]
    return sorted(found, key=lambda t: (not t.overdue, t.due or datetime.date.max, t.area_name, t.what))


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """``count`` working days (Monday to Friday) after ``day``; bank holidays are not counted out."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            count -= 1
    return day
