"""Staff only: who can do what where, every user with every area role, filterable.

Changes are made in the admin (users with their area roles inline, and the Membership
list); this page is the overview to check them against. Anyone else gets a 404.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from bcf_dashboard.core.models import Area, Membership

PER_PAGE = 100
CAN_DO = {
    Membership.Role.FINANCE_OFFICER: "enter, upload and submit figures; edit the plan until it is agreed",
    Membership.Role.APPROVER: "approve, lock and reopen quarters (not ones they submitted); agree the plan",
    Membership.Role.COMMISSIONER: "read everything of the area, history included",
    Membership.Role.HWB_MEMBER: "read dashboards and quarterly summaries",
}


@dataclass
class PersonRow:
    user: object
    memberships: list

    @property
    def staff_note(self):
        if self.user.is_superuser:
            return "superuser: everything, everywhere"
        return "staff: everything, everywhere" if self.user.is_staff else ""


@require_GET
def people(request):
    if not request.user.is_staff:
        raise Http404("No such page")
    area_code, role, text = request.GET.get("area", ""), request.GET.get("role", ""), request.GET.get("q", "").strip()
    show_inactive = request.GET.get("inactive") == "1"
    memberships = Membership.objects.select_related("area").order_by("area__name", "role")
    if area_code:
        memberships = memberships.filter(area__code=area_code)
    if role in Membership.Role.values:
        memberships = memberships.filter(role=role)
    users = get_user_model().objects.order_by("last_name", "first_name", "username")
    if not show_inactive:
        users = users.filter(is_active=True)
    if text:
        users = users.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    if area_code or role in Membership.Role.values:
        users = users.filter(id__in=memberships.values("user_id"))
    users = users.prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="shown_memberships"))
    page = Paginator(users, PER_PAGE).get_page(request.GET.get("page"))
    rows = [PersonRow(user, user.shown_memberships) for user in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/people.html",
        {
            "rows": rows,
            "page": page,
            "areas": Area.objects.only("code", "name"),
            "roles": Membership.Role.choices,
            "can_do": [(label, CAN_DO[value]) for value, label in Membership.Role.choices],
            "chosen": {"area": area_code, "role": role, "q": text, "inactive": show_inactive},
            "query": query.urlencode(),
        },
    )
