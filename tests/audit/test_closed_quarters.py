"""A figure of an approved or locked quarter cannot be changed or deleted anywhere, the admin included,
until an approver reopens the quarter with a reason."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from bcf_dashboard.core.models import Period, QuarterReturn
from bcf_dashboard.signoff.services import take_step
from metrics.models import MetricValue
from schemes.models import SchemeValue
from tests.audit.test_admin_traces import _seed


def _approve_q1(world):
    personas = world.personas
    for user, action in ((personas.finance_a, "submit"), (personas.approver_a, "approve")):
        take_step(
            user=user,
            area=personas.area_a,
            financial_year=2017,
            quarter=1,
            action=action,
            reason="Some returns are still to come" if action == "submit" else "",
        )


def test_the_admin_cannot_change_a_figure_of_an_approved_quarter(client, world):
    _seed()
    _approve_q1(world)
    client.force_login(world.personas.staff)
    value = MetricValue.objects.get()
    url = reverse("admin:metrics_metricvalue_change", args=[value.pk])
    response = client.post(
        url,
        {
            "area": value.area_id,
            "metric": value.metric_id,
            "period": value.period_id,
            "kind": "actual",
            "value": "1300",
            "note": "sus",
            "batch": "",
        },
    )
    assert response.status_code == 403
    value.refresh_from_db()
    assert value.value == Decimal("1250")
    page = client.get(url)  # shown, read only
    assert page.status_code == 200 and b'name="value"' not in page.content


def test_the_admin_cannot_delete_a_figure_of_a_locked_quarter_one_by_one_or_in_bulk(client, world):
    _seed()
    _approve_q1(world)
    take_step(user=world.personas.approver_a, area=world.personas.area_a, financial_year=2017, quarter=1, action="lock")
    client.force_login(world.personas.staff)
    value = SchemeValue.objects.get()
    assert client.post(reverse("admin:schemes_schemevalue_delete", args=[value.pk]), {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:schemes_schemevalue_changelist"),
        {"action": "delete_selected", "_selected_action": [value.pk], "post": "yes"},
    )
    assert response.status_code == 403
    assert SchemeValue.objects.filter(pk=value.pk).exists()


def test_the_admin_cannot_add_a_figure_to_an_approved_quarter(client, world):
    _seed()
    _approve_q1(world)
    client.force_login(world.personas.staff)
    value = MetricValue.objects.get()
    may = Period.objects.get(code="2017-05")
    response = client.post(
        reverse("admin:metrics_metricvalue_add"),
        {
            "area": value.area_id,
            "metric": value.metric_id,
            "period": may.pk,
            "kind": "actual",
            "value": "9",
            "note": "",
            "batch": "",
        },
    )
    assert response.status_code == 200 and "Q1 2017/18 is approved" in response.content.decode()
    assert not MetricValue.objects.filter(period=may).exists()


def test_no_code_path_saves_or_deletes_a_closed_quarters_figure_until_it_is_reopened(world):
    _seed()
    _approve_q1(world)
    value = MetricValue.objects.get()
    value.value = Decimal("1")
    with pytest.raises(ValidationError, match="reopen"):
        value.save()
    with pytest.raises(ValidationError, match="Q1 2017/18 is approved"), transaction.atomic():
        SchemeValue.objects.get().delete()
    assert SchemeValue.objects.exists()
    take_step(
        user=world.personas.approver_a,
        area=world.personas.area_a,
        financial_year=2017,
        quarter=1,
        action="reopen",
        reason="A late correction from the trust",
    )
    assert QuarterReturn.objects.get(quarter=1).state == "open"
    value.save()
    assert MetricValue.objects.get().value == Decimal("1")
