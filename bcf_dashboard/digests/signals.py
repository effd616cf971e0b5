"""Writes made through the ORM one object at a time (the admin, the demo loader) bump versions.

The services write figures with plain SQL, which sends no signals, and bump versions
themselves (``services.changed``); these handlers cover everything else that saves or
deletes a model instance. They run inside the saving transaction, so the version moves
with the data or not at all. Headlines are left stale here and worked out by the next
page that reads them: an admin form save stays quick, and a loader saving thousands of
objects does not work out thousands of summaries.
"""

from django.db.models.signals import post_delete, post_save

from bcf_dashboard.digests import services


def _year_of_period(instance):
    return instance.period.financial_year


def _area_year(area_id, year):
    def handler(sender, instance, **kwargs):
        services.bump([(area_id(instance), year(instance))])

    return handler


def _area(area_id):
    def handler(sender, instance, **kwargs):
        services.bump_areas([area_id(instance)])

    return handler


def _requirement(sender, instance, **kwargs):
    # A year's minimum is also the base of the next year's uplift check.
    services.bump([(instance.area_id, instance.financial_year)])
    services.bump([(instance.area_id, instance.financial_year + 1)], create=False)


def _metric_definition(sender, instance, **kwargs):
    if instance.area_id:
        services.bump_areas([instance.area_id])
    else:
        services.bump_everything()


def _everything(sender, instance, **kwargs):
    services.bump_everything()


def handlers():
    from bcf_dashboard.core.models import Area, AreaYearPlan, Partner, Population, QuarterReturn
    from funding.models import (
        Contribution,
        FundingRequirement,
        FundingSource,
        RiskShareSplit,
        RiskShareTerms,
        UpliftRate,
    )
    from metrics.models import MetricDefinition, MetricValue
    from schemes.models import Scheme, SchemeValue, SchemeYear

    by_year = _area_year(lambda i: i.area_id, lambda i: i.financial_year)
    return {
        SchemeYear: _area_year(lambda i: i.scheme.area_id, lambda i: i.financial_year),
        SchemeValue: _area_year(lambda i: i.scheme.area_id, _year_of_period),
        MetricValue: _area_year(lambda i: i.area_id, _year_of_period),
        Contribution: by_year,
        RiskShareTerms: by_year,
        RiskShareSplit: _area_year(lambda i: i.terms.area_id, lambda i: i.terms.financial_year),
        QuarterReturn: by_year,
        AreaYearPlan: by_year,
        FundingRequirement: _requirement,
        Scheme: _area(lambda i: i.area_id),
        Population: _area(lambda i: i.area_id),  # the nearest estimate may serve several years
        Area: _area(lambda i: i.id),
        MetricDefinition: _metric_definition,
        Partner: _everything,  # names shown on every page that lists contributions
        FundingSource: _everything,
        UpliftRate: _everything,
    }


def connect():
    for model, handler in handlers().items():
        label = model._meta.label_lower
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"digests-save-{label}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"digests-delete-{label}")
