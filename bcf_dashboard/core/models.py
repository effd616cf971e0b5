"""The shared core: areas, partners, populations, plans, periods, access and audit."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from bcf_dashboard.core import periods


class Partner(models.Model):
    """An organisation that commissions, hosts or provides: a CCG or ICB, a council, a provider."""

    class Kind(models.TextChoices):
        CCG = "ccg", "Clinical Commissioning Group"
        ICB = "icb", "Integrated Care Board"
        LOCAL_AUTHORITY = "la", "Local authority"
        NHS_PROVIDER = "nhs_provider", "NHS provider"
        VCS = "vcs", "Voluntary and community sector"
        PRIVATE = "private", "Independent provider"

    code = models.CharField(max_length=20, unique=True, help_text="ODS code for NHS bodies, ONS code for councils")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def is_nhs(self):
        return self.kind in {self.Kind.CCG, self.Kind.ICB, self.Kind.NHS_PROVIDER}


class Area(models.Model):
    """A Health and Wellbeing Board area, identified by its ONS code."""

    KIND_BY_PREFIX = {
        "E06": "Unitary authority",
        "E08": "Metropolitan borough",
        "E09": "London borough",
        "E10": "County",
    }

    code = models.CharField(max_length=9, unique=True, help_text="ONS code, e.g. E09000006")
    name = models.CharField(max_length=120)
    region = models.CharField(max_length=60, blank=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="Last day the area existed; blank if current")
    pool_host = models.ForeignKey(
        Partner,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_pools",
        help_text="Partner that hosts the pooled budget",
    )
    pool_manager = models.CharField(max_length=120, blank=True)
    partners = models.ManyToManyField(Partner, through="AreaPartner", related_name="areas")
    # The area's own timetable for the task list (core/tasks.py).
    returns_due_working_days = models.PositiveSmallIntegerField(
        default=15, help_text="A month's return is due this many working days (Monday to Friday) after the month ends"
    )
    sign_off_due_days = models.PositiveSmallIntegerField(
        default=30, help_text="A quarter is due for submission this many days after it ends; approval a week later"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(code__regex=r"^E(06|07|08|09|10)[0-9]{6}$"), name="area_code_is_ons"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="area_valid_dates_in_order",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def kind(self):
        return self.KIND_BY_PREFIX.get(self.code[:3], "")


class AreaPartner(models.Model):
    """A partner's part in an area's Section 75 agreement."""

    class Role(models.TextChoices):
        NHS_COMMISSIONER = "nhs_commissioner", "NHS commissioner"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        PROVIDER = "provider", "Provider"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships_of_partners")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT)
    role = models.CharField(max_length=20, choices=Role.choices)
    first_year = models.PositiveSmallIntegerField(null=True, blank=True)
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["area", "partner", "role"], name="area_partner_role_unique")]

    def __str__(self):
        return f"{self.partner} ({self.get_role_display()}) in {self.area}"


class Population(models.Model):
    """ONS mid-year population estimate, used to turn counts into rates."""

    class Band(models.TextChoices):
        ALL = "all", "All ages"
        ADULTS = "18+", "Aged 18 and over"
        OLDER = "65+", "Aged 65 and over"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField(
        help_text="Mid-year of the estimate; used for the financial year starting then"
    )
    band = models.CharField(max_length=3, choices=Band.choices)
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["area", "year", "band"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "band"], name="population_unique"),
            models.CheckConstraint(condition=Q(population__gt=0), name="population_positive"),
        ]

    def __str__(self):
        return f"{self.area} {self.year} {self.band}: {self.population:,}"


class Plan(models.Model):
    """A BCF plan: one or more areas, one or two financial years."""

    name = models.CharField(max_length=200)
    areas = models.ManyToManyField(Area, related_name="plans")
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField()
    agreed_on = models.DateField(null=True, blank=True)
    document = models.CharField(max_length=300, blank=True, help_text="Where the signed plan is kept")

    class Meta:
        ordering = ["-first_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")) & Q(last_year__lte=F("first_year") + 1),
                name="plan_spans_one_or_two_years",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({periods.span_label(self.first_year, self.last_year)})"


class Period(models.Model):
    """A month, quarter or financial year; rows are made by ``Period.ensure_years``."""

    class Kind(models.TextChoices):
        MONTH = periods.MONTH, "Month"
        QUARTER = periods.QUARTER, "Quarter"
        YEAR = periods.YEAR, "Financial year"

    code = models.CharField(max_length=12, unique=True, help_text="2017-04, 2017/18-Q1 or 2017/18")
    kind = models.CharField(max_length=7, choices=Kind.choices)
    financial_year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField(help_text="Month 1-12 from April, quarter 1-4, 0 for the year")
    start = models.DateField()
    end = models.DateField()

    objects = models.Manager()

    class Meta:
        ordering = ["start", "-end"]
        indexes = [models.Index(fields=["financial_year", "kind", "number"])]

    def __str__(self):
        return self.ref.label

    @property
    def ref(self) -> periods.PeriodRef:
        return periods.PeriodRef(self.kind, self.financial_year, self.number)

    @classmethod
    def ensure_years(cls, years) -> dict[str, "Period"]:
        """Create any missing period rows for these financial years; return them by code."""
        refs = [ref for year in sorted(set(years)) for ref in periods.periods_of_year(year)]
        codes = [r.code for r in refs]
        found = {p.code: p for p in cls.objects.filter(code__in=codes)}
        if len(found) < len(refs):  # rarely: every save would otherwise pay for an INSERT
            cls.objects.bulk_create(
                [
                    cls(
                        code=r.code,
                        kind=r.kind,
                        financial_year=r.financial_year,
                        number=r.number,
                        start=r.start,
                        end=r.end,
                    )
                    for r in refs
                    if r.code not in found
                ],
                ignore_conflicts=True,
            )
            found = {p.code: p for p in cls.objects.filter(code__in=codes)}
        return found


class Membership(models.Model):
    """What a person may do in an area."""

    class Role(models.TextChoices):
        FINANCE_OFFICER = "finance_officer", "Finance officer"
        APPROVER = "approver", "Approver"
        COMMISSIONER = "commissioner", "Commissioner"
        HWB_MEMBER = "hwb_member", "HWB member"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    history = HistoricalRecords()  # who was given or lost access, when, by whom

    class Meta:
        ordering = ["area", "role", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "area", "role"], name="membership_unique")]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} - {self.area}"


class QuarterReturn(models.Model):
    """The state of an area's quarterly return; a locked quarter takes no edits."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        LOCKED = "locked", "Locked"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="quarter_returns")
    financial_year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["area", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["area", "financial_year", "quarter"], name="quarter_return_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_between_1_and_4"),
        ]

    def __str__(self):
        return f"{self.area} {periods.quarter(self.financial_year, self.quarter).label}: {self.get_state_display()}"


class ImportBatch(models.Model):
    """One application of a returns file (or a form save): what it was and what it did."""

    class Source(models.TextChoices):
        UPLOAD = "upload", "Upload"
        COMMAND = "command", "Command"
        FORM = "form", "Form"
        ADMIN = "admin", "Admin"
        DEMO = "demo", "Demo loader"

    source = models.CharField(max_length=10, choices=Source.choices)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="import_batches"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    reason = models.TextField(blank=True, help_text="Why an agreed plan was revised, as the user gave it")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"{self.get_source_display()} {self.file_name} at {self.created_at:%Y-%m-%d %H:%M}"


class ValueChange(models.Model):
    """One change to one plan or actual value: who, when, from what, and what it replaced."""

    # Append-only and written only by the import service with ids it has just read, so the database
    # does not check these keys: at 100,000 rows a file, the checks at commit cost seconds. Django
    # still protects and cascades them on delete. The two indexes below lead with the area, so the
    # area and period need no index of their own either.
    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="changes", db_constraint=False)
    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="value_changes", db_constraint=False, db_index=False
    )
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_constraint=False, db_index=False)
    measure = models.CharField(max_length=80, help_text="As in the returns file: NEA, spend:A1, activity:A1")
    kind = models.CharField(max_length=6)
    old_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    new_value = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    old_note = models.TextField(blank=True)
    new_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-batch__created_at", "id"]
        indexes = [models.Index(fields=["area", "measure"]), models.Index(fields=["area", "period"])]

    def __str__(self):
        return f"{self.area.code} {self.period.code} {self.measure} {self.kind}: {self.old_value} -> {self.new_value}"


class AreaYearPlan(models.Model):
    """Whether an area's plan for a year is agreed: after that its plan figures change only by recorded revision."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="year_plans")
    financial_year = models.PositiveSmallIntegerField()
    agreed = models.BooleanField(default=False)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_at = models.DateTimeField(null=True, blank=True)
    # The plan's way to agreement (core/plans.py): a finance officer submits it, an approver other
    # than the submitter agrees it or sends it back with the reason kept here until the next submission.
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    sent_back_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sent_back_at = models.DateTimeField(null=True, blank=True)
    sent_back_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "financial_year"]
        constraints = [models.UniqueConstraint(fields=["area", "financial_year"], name="area_year_plan_unique")]

    def __str__(self):
        return f"{self.area} {periods.year_label(self.financial_year)} plan: {self.state}"

    @property
    def state(self) -> str:
        """draft, submitted or agreed: the words the plan pages, the workbook's Cover and the task list use."""
        if self.agreed:
            return "agreed"
        return "submitted" if self.submitted_at else "draft"


class QuarterReturnEvent(models.Model):
    """One step of a quarter's sign-off: who moved it from which state to which, when, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for approval"
        APPROVE = "approve", "Approved"
        SEND_BACK = "send_back", "Sent back for changes"
        LOCK = "lock", "Locked"
        REOPEN = "reopen", "Reopened"

    quarter_return = models.ForeignKey(QuarterReturn, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices)
    from_state = models.CharField(max_length=10, choices=QuarterReturn.State.choices)
    to_state = models.CharField(max_length=10, choices=QuarterReturn.State.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(action="reopen") | ~Q(reason=""), name="reopening_needs_a_reason")
        ]

    def __str__(self):
        return f"{self.quarter_return}: {self.get_action_display()} by {self.user}"
