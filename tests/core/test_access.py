import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from bcf_dashboard.core import access
from bcf_dashboard.core.models import Area


def test_each_member_of_bromley_sees_bromley_only(personas):
    for user in personas.all_members_of_a():
        assert list(access.areas_for(user)) == [personas.area_a]
    assert list(access.areas_for(personas.user_b)) == [personas.area_b]


def test_staff_see_every_area(personas):
    assert set(access.areas_for(personas.staff)) == {personas.area_a, personas.area_b}
    assert set(access.areas_for(personas.staff, action=access.EDIT)) == {personas.area_a, personas.area_b}


def test_only_finance_officers_edit_and_only_approvers_approve(personas):
    assert list(access.areas_for(personas.finance_a, action=access.EDIT)) == [personas.area_a]
    for user in (personas.approver_a, personas.commissioner_a, personas.hwb_a):
        assert not access.areas_for(user, action=access.EDIT).exists()
    assert list(access.areas_for(personas.approver_a, action=access.APPROVE)) == [personas.area_a]
    assert not access.areas_for(personas.finance_a, action=access.APPROVE).exists()


def test_anonymous_and_inactive_users_see_nothing(personas):
    assert not access.areas_for(AnonymousUser()).exists()
    personas.finance_a.is_active = False
    personas.finance_a.save()
    assert not access.areas_for(personas.finance_a).exists()


def test_another_areas_object_is_a_404(personas):
    assert access.load_area(personas.hwb_a, "E09000006") == personas.area_a
    with pytest.raises(Http404):
        access.load_area(personas.hwb_a, "E09000028")
    with pytest.raises(Http404):
        access.load_area(personas.commissioner_a, "E09000006", action=access.EDIT)


def test_scoped_follows_a_path_to_the_area(personas):
    from bcf_dashboard.core.models import Membership

    rows = access.scoped(personas.finance_a, Membership.objects.all(), area_path="area")
    assert {m.area for m in rows} == {personas.area_a}


def test_a_user_with_several_roles_sees_the_area_once(personas):
    from bcf_dashboard.core.models import Membership

    Membership.objects.create(user=personas.finance_a, area=personas.area_a, role=Membership.Role.APPROVER)
    assert list(access.areas_for(personas.finance_a)) == [personas.area_a]
    assert Area.objects.count() == 2


def test_unknown_action_is_a_programming_error(personas):
    with pytest.raises(ValueError):
        access.areas_for(personas.staff, action="delete")
