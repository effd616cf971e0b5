"""Staff's "who can do what where" page and the admin screens behind it."""

import pytest
from django.urls import reverse

from bcf_dashboard.core.models import Membership
from tests.support.personas import make_user


def test_staff_see_every_person_with_their_area_roles(client, personas):
    make_user("leaver", area=personas.area_a, role="commissioner", is_active=False)
    make_user("nobody")
    client.force_login(personas.staff)
    page = client.get("/people/").content.decode()
    for name in ("finance_a", "approver_a", "commissioner_a", "hwb_a", "finance_b", "nobody"):
        assert name in page
    assert "leaver" not in page and "No area: sees nothing" in page
    assert "Finance officer, Bromley" in page and "Finance officer, Southwark" in page
    assert "leaver" in client.get("/people/", {"inactive": "1"}).content.decode()


@pytest.mark.parametrize(
    "query, shown, hidden",
    [
        ({"area": "E09000028"}, ["finance_b"], ["finance_a", "nobody"]),
        ({"role": "approver"}, ["approver_a"], ["finance_a", "finance_b"]),
        ({"q": "commiss"}, ["commissioner_a"], ["approver_a"]),
        ({"area": "E09000006", "role": "hwb_member"}, ["hwb_a"], ["finance_a", "finance_b"]),
    ],
)
def test_the_list_filters(client, personas, query, shown, hidden):
    make_user("nobody")
    client.force_login(personas.staff)
    page = client.get("/people/", query).content.decode()
    assert all(name in page for name in shown) and not any(f"<td>{name}</td>" in page for name in hidden)


def test_a_filtered_persons_other_roles_are_not_listed_as_if_they_matched(client, personas):
    Membership.objects.create(user=personas.finance_a, area=personas.area_b, role="commissioner")
    client.force_login(personas.staff)
    page = client.get("/people/", {"area": "E09000028"}).content.decode()
    assert "Commissioner, Southwark" in page and "Finance officer, Bromley" not in page


def test_the_admin_person_page_has_their_area_roles_and_memberships_keep_history(admin_client, personas):
    page = admin_client.get(reverse("admin:auth_user_change", args=[personas.finance_a.pk])).content.decode()
    assert "What this person may do, area by area" in page
    listing = admin_client.get(
        reverse("admin:bcf_dashboard_membership_changelist"), {"role__exact": "finance_officer", "q": "Bromley"}
    ).content.decode()
    assert "finance_a" in listing and "finance_b" not in listing
    membership = Membership.objects.get(user=personas.hwb_a)
    membership.role = "commissioner"
    membership.save()
    assert membership.history.count() == 2
