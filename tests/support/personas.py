"""The people every view test signs in as: one per role in an area, someone of another area, and staff.

Each view test can then check every role's access (``tests/core/test_url_matrix.py`` does, for every URL).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from bcf_dashboard.core.models import Area, Membership

PASSWORD = "correct-horse-battery"


@dataclass
class Personas:
    area_a: Area
    area_b: Area
    finance_a: object
    approver_a: object
    commissioner_a: object
    hwb_a: object
    user_b: object
    staff: object

    def all_members_of_a(self):
        return [self.finance_a, self.approver_a, self.commissioner_a, self.hwb_a]


def make_user(username, *, area=None, role=None, **extra):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, **extra)
    if area is not None:
        Membership.objects.create(user=user, area=area, role=role)
    return user


def build_personas() -> Personas:
    """Bromley (A) with one user per role, Southwark (B) with a finance officer, and staff."""
    area_a = Area.objects.create(code="E09000006", name="Bromley", region="London")
    area_b = Area.objects.create(code="E09000028", name="Southwark", region="London")
    R = Membership.Role
    return Personas(
        area_a=area_a,
        area_b=area_b,
        finance_a=make_user("finance_a", area=area_a, role=R.FINANCE_OFFICER),
        approver_a=make_user("approver_a", area=area_a, role=R.APPROVER),
        commissioner_a=make_user("commissioner_a", area=area_a, role=R.COMMISSIONER),
        hwb_a=make_user("hwb_a", area=area_a, role=R.HWB_MEMBER),
        user_b=make_user("finance_b", area=area_b, role=R.FINANCE_OFFICER),
        staff=make_user("staff", is_staff=True, is_superuser=True),
    )
