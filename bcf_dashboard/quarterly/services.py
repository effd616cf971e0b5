"""Writing the quarterly summary: the officers' narrative, and freezing a version at each approval.

Both take the area's write lock (``returns.services.lock_areas``), the lock sign-off takes, so a
narrative cannot be saved half-way through the approval that freezes it.
"""

import hashlib

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, can
from bcf_dashboard.core.locks import lock_areas, on_primary
from bcf_dashboard.core.models import QuarterReturn
from bcf_dashboard.quarterly.document import build_document
from bcf_dashboard.quarterly.models import METRIC_PREFIX, SECTIONS, QuarterNarrative, QuarterSummarySnapshot
from bcf_dashboard.quarterly.selectors import narrative_document, narrative_rows
from metrics.selectors import metrics_for

SECTION_MAX_LENGTH = 4000
COMMENT_MAX_LENGTH = 600


class NarrativeRefused(Exception):
    """The narrative may not be saved; the message says why in plain words."""


def text_stamp(text: str) -> str:
    """What the form remembers of a section's text as the officer saw it, to spot someone else's edit."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def narrative_sections(area, year: int) -> list[str]:
    """The section keys that may be written: the three national ones and one per headline metric in force."""
    metric_keys = [f"{METRIC_PREFIX}{m.code}" for m in metrics_for(area, year) if m.parent_id is None]
    return [*SECTIONS, *sorted(metric_keys)]


def max_length(section: str) -> int:
    return COMMENT_MAX_LENGTH if section.startswith(METRIC_PREFIX) else SECTION_MAX_LENGTH


def save_narrative(*, user, area, year: int, quarter: int, texts: dict[str, str], seen: dict[str, str]) -> list[str]:
    """Save each section whose text the officer changed; return the sections saved.

    ``seen`` holds ``text_stamp`` of each section as the form showed it. A section someone else saved
    since then is refused rather than overwritten. Only while the quarter is open.
    """
    label = periods.quarter(year, quarter).label
    if not can(user, area, EDIT):
        raise NarrativeRefused("only the area's finance officers write the narrative")
    allowed = set(narrative_sections(area, year))
    unknown = sorted(set(texts) - allowed)
    if unknown:
        raise NarrativeRefused(f"there is no section {unknown[0]!r} for {label}")
    for section, text in texts.items():
        if len(text) > max_length(section):
            raise NarrativeRefused(
                f"the {section_name(section)} text is {len(text):,} characters long: shorten it "
                f"to {max_length(section):,} or fewer"
            )
    with on_primary(), transaction.atomic():
        lock_areas([area.id])
        found = QuarterReturn.objects.filter(area=area, financial_year=year, quarter=quarter).first()
        if found is not None and found.state != QuarterReturn.State.OPEN:
            raise NarrativeRefused(
                f"{label} is {found.get_state_display().lower()}, so its narrative is read-only; "
                "an approver can reopen the quarter, with a reason"
            )
        stored = narrative_rows(area, year, quarter)
        changed, clashes = [], []
        for section, text in texts.items():
            text = text.strip().replace("\r\n", "\n")
            current = stored[section].text if section in stored else ""
            if text == current:
                continue
            if seen.get(section) != text_stamp(current):
                clashes.append(section)
                continue
            changed.append((section, text))
        if clashes:
            names = ", ".join(section_name(s) for s in clashes)
            raise NarrativeRefused(
                f"someone else saved {names} after you opened the page: nothing was saved. "
                "Their text is shown now; add your changes to it and save again"
            )
        now = timezone.now()
        for section, text in changed:
            row = stored.get(section) or QuarterNarrative(
                area=area, financial_year=year, quarter=quarter, section=section
            )
            row.text, row.updated_by, row.updated_at = text, user, now
            row._history_user = user  # the history names the writer outside a request too
            row.save()
    return [section for section, _ in changed]


def section_name(section: str) -> str:
    if section.startswith(METRIC_PREFIX):
        return f"the {section[len(METRIC_PREFIX) :]} comment"
    return SECTIONS.get(section, section).lower()


def freeze_on_approval(sender, *, quarter_return, user, event, **kwargs) -> None:
    """Receiver of ``core.signals.quarter_approved``: a new frozen version each time the quarter is approved."""
    freeze_summary(quarter_return=quarter_return, user=user, event=event)


def freeze_summary(*, quarter_return: QuarterReturn, user, event) -> QuarterSummarySnapshot:
    """Save the summary as approved: a new version of the quarter's figures, charts and narrative.

    Called by the approval (``core.signals.quarter_approved``) inside its transaction and lock,
    so the version holds exactly the figures that were approved.
    """
    area, year, quarter = quarter_return.area, quarter_return.financial_year, quarter_return.quarter
    with transaction.atomic():
        narrative = narrative_document(narrative_rows(area, year, quarter))
        document = build_document(area, year, quarter, narrative=narrative)
        latest = QuarterSummarySnapshot.objects.filter(area=area, financial_year=year, quarter=quarter).aggregate(
            latest=Max("version")
        )["latest"]
        return QuarterSummarySnapshot.objects.create(
            area=area,
            financial_year=year,
            quarter=quarter,
            version=(latest or 0) + 1,
            quarter_return=quarter_return,
            event=event,
            document=document,
            approved_by=user,
            approved_at=event.at,
        )
