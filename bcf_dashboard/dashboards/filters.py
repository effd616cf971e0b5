"""Filters for an area-year's scheme table (django-filter)."""

import django_filters
from django.db.models import Q

from bcf_dashboard.core.statuses import STATUS_CHOICES
from schemes.models import Scheme


class SchemeFilter(django_filters.FilterSet):
    """Narrows the engine's list of schemes: the filter picks ids, the numbers stay the engine's.

    ``statuses`` maps scheme id to its spend status from the summary, since status is
    worked out, not stored.
    """

    q = django_filters.CharFilter(method="search", label="Ref or name contains")
    scheme_type = django_filters.ChoiceFilter(choices=Scheme.Type.choices, label="Scheme type", empty_label="Any type")
    area_of_spend = django_filters.ChoiceFilter(
        choices=Scheme.AreaOfSpend.choices, label="Area of spend", empty_label="Any area of spend"
    )
    commissioner = django_filters.ChoiceFilter(
        choices=Scheme.Commissioner.choices, label="Commissioner", empty_label="Any commissioner"
    )
    spend_status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="by_status", label="Spend status", empty_label="Any status"
    )

    class Meta:
        model = Scheme
        fields = []

    def __init__(self, data=None, queryset=None, *, statuses=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.statuses = statuses or {}

    def search(self, queryset, name, value):
        return queryset.filter(Q(ref__icontains=value) | Q(name__icontains=value))

    def by_status(self, queryset, name, value):
        return queryset.filter(pk__in=[pk for pk, status in self.statuses.items() if status == value])

    @property
    def active(self) -> bool:
        """True when any filter has a value (an unfiltered table needs no query)."""
        return self.is_bound and any(self.data.get(name) for name in self.filters)


def filtered_schemes(area, spend, data):
    """(filterset, the schemes to show): every scheme when no filter is set."""
    filterset = SchemeFilter(
        data or None, queryset=Scheme.objects.filter(area=area), statuses={s.scheme.id: s.status for s in spend.schemes}
    )
    if not filterset.active:
        return filterset, list(spend.schemes)
    if not filterset.is_valid():
        return filterset, list(spend.schemes)
    keep = set(filterset.qs.values_list("pk", flat=True))
    return filterset, [s for s in spend.schemes if s.scheme.id in keep]
