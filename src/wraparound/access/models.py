"""Consent, break-glass access and the append-only, hash-chained audit trail."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models


class ConsentScope(models.TextChoices):
    SHARE_ACROSS_ALLIANCE = "share_alliance", "Share across the alliance"
    OWN_ORGANISATION_ONLY = "own_organisation", "Own organisation only"
    DISSENT = "dissent", "Dissent from sharing"


class ConsentMethod(models.TextChoices):
    VERBAL = "verbal", "Verbally, in person"
    TELEPHONE = "telephone", "By telephone"
    WRITTEN = "written", "In writing"
    ELECTRONIC = "electronic", "Electronically"
    LASTING_POWER_OF_ATTORNEY = "lpa", "By a lasting power of attorney"
    BEST_INTERESTS = "best_interests", "Best-interests decision"


class ConsentDecision(models.Model):
    """One recorded consent decision; the newest is current, the rest are history."""

    patient = models.ForeignKey(
        "caseload.Patient", on_delete=models.PROTECT, related_name="consent_decisions"
    )
    scope = models.CharField(max_length=20, choices=ConsentScope.choices)
    method = models.CharField(max_length=20, choices=ConsentMethod.choices)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    note = models.TextField(blank=True)
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["-recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(is_current=True),
                name="one_current_consent_per_person",
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=ConsentScope.values), name="consent_scope_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=ConsentMethod.values), name="consent_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_scope_display()} ({self.recorded_at:%d %b %Y})"


class BreakGlass(models.Model):
    """Emergency access to one person's record, time-limited and reviewed afterwards."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(
        "caseload.Patient", on_delete=models.PROTECT, related_name="break_glass_uses"
    )
    reason = models.TextField()
    started_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    review_outcome = models.TextField(blank=True)

    class Meta:
        verbose_name = "break-glass use"
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("started_at")),
                name="break_glass_expires_after_start",
            ),
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="break_glass_reason_required"
            ),
            models.CheckConstraint(
                condition=models.Q(reviewed_at__isnull=True, reviewed_by__isnull=True)
                | models.Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="break_glass_review_has_reviewer_and_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Break glass by {self.user} at {self.started_at:%d %b %Y %H:%M}"


class AuditAction(models.TextChoices):
    VIEW = "view", "Viewed a record"
    SEARCH = "search", "Searched or listed records"
    CREATE = "create", "Created"
    UPDATE = "update", "Changed"
    EXPORT = "export", "Exported"
    IMPORT = "import", "Imported"
    CONSENT = "consent", "Recorded consent"
    BREAK_GLASS = "break_glass", "Broke the glass"
    DENIED = "denied", "Was refused access"
    IDENTIFY = "identify", "Looked a person up by NHS number and date of birth"


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only: they cannot be changed")

    def delete(self) -> NoReturn:
        raise PermissionError("Audit events are append-only: they cannot be deleted")


class AuditEvent(models.Model):
    """One read or write of a person's data. Append-only.

    Written with a hash of its own contents and no place in the chain; sealing then gives it
    the next ``sequence`` and a ``hash`` over that, the event before's hash and its contents
    (see ``access.audit``). ``sequence`` and ``hash`` are empty only until then.
    """

    sequence = models.PositiveBigIntegerField(unique=True, null=True, blank=True)
    occurred_at = models.DateTimeField()
    user_id_at_event = models.BigIntegerField(null=True)
    username = models.CharField(max_length=150)
    organisation_code = models.CharField(max_length=8, blank=True)
    role = models.CharField(max_length=32, blank=True)
    patient_id_at_event = models.BigIntegerField(null=True, db_index=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices)
    purpose = models.CharField(max_length=200)
    basis = models.CharField(max_length=200, blank=True)
    request_id = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    hash = models.CharField(max_length=64, unique=True, null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["action", "occurred_at"]),
            # The sealer's queue: small, because events are sealed within a fraction of a second.
            models.Index(
                fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_unsealed"
            ),
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Audit events are append-only: they cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise PermissionError("Audit events are append-only: they cannot be deleted")

    def __str__(self) -> str:
        place = f"#{self.sequence}" if self.sequence is not None else "(not yet sealed)"
        return f"{place} {self.username} {self.action} {self.occurred_at:%Y-%m-%d %H:%M}"


class AuditChainHead(models.Model):
    """Where the sealed chain ends. Locked only by the sealer, for as long as one seal takes."""

    last_sequence = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"Audit chain head at #{self.last_sequence}"
