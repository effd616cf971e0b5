"""Events one feature announces and others act on, so that no feature imports another.

``quarter_approved`` is sent by sign-off inside the approval's transaction, after the quarter's
state and its event are saved and while the area is locked: whatever a receiver writes commits
or rolls back with the approval (the quarterly summary freezes its version there).
"""

from django.dispatch import Signal

# Arguments: quarter_return, user, event.
quarter_approved = Signal()
