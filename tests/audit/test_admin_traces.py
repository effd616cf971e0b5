"""Changes made in the admin leave the same trace as any other: who, when, old, new, and "Admin"."""

from decimal import Decimal

from django.urls import reverse

from bcf_dashboard.core.models import ImportBatch, ValueChange
from bcf_dashboard.returns.services import import_returns
from metrics.models import MetricValue
from schemes.models import Scheme, SchemeValue
from tests.support.world import BROMLEY, csv_bytes


def _seed():
    import_returns(
        content=csv_bytes(
            [
                [BROMLEY, "2017-04", "NEA", "actual", "1250", "sus"],
                [BROMLEY, "2017-04", "spend:A1", "actual", "10.00", ""],
            ]
        ),
        file_name="seed.csv",
    )


def test_a_figure_edited_in_the_admin_is_recorded_with_its_old_value(client, world):
    _seed()
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
    assert response.status_code == 302, response.content.decode()[:3000]
    change = ValueChange.objects.get(batch__source="admin")
    assert (change.measure, change.old_value, change.new_value) == ("NEA", Decimal("1250"), Decimal("1300"))
    assert change.batch.user == world.personas.staff


def test_a_figure_deleted_in_the_admin_is_recorded(client, world):
    _seed()
    client.force_login(world.personas.staff)
    value = SchemeValue.objects.get()
    client.post(reverse("admin:schemes_schemevalue_delete", args=[value.pk]), {"post": "yes"})
    change = ValueChange.objects.get(batch__source="admin")
    assert (change.measure, change.old_value, change.new_value) == ("spend:A1", Decimal("10.00"), None)


def test_saving_without_a_change_in_the_admin_records_nothing(client, world):
    _seed()
    client.force_login(world.personas.staff)
    value = MetricValue.objects.get()
    client.post(
        reverse("admin:metrics_metricvalue_change", args=[value.pk]),
        {
            "area": value.area_id,
            "metric": value.metric_id,
            "period": value.period_id,
            "kind": "actual",
            "value": "1250",
            "note": "sus",
            "batch": value.batch_id,
        },
    )
    assert not ImportBatch.objects.filter(source="admin").exists()


def test_records_changed_in_the_admin_show_admin_as_their_source(client, world):
    client.force_login(world.personas.staff)
    scheme = world.scheme_a1
    data = {
        "area": scheme.area_id,
        "ref": "A1",
        "name": "Renamed in admin",
        "description": "",
        "scheme_type": scheme.scheme_type,
        "area_of_spend": scheme.area_of_spend,
        "commissioner": scheme.commissioner,
        "la_share_pct": "100",
        "nhs_share_pct": "0",
        "provider": "",
        "provider_name": "",
        "funding_source": scheme.funding_source_id,
        "status": "active",
        "years-TOTAL_FORMS": "0",
        "years-INITIAL_FORMS": "0",
        "years-MIN_NUM_FORMS": "0",
        "years-MAX_NUM_FORMS": "1000",
    }
    response = client.post(reverse("admin:schemes_scheme_change", args=[scheme.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Scheme.history.latest()
    assert record.history_change_reason == "admin" and record.history_user == world.personas.staff
    page = client.get(f"/areas/{BROMLEY}/history/", {"what": "records"}).content.decode()
    assert "Scheme A1 Renamed in admin" in page and "Scheme A1 → Renamed in admin" in page and "Admin" in page
