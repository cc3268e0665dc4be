"""Handover notes between shifts, and advice requests between organisations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wraparound.organisations.models import Organisation, Team

from .people import Patient


class HandoverNote(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="handover_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    text = models.TextField()
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self) -> str:
        return f"Handover for {self.patient} at {self.written_at:%d %b %H:%M}"


class AdviceUrgency(models.TextChoices):
    URGENT = "urgent", "Urgent: within 4 hours"
    SOON = "soon", "Soon: within 1 working day"
    ROUTINE = "routine", "Routine: within 3 working days"


class AdviceStatus(models.TextChoices):
    OPEN = "open", "Waiting for an answer"
    ANSWERED = "answered", "Answered"
    WITHDRAWN = "withdrawn", "Withdrawn"


class AdviceRequest(models.Model):
    """A clinician asks another service (a trusted advisor) about a person."""

    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="advice_requests")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asking_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    adviser_team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="advice_requests")
    question = models.TextField()
    urgency = models.CharField(max_length=10, choices=AdviceUrgency.choices)
    asked_at = models.DateTimeField()
    respond_by = models.DateTimeField()
    status = models.CharField(
        max_length=10, choices=AdviceStatus.choices, default=AdviceStatus.OPEN
    )
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["respond_by"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AdviceStatus.values), name="advice_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="answered")
                | (~Q(answer="") & Q(answered_by__isnull=False) & Q(answered_at__isnull=False)),
                name="answered_advice_has_answer_author_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Advice from {self.adviser_team} about {self.patient}"
