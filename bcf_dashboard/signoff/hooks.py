"""What other features hang on sign-off.

``on_quarter_approved`` is called inside the approval's transaction, after the quarter's
state and its event are saved and while the area is locked: whatever it writes commits
or rolls back with the approval.
"""

from bcf_dashboard.quarterly.services import freeze_summary


def on_quarter_approved(quarter_return, *, user, event) -> None:
    """Freeze the quarterly summary as approved: a new version each time the quarter is approved."""
    freeze_summary(quarter_return=quarter_return, user=user, event=event)
