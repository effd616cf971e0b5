"""The summary page's data: one document (frozen or today's draft), ready for the template.

Which document: ``?version=N`` a frozen version; ``?draft=1`` today's figures; otherwise the
latest approved version if there is one (it stays the summary of record while a reopened
quarter is revised), else today's figures as a draft. Nothing here does arithmetic on figures.
"""

from dataclasses import dataclass, field
from functools import cached_property

from django.http import Http404

from bcf_dashboard.core import periods
from bcf_dashboard.core.access import EDIT, can
from bcf_dashboard.core.models import QuarterReturn
from bcf_dashboard.core.statuses import STATUS_LABEL
from bcf_dashboard.digests import pagecache
from bcf_dashboard.engine.illustrative import illustrative_in
from bcf_dashboard.quarterly import charts, selectors
from bcf_dashboard.quarterly.changes import changes_between
from bcf_dashboard.quarterly.document import build_document
from bcf_dashboard.quarterly.forms import NarrativeForm
from bcf_dashboard.quarterly.models import SECTIONS
from bcf_dashboard.quarterly.services import narrative_sections

APPROVED, DRAFT = "approved", "draft"


@dataclass
class MetricBlock:
    metric: dict  # the metric as in the docs/formats.md document
    figure: dict | None
    comment: str
    components: list[dict]
    year: int
    quarter: int
    comment_box: object = None  # the comment's text box, when the officer may write
    shown_by_code: dict = field(default_factory=dict)
    whole_year: bool = False  # the year-end summary, every month in: its plan to date is the year's plan

    @property
    def figure_id(self) -> str:
        return "figure-summary-" + "".join(c if c.isalnum() else "-" for c in self.metric["code"].lower())

    @property
    def shown(self) -> dict:
        """The figures as the dashboards write them (see ``document.shown_figures``)."""
        return self.shown_by_code.get(self.metric["code"], {})

    @property
    def status_label(self) -> str:
        """The status in the product's words: the same as the dashboard and the JSON."""
        return STATUS_LABEL[self.metric["status"]]

    @property
    def within_tolerance(self) -> bool:
        """Worse than plan but within the metric's tolerance: at risk (on track in the national wording)."""
        return self.metric["status"] == "at_risk"

    @property
    def figure_label(self) -> str:
        return charts.figure_label(self.metric["name"], self.year, self.quarter, self.status_label)


@dataclass
class SummaryPage:
    area: object
    year: int
    quarter: int
    document: dict
    mode: str  # APPROVED (a frozen version) or DRAFT (today's figures)
    quarter_return: QuarterReturn | None
    versions: list  # frozen versions, oldest first (without documents)
    snapshot: object = None  # the version shown, when frozen
    reopened: object = None  # the last reopening event, if any
    changes: list = field(default_factory=list)
    compared_with: int | None = None
    form: NarrativeForm | None = None
    # Names the document's rendered figures in the cache (metrics, money, checks) for pages without the
    # narrative form: they change only with the document, which is frozen for a version and keyed by
    # the data version for today's. The form's comment boxes sit among the figures, so a page with them
    # is cached only whole (``summary_html``), under the quarter's stamp, which the narrative moves.
    figures_key: str = ""

    @property
    def label(self) -> str:
        return periods.quarter(self.year, self.quarter).label

    @property
    def year_label(self) -> str:
        return periods.year_label(self.year)

    @property
    def months(self) -> str:
        ref = periods.quarter(self.year, self.quarter)
        first, last = periods.month(self.year, ref.month_numbers[0]), periods.month(self.year, ref.month_numbers[-1])
        return f"{first.label.split()[0]} to {last.label}"

    @cached_property
    def illustrative(self) -> dict:
        """Whether made-up figures or populations stand behind the summary: the page says so (engine.illustrative).

        Kept in the page cache under the area's data version, like the document."""
        return pagecache.cached(
            pagecache.page_key("illustrative", self.area, self.year), lambda: illustrative_in(self.area, self.year)
        )

    @property
    def is_year_end(self) -> bool:
        return self.quarter == 4

    @property
    def kind_label(self) -> str:
        return " year-end summary" if self.is_year_end else " quarterly summary"

    @property
    def state(self) -> str:
        return self.quarter_return.state if self.quarter_return else QuarterReturn.State.OPEN

    @property
    def state_label(self) -> str:
        return QuarterReturn.State(self.state).label

    @property
    def latest_version(self) -> int | None:
        return self.versions[-1].version if self.versions else None

    @property
    def is_superseded(self) -> bool:
        return self.snapshot is not None and self.snapshot.version != self.latest_version

    @property
    def can_edit(self) -> bool:
        return self.form is not None

    @property
    def reopened_since(self) -> bool:
        """Reopened after the version shown was approved: a revision is under way."""
        return (
            self.mode == APPROVED
            and self.reopened is not None
            and not self.is_superseded
            and self.reopened.at > self.snapshot.approved_at
        )

    @property
    def is_draft(self) -> bool:
        """Not approved: neither a frozen version nor a quarter approved before versions were frozen."""
        return self.snapshot is None and self.state in (QuarterReturn.State.OPEN, QuarterReturn.State.SUBMITTED)

    @property
    def standing(self) -> str:
        """The word on the page's chip."""
        if not self.is_draft:
            return "Approved"
        return "Submitted" if self.state == QuarterReturn.State.SUBMITTED else "Draft"

    @property
    def status_line(self) -> str:
        """What every printed page says of the summary's standing (its margin)."""
        if self.snapshot is not None:
            line = (
                f"Approved by {selectors.who(self.snapshot.approved_by)} on "
                f"{self.snapshot.approved_at:%-d %B %Y} (version {self.snapshot.version})"
            )
            return line + (" – superseded" if self.is_superseded else "")
        if self.state == QuarterReturn.State.SUBMITTED:
            return "Draft: submitted for approval, not yet approved"
        if self.state in (QuarterReturn.State.APPROVED, QuarterReturn.State.LOCKED):
            # Approved before summaries were frozen: there is no version, only today's figures.
            found = self.quarter_return
            when = f" on {found.approved_at:%-d %B %Y}" if found.approved_at else ""
            return f"Approved by {selectors.who(found.approved_by) or 'an approver'}{when}: today's figures, not frozen"
        return "Draft: not yet approved"

    @property
    def summary(self) -> dict:
        return self.document["summary"]

    @property
    def narrative(self) -> dict:
        return self.document.get("narrative") or {}

    @cached_property
    def metrics(self) -> list[MetricBlock]:
        all_metrics = self.summary["metrics"]
        comments = self.narrative.get("metrics") or {}
        figures = self.document.get("figures") or {}
        shown = (self.document.get("shown") or {}).get("metrics", {})
        # A metric with a month missing compares the months it has (formats section 2): at the year's
        # end its plan to date is not the plan for the year, and is not called so.
        missing = {line["measure"] for line in (self.summary.get("completeness") or {}).get("missing", [])}
        through = self.document.get("through")
        return [
            MetricBlock(
                metric=m,
                figure=figures.get(m["code"]),
                comment=comments.get(m["code"], ""),
                components=[
                    {**c, "shown": shown.get(c["code"], {})} for c in all_metrics if c.get("parent") == m["code"]
                ],
                year=self.year,
                quarter=self.quarter,
                comment_box=self.form.comment_field(m["code"]) if self.form else None,
                shown_by_code=shown,
                whole_year=self.is_year_end and m.get("as_of") == through and m["code"] not in missing,
            )
            # National metrics first, then the area's own (the engine lists them by code).
            for m in sorted(all_metrics, key=lambda m: bool(m.get("local")))
            if not m.get("parent")
        ]

    @property
    def sections(self) -> list[tuple[str, str, object]]:
        """(heading, text, text box or None) for the three narrative sections."""
        return [
            (name, self.narrative.get(key) or "", self.form.section_field(key) if self.form else None)
            for key, name in SECTIONS.items()
        ]

    @property
    def contingency_share(self) -> str | None:
        return (self.document.get("shown") or {}).get("contingency_share_pct")

    @property
    def checks(self) -> list[dict]:
        return self.summary["funding"]["checks"]

    @property
    def failing_checks(self) -> list[dict]:
        return [c for c in self.checks if not c["passed"]]

    @property
    def change_sections(self) -> list[tuple[str, list]]:
        grouped: dict[str, list] = {}
        for change in self.changes:
            grouped.setdefault(change.section, []).append(change)
        return list(grouped.items())

    @property
    def file_name(self) -> str:
        suffix = f"-v{self.snapshot.version}" if self.snapshot else "-draft"
        return f"bcf-summary-{self.area.code}-{self.year}-{(self.year + 1) % 100:02d}-q{self.quarter}{suffix}.pdf"

    @property
    def query(self) -> str:
        """The query string that shows this same document (for the PDF link)."""
        if self.snapshot is not None:
            return f"?version={self.snapshot.version}"
        return "?draft=1" if self.versions else ""


def live_document(area, year: int, quarter: int, *, narrative: dict) -> tuple[dict, str]:
    """Today's document for the quarter and its cache key: cached under the area's data version and
    the narrative, since the engine's work is most of the page's time and only a write or a new
    narrative changes it. Called after the view's access check, as every ``pagecache`` read is."""
    key = pagecache.page_key("quarter-document", area, area.code, area.name, year, quarter, narrative)
    return pagecache.cached(key, lambda: build_document(area, year, quarter, narrative=narrative)), key


def summary_page(
    user, area, year: int, quarter: int, *, version: int | None = None, draft: bool = False, data=None
) -> SummaryPage:
    """The page for the area's quarter as ``user`` sees it; ``data`` is a posted narrative form."""
    found = selectors.quarter_return(area, year, quarter)
    versions = selectors.versions(area, year, quarter)
    page = SummaryPage(
        area=area,
        year=year,
        quarter=quarter,
        document={},
        mode=DRAFT,
        quarter_return=found,
        versions=versions,
        reopened=selectors.last_reopening(found),
    )
    if version is None and not draft and versions:
        version = versions[-1].version
    if version is not None:
        page.snapshot = selectors.snapshot(area, year, quarter, version)
        if page.snapshot is None:
            raise Http404("No such version of this summary")
        page.mode, page.document = APPROVED, page.snapshot.document
        page.figures_key = pagecache.listing_key("quarter-snapshot", page.snapshot.id, area.name)
        if version > 1:
            previous = selectors.snapshot(area, year, quarter, version - 1)
            page.changes, page.compared_with = changes_between(previous.document, page.document), version - 1
        return page
    stored = selectors.narrative_rows(area, year, quarter)
    page.document, page.figures_key = live_document(area, year, quarter, narrative=selectors.narrative_document(stored))
    if versions:
        latest = selectors.snapshot(area, year, quarter, versions[-1].version)
        page.changes, page.compared_with = changes_between(latest.document, page.document), latest.version
    if page.state == QuarterReturn.State.OPEN and can(user, area, EDIT):
        page.form = NarrativeForm(data, sections=narrative_sections(area, year), stored=stored)
    return page
