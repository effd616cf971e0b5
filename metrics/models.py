"""Metric definitions as data, and their planned and actual values per area and period."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from bcf_dashboard.core.models import Area, ImportBatch, Period


class MetricDefinition(models.Model):
    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        RATE = "rate", "Rate"
        PERCENT = "percent", "Percent"

    class Better(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"

    class Rollup(models.TextChoices):
        SUM = "sum", "Summed over months"
        MEAN = "mean", "Averaged over months"
        LATEST = "latest", "Latest value"

    class EnteredAs(models.TextChoices):
        VALUE = "value", "The value itself"
        COUNT = "count", "A count, turned into a rate with the population"

    code = models.SlugField(
        max_length=30,
        unique=True,
        allow_unicode=False,
        help_text="As written in the returns file: NEA, DTOC, RES, REA or a local code",
    )
    name = models.CharField(max_length=200)
    short_name = models.CharField(
        max_length=40, blank=True, help_text="The name people know, for chips and narrow columns: Emergency admissions"
    )
    description = models.TextField(blank=True)
    source = models.CharField(
        max_length=200, blank=True, help_text="Where the figures come from, e.g. SUS, ASCOF 2A(2)"
    )
    unit = models.CharField(max_length=10, choices=Unit.choices)
    better = models.CharField(max_length=6, choices=Better.choices)
    rollup = models.CharField(max_length=6, choices=Rollup.choices)
    entered_as = models.CharField(max_length=5, choices=EnteredAs.choices, default=EnteredAs.VALUE)
    population_band = models.CharField(
        max_length=3, blank=True, choices=[("all", "All ages"), ("18+", "18+"), ("65+", "65+")]
    )
    per_population = models.PositiveIntegerField(default=100_000)
    tolerance_pct = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=2,
        help_text="How far worse than plan is still 'at risk' rather than 'not on track'",
    )
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField(null=True, blank=True)
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="local_metrics",
        help_text="Set for a local metric; blank for a national one",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="components",
        help_text="For a component such as the NHS share of delayed transfers",
    )
    display_order = models.PositiveSmallIntegerField(default=100)
    lag_months = models.PositiveSmallIntegerField(
        default=1, help_text="Months after the month it describes that a figure is due (data arrives late: NEA 2)"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["display_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tolerance_pct__gte=0, tolerance_pct__lte=100), name="tolerance_is_a_percent"
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")), name="metric_years_in_order"
            ),
            models.CheckConstraint(
                condition=Q(entered_as="value") | ~Q(population_band=""), name="count_entry_needs_population_band"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def label(self) -> str:
        """The short name where there is one, else the name."""
        return self.short_name or self.name

    def applies_in(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


class MetricValue(models.Model):
    """A planned or actual value of a metric for an area and a month, quarter or year."""

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan"
        ACTUAL = "actual", "Actual"

    # The unique key (area, metric, period, kind) serves lookups by area; metric keeps its own
    # index for comparisons across areas. Fewer indexes keep the bulk upserts of a returns file fast.
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="metric_values", db_index=False)
    metric = models.ForeignKey(MetricDefinition, on_delete=models.PROTECT, related_name="values")
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    value = models.DecimalField(max_digits=16, decimal_places=4)
    note = models.TextField(blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["area", "metric", "period__start", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["area", "metric", "period", "kind"], name="metric_value_unique"),
            models.CheckConstraint(condition=Q(value__gte=0), name="metric_value_not_negative"),
        ]

    def __str__(self):
        return f"{self.area.code} {self.metric.code} {self.period.code} {self.kind}: {self.value}"
