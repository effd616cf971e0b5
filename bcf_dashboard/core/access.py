"""Who may see or change which area's data.

``scoped`` is the one gate: every read or write of area data filters its queryset
through it, and ``load_area`` (built on it) turns another area into a 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from bcf_dashboard.core.models import Area, Membership

VIEW = "view"
EDIT = "edit"
APPROVE = "approve"
AUDIT = "audit"  # read the change history: everyone but HWB members, who read dashboards and summaries

ROLES_FOR_ACTION = {
    VIEW: {r.value for r in Membership.Role},
    EDIT: {Membership.Role.FINANCE_OFFICER.value},
    APPROVE: {Membership.Role.APPROVER.value},
    AUDIT: {Membership.Role.FINANCE_OFFICER.value, Membership.Role.APPROVER.value, Membership.Role.COMMISSIONER.value},
}


def scoped(user, queryset: QuerySet, *, action: str = VIEW, area_path: str = "area") -> QuerySet:
    """Only the rows of ``queryset`` in areas where ``user`` may do ``action``.

    ``area_path`` is the lookup from the model to its Area ("" for Area itself,
    "scheme__area" for a scheme's values). Staff may do everything everywhere.
    """
    if action not in ROLES_FOR_ACTION:
        raise ValueError(f"unknown action {action!r}")
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return queryset.none()
    if user.is_staff:
        return queryset
    allowed = Membership.objects.filter(user=user, role__in=ROLES_FOR_ACTION[action]).values("area_id")
    return queryset.filter(**{f"{area_path or 'pk'}__in": allowed})


def areas_for(user, *, action: str = VIEW) -> QuerySet:
    return scoped(user, Area.objects.all(), action=action, area_path="")


def load_area(user, code: str, *, action: str = VIEW) -> Area:
    """The area with this ONS code if ``user`` may do ``action`` there, else 404."""
    try:
        return areas_for(user, action=action).get(code=code)
    except Area.DoesNotExist:
        raise Http404("No such area, or you do not have access to it") from None


def can(user, area: Area, action: str) -> bool:
    return areas_for(user, action=action).filter(pk=area.pk).exists()


def roles_in(user, area: Area) -> set[str]:
    if user.is_staff:
        return set(ROLES_FOR_ACTION[VIEW])
    return set(Membership.objects.filter(user=user, area=area).values_list("role", flat=True))
