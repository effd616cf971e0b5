"""Traces for changes made outside the services: in the admin.

- Records kept by simple-history get "admin" as their change reason when saved through
  the admin, so the history page can name the source.
- Figures (MetricValue, SchemeValue) edited or deleted in the admin get a ValueChange in
  an "Admin" batch, like any upload or form save. The services write figures with plain
  SQL, which sends no signals, so nothing is recorded twice; the demo loader and tests
  outside a request are not recorded (there is no one to name).
"""

from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from bcf_dashboard.core.models import ImportBatch, ValueChange

ADMIN_MARK = "admin"


def _admin_request():
    request = getattr(HistoricalRecords.context, "request", None)
    if request is None or not request.path.startswith(reverse("admin:index")):
        return None
    return request


def mark_admin_history(sender, history_instance, **kwargs):
    if _admin_request() is not None and not history_instance.history_change_reason:
        history_instance.history_change_reason = ADMIN_MARK


def _identity(value):
    """(area id, measure as in the returns file) for a MetricValue or SchemeValue."""
    if hasattr(value, "metric_id"):
        return value.area_id, value.metric.code
    return value.scheme.area_id, f"{value.measure}:{value.scheme.ref}"


def remember_old(sender, instance, **kwargs):
    if _admin_request() is None:
        return
    instance._admin_old = (
        sender.objects.filter(pk=instance.pk).values_list("value", "note").first() if instance.pk else None
    )


def record_save(sender, instance, created, **kwargs):
    request = _admin_request()
    if request is None:
        return
    old_value, old_note = getattr(instance, "_admin_old", None) or (None, "")
    if not created and old_value == instance.value and old_note == instance.note:
        return
    _record(request, instance, old_value, old_note, instance.value, instance.note)


def record_delete(sender, instance, **kwargs):
    request = _admin_request()
    if request is not None:
        _record(request, instance, instance.value, instance.note, None, "")


def _record(request, instance, old_value, old_note, new_value, new_note):
    from bcf_dashboard.core.locks import lock_areas, on_primary

    area_id, measure = _identity(instance)
    with on_primary():
        lock_areas([area_id])
    user = request.user if request.user.is_authenticated else None
    batch = ImportBatch.objects.create(
        source=ImportBatch.Source.ADMIN,
        file_name=request.path[:255],
        user=user,
        rows=1,
        created=int(old_value is None),
        updated=int(old_value is not None),
    )
    ValueChange.objects.create(
        batch=batch,
        area_id=area_id,
        period_id=instance.period_id,
        measure=measure,
        kind=instance.kind,
        old_value=old_value,
        new_value=new_value,
        old_note=old_note,
        new_note=new_note,
    )


def connect():
    from metrics.models import MetricValue
    from schemes.models import SchemeValue

    pre_create_historical_record.connect(mark_admin_history, dispatch_uid="bcf-admin-history-source")
    for model in (MetricValue, SchemeValue):
        label = model._meta.label_lower
        pre_save.connect(remember_old, sender=model, dispatch_uid=f"bcf-admin-old-{label}")
        post_save.connect(record_save, sender=model, dispatch_uid=f"bcf-admin-save-{label}")
        post_delete.connect(record_delete, sender=model, dispatch_uid=f"bcf-admin-delete-{label}")
