"""What the participants app tells the apps above it, which it does not know (cases seats and
unseats people)."""

from django.dispatch import Signal

# Sent when an invitation is accepted, inside its transaction, with `invitation` and
# `membership`: the cases app seats an ad hoc invitee at their case's table.
invitation_accepted = Signal()
# Sent inside the revoking transaction, with `participant`: the cases app clears their seats.
participant_revoked = Signal()
