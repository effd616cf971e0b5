"""Approved and locked quarters take no changes to their figures: not from a file, a form or the admin.

The returns service checks a whole file at once (``returns.closed_quarters.closed_quarters``); this is the
same rule for one stored value, used by the admin and by the models' save and delete guards, so a
figure of a signed-off quarter changes only after an approver reopens the quarter with a reason.
"""

from django.core.exceptions import ValidationError

from bcf_dashboard.core import periods
from bcf_dashboard.core.models import QuarterReturn

CLOSED_STATES = (QuarterReturn.State.APPROVED, QuarterReturn.State.LOCKED)


def quarters_of(period) -> list[int]:
    """The quarters a stored period overlaps: its own for a month or quarter, all four for the year."""
    ref = period.ref
    return sorted({periods.quarter_of_month_number(n) for n in ref.month_numbers})


def closed_reason(area_id: int, period) -> str | None:
    """Why a figure of this area and period may not change (its quarter is approved or locked), or None."""
    if area_id is None or period is None:
        return None
    closed = (
        QuarterReturn.objects.filter(
            area_id=area_id,
            financial_year=period.financial_year,
            quarter__in=quarters_of(period),
            state__in=CLOSED_STATES,
        )
        .order_by("quarter")
        .values_list("quarter", "state")
        .first()
    )
    if closed is None:
        return None
    quarter, state = closed
    label = periods.quarter(period.financial_year, quarter).label
    return (
        f"{label} is {QuarterReturn.State(state).label.lower()}, so its figures cannot be changed or deleted: "
        "an approver must first reopen the quarter, with a reason, on the sign-off page"
    )


def refuse_if_closed(area_id: int, period) -> None:
    """ValidationError naming the quarter if the figure's quarter is approved or locked."""
    reason = closed_reason(area_id, period)
    if reason:
        raise ValidationError(reason)


def connect_guards(model, area_of) -> None:
    """Refuse any ORM save or delete of ``model``'s figures in a closed quarter (``area_of(value)`` its area id).

    The services write with plain SQL after their own check of the whole file; these catch every other
    path (the admin, a shell, a loader), before the database is touched. A value moved out of a closed
    quarter is refused as well as one moved into it.
    """
    from django.db.models.signals import pre_delete, pre_save

    def before_save(sender, instance, raw=False, **kwargs):
        if raw:  # loading a fixture writes what was dumped
            return
        if instance.pk:
            stored = sender.objects.filter(pk=instance.pk).select_related("period").first()
            if stored is not None:
                refuse_if_closed(area_of(stored), stored.period)
        refuse_if_closed(area_of(instance), instance.period)

    def before_delete(sender, instance, **kwargs):
        refuse_if_closed(area_of(instance), instance.period)

    label = model._meta.label_lower
    pre_save.connect(before_save, sender=model, weak=False, dispatch_uid=f"bcf-closed-save-{label}")
    pre_delete.connect(before_delete, sender=model, weak=False, dispatch_uid=f"bcf-closed-delete-{label}")


class ClosedQuarterAdmin:
    """For a ModelAdmin of figures: a value of a closed quarter is shown read-only and cannot be deleted,
    a new one cannot be added to it, and a bulk delete including one deletes nothing and says why.
    ``area_of(value)`` gives a stored value's area id; ``area_in(cleaned_data)`` the form's."""

    @staticmethod
    def area_of(value):
        raise NotImplementedError

    @staticmethod
    def area_in(cleaned_data):
        raise NotImplementedError

    def _closed(self, obj) -> str | None:
        return None if obj is None or obj.pk is None else closed_reason(self.area_of(obj), obj.period)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._closed(obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._closed(obj)

    def delete_queryset(self, request, queryset):
        from django.contrib import messages

        for obj in queryset:
            reason = self._closed(obj)
            if reason:
                messages.error(request, f"Nothing was deleted: {obj} — {reason}.")
                return
        super().delete_queryset(request, queryset)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        area_in = self.area_in

        class Guarded(form):
            def clean(self):
                cleaned = super().clean()
                if cleaned.get("period") is not None:
                    try:
                        area_id = area_in(cleaned)
                    except (AttributeError, KeyError):
                        area_id = None
                    reason = closed_reason(area_id, cleaned["period"])
                    if reason:
                        raise ValidationError(reason)
                return cleaned

        return Guarded
