"""Each area-year's data version and its headline figures, kept by the write paths.

``version`` goes up in the same transaction as every write of the area-year's figures
(``bcf_dashboard.digests.versions``), so it names the data exactly: cache keys include it, and a
``headline`` is current only while ``headline_version`` equals it.
"""

from django.db import models

from bcf_dashboard.core.models import Area


class AreaYearDigest(models.Model):
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="digests")
    financial_year = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=1)
    # The overview's and comparison's figures (bcf_dashboard.digests.headlines), as worked out at headline_version.
    headline = models.JSONField(null=True, blank=True)
    headline_version = models.PositiveIntegerField(null=True, blank=True)
    # Null: not known since the last write of figures (a reference-data change leaves them as they are).
    has_data = models.BooleanField(null=True, help_text="Schemes, metric values or contributions in the year")
    has_actuals = models.BooleanField(null=True, help_text="Any actual value, metric or spend, in the year")

    class Meta:
        ordering = ["area", "financial_year"]
        constraints = [models.UniqueConstraint(fields=["area", "financial_year"], name="area_year_digest_unique")]
        # The unique key serves one area's rows; the overview for every area reads one year's rows.
        indexes = [models.Index(fields=["financial_year"], name="digest_year")]

    def __str__(self):
        return f"{self.area_id} {self.financial_year} v{self.version}"

    @property
    def current(self) -> bool:
        return self.headline is not None and self.headline_version == self.version


class StoredFigures(models.Model):
    """An area-year's figures as the engine worked them out (``AreaYearSummary``), kept so that a page
    needing them reads one row instead of working them out again (``bcf_dashboard.digests.figures``).

    Current only while ``area_version`` is the area's data version now (``selectors.area_versions``: the
    sum of every year's version, since a year's projections read the years before it; it only ever
    rises) and ``release`` names the running code: any write of the area's figures, or a deploy, makes
    the row stale at once.
    """

    digest = models.ForeignKey(AreaYearDigest, on_delete=models.CASCADE, related_name="figures")
    through = models.PositiveSmallIntegerField(help_text="The month (1-12) the year is read to: 12, or a quarter's end")
    area_version = models.PositiveBigIntegerField()
    release = models.CharField(max_length=40)
    data = models.BinaryField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["digest", "through"], name="stored_figures_unique")]

    def __str__(self):
        return f"{self.digest} to month {self.through}, at area version {self.area_version}"
