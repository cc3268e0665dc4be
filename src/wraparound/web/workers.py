"""Background workers: the tasks a dead worker was running go back on the queue.

The database task backend claims a task by marking it running; a worker killed mid-task
(kill -9, a machine lost) never marks it finished, so it would wait forever. A task running
for longer than its lease is taken to be abandoned and made ready again, for any worker to
run. Tasks are idempotent (each carries a key), so running one twice changes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

# Longer than any task should run: a day's plan searches for seconds, not minutes.
LEASE = dt.timedelta(minutes=10)


@transaction.atomic
def requeue_abandoned(*, lease: dt.timedelta = LEASE, now: dt.datetime | None = None) -> int:
    """Make ready again every task that has been running for longer than ``lease``; how many."""
    cutoff = (now or timezone.now()) - lease
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).update(status=TaskResultStatus.READY, started_at=None)
