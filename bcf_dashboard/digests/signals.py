"""Writes made through the ORM one object at a time (the admin, the demo loader) bump versions.

The services write figures with plain SQL, which sends no signals, and bump versions
themselves (``services.changed``); these handlers cover everything else that saves or
deletes a model instance. They run inside the saving transaction, so the version moves
with the data or not at all. Headlines are left stale here and worked out by the next
page that reads them: an admin form save stays quick, and a loader saving thousands of
objects does not work out thousands of summaries.

Each model has a *key*, where its figures count (an area-year, an area, or nothing for national
data that counts everywhere), and a *bump* for a list of keys. A save that changes an instance's key
(the admin moving a contribution or a scheme to another area) moves the versions where it was as
well as where it is: the key as stored is read before the save.
"""

from django.db.models.signals import post_delete, post_save, pre_save

from bcf_dashboard.digests import services


def _bump_pairs(keys):
    services.bump(keys)


def _bump_areas(keys):
    services.bump_areas(keys)


def _bump_requirements(keys):
    # A year's minimum is also the base of the next year's uplift check.
    services.bump(keys)
    services.bump([(area_id, year + 1) for area_id, year in keys], create=False)


def _bump_definitions(keys):
    # A national definition (no area) counts in every area: made local, it leaves all the others.
    if None in keys:
        services.bump_everything()
    else:
        services.bump_areas(keys)


def _bump_everything(keys):
    services.bump_everything()


NATIONAL = None  # the key of data every area's figures read: no need to read it before a save


def handlers():
    from bcf_dashboard.core.models import Area, AreaYearPlan, Partner, Period, Population, QuarterReturn
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

    by_year = (lambda i: (i.area_id, i.financial_year), _bump_pairs)
    return {
        SchemeYear: (lambda i: (i.scheme.area_id, i.financial_year), _bump_pairs),
        SchemeValue: (lambda i: (i.scheme.area_id, i.period.financial_year), _bump_pairs),
        MetricValue: (lambda i: (i.area_id, i.period.financial_year), _bump_pairs),
        Contribution: by_year,
        RiskShareTerms: by_year,
        RiskShareSplit: (lambda i: (i.terms.area_id, i.terms.financial_year), _bump_pairs),
        QuarterReturn: by_year,
        AreaYearPlan: by_year,
        FundingRequirement: (lambda i: (i.area_id, i.financial_year), _bump_requirements),
        Scheme: (lambda i: i.area_id, _bump_areas),
        Population: (lambda i: i.area_id, _bump_areas),  # the nearest estimate may serve several years
        Area: (lambda i: i.id, _bump_areas),
        MetricDefinition: (lambda i: i.area_id, _bump_definitions),
        Partner: (NATIONAL, _bump_everything),  # names shown on every page that lists contributions
        FundingSource: (NATIONAL, _bump_everything),
        UpliftRate: (NATIONAL, _bump_everything),
        Period: (NATIONAL, _bump_everything),  # an edited month moves every value filed under it
    }


def _remember(key):
    """Before a save: the instance's key as stored, if it is stored already."""

    def handler(sender, instance, **kwargs):
        before = sender._base_manager.filter(pk=instance.pk).first() if instance.pk is not None else None
        instance._digest_keys_before = [key(before)] if before is not None else []

    return handler


def _changed(key, bump):
    def handler(sender, instance, **kwargs):
        keys = [key(instance)] if key is not NATIONAL else []
        keys += instance.__dict__.pop("_digest_keys_before", [])
        bump(list(dict.fromkeys(keys)))

    return handler


def connect():
    for model, (key, bump) in handlers().items():
        label = model._meta.label_lower
        if key is not NATIONAL:
            pre_save.connect(_remember(key), sender=model, weak=False, dispatch_uid=f"digests-before-{label}")
        post_save.connect(_changed(key, bump), sender=model, weak=False, dispatch_uid=f"digests-save-{label}")
        post_delete.connect(_changed(key, bump), sender=model, weak=False, dispatch_uid=f"digests-delete-{label}")
