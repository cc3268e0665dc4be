"""The referral's state machine: its states, the allowed moves, and who holds it in each.

::

    received -> triaged -> offered -> accepted -> completed
                   |         |  ^
                   |         v  | (redirect to another team, counted)
                   |       declined
                   |         |
                   +---------+--> returned (to the referrer, with a named destination)

Every open state names who holds the referral, so none ends in nobody's hands:
the coordination centre (received, triaged, declined), the team it is offered to
or accepted by, or the named destination of a returned referral.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import TextChoices


class Status(TextChoices):
    RECEIVED = "received", "Received"
    TRIAGED = "triaged", "Triaged"
    OFFERED = "offered", "Offered to a service"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined, to be redirected"
    RETURNED = "returned", "Returned to the referrer"
    COMPLETED = "completed", "Completed"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.RECEIVED: frozenset({S.TRIAGED}),
    S.TRIAGED: frozenset({S.OFFERED, S.RETURNED}),
    S.OFFERED: frozenset({S.ACCEPTED, S.DECLINED}),
    S.DECLINED: frozenset({S.OFFERED, S.RETURNED}),
    S.ACCEPTED: frozenset({S.COMPLETED}),
    S.RETURNED: frozenset(),
    S.COMPLETED: frozenset(),
}

OPEN_STATUSES = frozenset({S.RECEIVED, S.TRIAGED, S.OFFERED, S.DECLINED, S.ACCEPTED})
CLOSED_STATUSES = frozenset({S.RETURNED, S.COMPLETED})
# The statuses in which the offered team's organisation holds the referral.
WITH_A_TEAM = frozenset({S.OFFERED, S.ACCEPTED})
# The statuses the coordination centre works on (its worklist).
AWAITING_A_SERVICE = frozenset({S.RECEIVED, S.TRIAGED, S.OFFERED, S.DECLINED})


class InvalidTransition(ValidationError):
    """A move the state machine does not allow."""


def check_transition(current: str, to: str) -> None:
    """Raise InvalidTransition unless ``current -> to`` is in the table."""
    if current not in Status.values or to not in Status.values:
        raise InvalidTransition({"status": f"'{current}' -> '{to}' is not a referral status"})
    if Status(to) not in TRANSITIONS[Status(current)]:
        raise InvalidTransition(
            {
                "status": f"a {Status(current).label.lower()} referral cannot become "
                f"{Status(to).label.lower()}"
            }
        )


def is_allowed(current: str, to: str) -> bool:
    try:
        check_transition(current, to)
    except InvalidTransition:
        return False
    return True
