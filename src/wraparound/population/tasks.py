"""Scoring as background work: a task per batch of residents (ids, so it can run on any
worker), idempotent (a second run computes the same scores again)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django_tasks import task

from wraparound.access.actors import System
from wraparound.caseload.models import Patient

BATCH = 5000


@task()
def score_people(patient_ids: list[int], on: str) -> int:
    from .actions import score_residents

    return score_residents(
        patient_ids=patient_ids, on=dt.date.fromisoformat(on), by=System("frailty scores")
    )


def score_everyone(*, on: dt.date | None = None, batch: int = BATCH) -> int:
    """Enqueue every resident's scoring in batches of ``batch``; the batches enqueued."""
    day = (on or timezone.localdate()).isoformat()
    ids = list(Patient.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        score_people.enqueue(patient_ids=ids[start : start + batch], on=day)
    return (len(ids) + batch - 1) // batch
