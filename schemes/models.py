"""Schemes: the lines of spending from the pool, their budgets and monthly figures."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from simple_history.models import HistoricalRecords

from bcf_dashboard.core.fields import HundredthsField, MoneyField
from bcf_dashboard.core.limits import ILLUSTRATIVE_MARK
from bcf_dashboard.core.models import Area, ImportBatch, Partner, Period
from funding.models import FundingSource


class Scheme(models.Model):
    class Type(models.TextChoices):
        INTERMEDIATE_CARE = "intermediate_care", "Intermediate care"
        REABLEMENT = "reablement", "Reablement"
        CARERS = "carers", "Carers"
        DFG = "dfg", "Disabled Facilities Grant"
        ENABLERS = "enablers", "Enablers for integration"
        ASSISTIVE_TECHNOLOGY = "assistive_technology", "Assistive technology"
        HOME_CARE = "home_care", "Home care"
        RESIDENTIAL = "residential", "Residential placements"
        PREVENTION = "prevention", "Prevention"
        SOCIAL_CARE = "social_care", "Maintaining social care"
        DISCHARGE = "discharge", "Hospital discharge"
        CONTINGENCY = "contingency", "Risk share contingency"
        OTHER = "other", "Other"

    class AreaOfSpend(models.TextChoices):
        SOCIAL_CARE = "social_care", "Social care"
        COMMUNITY_HEALTH = "community_health", "Community health"
        ACUTE = "acute", "Acute"
        MENTAL_HEALTH = "mental_health", "Mental health"
        PRIMARY_CARE = "primary_care", "Primary care"
        OTHER = "other", "Other"

    class Commissioner(models.TextChoices):
        LOCAL_AUTHORITY = "la", "Local authority"
        NHS = "nhs", "NHS"
        JOINT = "joint", "Joint"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        BAU = "bau", "Moved to business as usual"

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="schemes")
    ref = models.CharField(max_length=30, help_text="As the plan writes it: A1, Scheme 3")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    scheme_type = models.CharField(max_length=30, choices=Type.choices)
    area_of_spend = models.CharField(max_length=30, choices=AreaOfSpend.choices)
    commissioner = models.CharField(max_length=5, choices=Commissioner.choices)
    la_share_pct = models.DecimalField("LA share %", max_digits=5, decimal_places=2)
    nhs_share_pct = models.DecimalField("NHS share %", max_digits=5, decimal_places=2)
    provider = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="schemes")
    provider_name = models.CharField(max_length=200, blank=True, help_text="If the provider is not a listed partner")
    funding_source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="schemes")
    is_new = models.BooleanField("new scheme", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["area", "ref"], name="scheme_ref_unique_in_area"),
            models.CheckConstraint(
                condition=Q(la_share_pct__gte=0, la_share_pct__lte=100)
                & Q(nhs_share_pct=Value(100) - F("la_share_pct")),
                name="commissioner_split_sums_to_100",
            ),
            models.CheckConstraint(
                condition=Q(commissioner="joint")
                | Q(commissioner="la", la_share_pct=100)
                | Q(commissioner="nhs", nhs_share_pct=100),
                name="single_commissioner_takes_100",
            ),
        ]

    def __str__(self):
        return f"{self.ref} {self.name}"


class SchemeYear(models.Model):
    """A scheme's budget for one financial year and any forecast the finance officer sets."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="years")
    financial_year = models.PositiveSmallIntegerField()
    budget = MoneyField()
    forecast_override = MoneyField(
        null=True, blank=True, help_text="Replaces actual-to-date plus remaining plan as the forecast outturn"
    )
    forecast_reason = models.TextField(blank=True)
    stated_forecast_label = models.CharField(
        max_length=60, blank=True, help_text="Where the override came from, e.g. 'Projected outturn at Q1'"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "financial_year"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "financial_year"], name="scheme_year_unique"),
            models.CheckConstraint(
                condition=Q(forecast_override__isnull=True) | ~Q(forecast_reason=""),
                name="forecast_override_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.scheme} {self.financial_year}"


class SchemeValue(models.Model):
    """A scheme's planned or actual spend (pounds), activity or savings for one month."""

    class Measure(models.TextChoices):
        SPEND = "spend", "Spend (£)"
        ACTIVITY = "activity", "Activity"
        SAVING = "saving", "Savings (£)"

    class Kind(models.TextChoices):
        PLAN = "plan", "Plan"
        ACTUAL = "actual", "Actual"

    # No single-column indexes on these foreign keys: the unique key (scheme, period, measure,
    # kind) serves every lookup, and each extra index slows the bulk upserts of a returns file.
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="values", db_index=False)
    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="+", db_index=False)
    measure = models.CharField(max_length=10, choices=Measure.choices)
    kind = models.CharField(max_length=6, choices=Kind.choices)
    value = HundredthsField()
    note = models.TextField(blank=True)
    batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["scheme", "period__start", "measure", "kind"]
        constraints = [
            # On PostgreSQL the index behind this constraint also carries the value (INCLUDE, made by
            # migration 0003, decision 17): an area-year's months are read from the index alone, a few
            # hundred pages for 400 schemes wherever the rows lie in the table. Declared here without it,
            # since Django creates no constraint at all with INCLUDE on SQLite.
            models.UniqueConstraint(fields=["scheme", "period", "measure", "kind"], name="scheme_value_unique"),
            models.CheckConstraint(condition=Q(measure="spend") | Q(value__gte=0), name="only_spend_may_be_negative"),
        ]
        indexes = [
            # Whether an area's year holds a made-up figure (engine.illustrative): without it PostgreSQL
            # read every area's values, 2 million rows, looking for a note that is rarely there
            # (decision 16). Only the marked rows are in it, so the upserts of real returns never touch it.
            models.Index(
                fields=["scheme", "period"],
                condition=Q(note__startswith=ILLUSTRATIVE_MARK),
                name="scheme_value_illustrative",
            ),
        ]

    def __str__(self):
        return f"{self.scheme} {self.period.code} {self.measure} {self.kind}: {self.value}"

    @property
    def measure_code(self):
        return f"{self.measure}:{self.scheme.ref}"
