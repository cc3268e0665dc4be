"""A change to a person's coded record, medicines or admission diagnoses rescores them,
once the change is committed (a task; in-process with the embedded backend)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from wraparound.caseload.models import Condition

from .models import AdmissionDiagnosis, MedicineIssue


def _rescore(patient_id: int) -> None:
    from .tasks import score_people

    day = timezone.localdate().isoformat()
    transaction.on_commit(lambda: score_people.enqueue(patient_ids=[patient_id], on=day))


@receiver([post_save, post_delete], sender=Condition)
@receiver([post_save, post_delete], sender=MedicineIssue)
def _record_changed(sender: Any, instance: Condition | MedicineIssue, **_: Any) -> None:
    _rescore(instance.patient_id)


@receiver([post_save, post_delete], sender=AdmissionDiagnosis)
def _diagnosis_changed(sender: Any, instance: AdmissionDiagnosis, **_: Any) -> None:
    _rescore(instance.admission.patient_id)
