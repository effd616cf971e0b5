"""The pooled budget: where the money comes from, the minima it must meet, and the risk share."""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from bcf_dashboard.core.fields import MoneyField
from bcf_dashboard.core.models import Area, Partner


class FundingSource(models.Model):
    """A source of pooled money (NHS minimum, DFG, iBCF...), valid for a range of years."""

    class Kind(models.TextChoices):
        REVENUE = "revenue", "Revenue"
        CAPITAL = "capital", "Capital"

    class From(models.TextChoices):
        NHS = "nhs", "NHS commissioner"
        LOCAL_AUTHORITY = "la", "Local authority"
        EITHER = "either", "Either partner"

    code = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REVENUE)
    paid_by = models.CharField(max_length=10, choices=From.choices)
    counts_towards_nhs_minimum = models.BooleanField(default=False)
    first_year = models.PositiveSmallIntegerField()
    last_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Blank while it still applies")
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["first_year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__isnull=True) | Q(last_year__gte=F("first_year")),
                name="funding_source_years_in_order",
            )
        ]

    def __str__(self):
        return self.name

    def applies_in(self, year: int) -> bool:
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


class Contribution(models.Model):
    """Money a partner puts into an area's pool for a year from one source."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="contributions")
    financial_year = models.PositiveSmallIntegerField()
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="contributions")
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="contributions")
    amount = MoneyField()
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "financial_year", "source__first_year", "source__name"]
        constraints = [
            models.UniqueConstraint(fields=["area", "financial_year", "partner", "source"], name="contribution_unique")
        ]

    def __str__(self):
        return f"{self.area} {self.financial_year}: {self.source} from {self.partner}"


class UpliftRate(models.Model):
    """The national rise the NHS minimum must show on the year before (1.79% in 2017/18)."""

    financial_year = models.PositiveSmallIntegerField(unique=True)
    rate_pct = models.DecimalField(max_digits=6, decimal_places=3)

    class Meta:
        ordering = ["financial_year"]
        constraints = [
            models.CheckConstraint(condition=Q(rate_pct__gte=-100, rate_pct__lte=100), name="uplift_rate_is_a_percent")
        ]

    def __str__(self):
        return f"{self.financial_year}: {self.rate_pct}%"


class FundingRequirement(models.Model):
    """The national conditions' minima for an area and year, as published."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="funding_requirements")
    financial_year = models.PositiveSmallIntegerField()
    nhs_minimum = MoneyField(help_text="The NHS (CCG/ICB) minimum contribution")
    social_care_minimum = MoneyField(null=True, blank=True, help_text="Minimum to maintain adult social care")
    out_of_hospital_minimum = MoneyField(
        null=True, blank=True, help_text="Minimum on NHS-commissioned out-of-hospital services"
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "financial_year"]
        constraints = [models.UniqueConstraint(fields=["area", "financial_year"], name="funding_requirement_unique")]

    def __str__(self):
        return f"{self.area} {self.financial_year} minima"


class RiskShareTerms(models.Model):
    """An area-year's agreement on the risk that emergency admissions do not fall."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="risk_share_terms")
    financial_year = models.PositiveSmallIntegerField()
    planned_nea_reduction = models.PositiveIntegerField(help_text="Admissions the plan expects to avoid in the year")
    # Six places: plans often state the modelled total, from which the unit cost is derived
    # (Bromley 2016/17: £2,306,227 over 825 admissions).
    cost_per_admission = models.DecimalField(max_digits=14, decimal_places=6)
    contingency = MoneyField(default=0, help_text="Money held in the pool against the risk")
    performance_fund = models.BooleanField(
        default=False, help_text="2015/16 style: NHS money released quarterly as admissions fall"
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["area", "financial_year"]
        verbose_name_plural = "risk share terms"
        constraints = [
            models.UniqueConstraint(fields=["area", "financial_year"], name="risk_share_terms_unique"),
            models.CheckConstraint(condition=Q(cost_per_admission__gte=0), name="cost_per_admission_not_negative"),
            models.CheckConstraint(condition=Q(contingency__gte=0), name="contingency_not_negative"),
        ]

    def __str__(self):
        return f"{self.area} {self.financial_year} risk share"


class RiskShareSplit(models.Model):
    """A partner's share of the cost the contingency does not cover."""

    terms = models.ForeignKey(RiskShareTerms, on_delete=models.CASCADE, related_name="splits")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT)
    share_pct = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["terms", "partner"], name="risk_share_split_unique"),
            models.CheckConstraint(condition=Q(share_pct__gte=0, share_pct__lte=100), name="risk_share_pct_0_to_100"),
        ]

    def __str__(self):
        return f"{self.partner}: {self.share_pct}%"
