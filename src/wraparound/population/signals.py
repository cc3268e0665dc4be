"""A change to a person's coded record, medicines or admission diagnoses rescores them once
the change is committed: the people a transaction touched are collected and scored in one
task (in-process with the embedded backend), however many rows it changed."""

from __future__ import annotations

import threading
from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from wraparound.caseload.models import Condition, EmergencyAdmission

from .models import AdmissionDiagnosis, MedicineIssue

_pending = threading.local()
BATCH = 5000


def _flush() -> None:
    from .tasks import score_people

    ids = sorted(getattr(_pending, "ids", set()))
    _pending.ids = set()
    day = timezone.localdate().isoformat()
    for start in range(0, len(ids), BATCH):
        score_people.enqueue(patient_ids=ids[start : start + BATCH], on=day)


def _rescore(patient_id: int) -> None:
    # A rolled-back transaction's people stay pending and are scored with the next commit's:
    # rescoring is idempotent, so that is only work, never a wrong score.
    if not hasattr(_pending, "ids"):
        _pending.ids = set()
    _pending.ids.add(patient_id)
    transaction.on_commit(_flush)


@receiver([post_save, post_delete], sender=Condition)
@receiver([post_save, post_delete], sender=MedicineIssue)
def _record_changed(sender: Any, instance: Condition | MedicineIssue, **_: Any) -> None:
    _rescore(instance.patient_id)


@receiver([post_save, post_delete], sender=AdmissionDiagnosis)
def _diagnosis_changed(sender: Any, instance: AdmissionDiagnosis, **_: Any) -> None:
    # By the id: when the admission itself is being deleted, it may already be gone.
    patient_id = (
        EmergencyAdmission.objects.filter(pk=instance.admission_id)
        .values_list("patient_id", flat=True)
        .first()
    )
    if patient_id is not None:
        _rescore(patient_id)
