"""Friends and Family Test records.

An ``Invitation`` ties a single-use link to the team and the visit it follows; only a hash
of its token is stored. A ``Response`` holds the team, the day and what was said, and nothing
that leads back to the person: no visit, no invitation, no time of day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from wraparound.caseload.models import Visit
from wraparound.organisations.models import Team

from .fft import LABELS, Answer


class Invitation(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="feedback_invitations")
    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="feedback_invitations")
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    expires_on = models.DateField()
    # A day, not a time: a time could be matched to the answer it gave.
    used_on = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Feedback invitation for {self.team} ({'used' if self.used_on else 'open'})"


class Response(models.Model):
    """One response to the FFT: its answer, what was said, the team and the day."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="feedback_responses")
    answered_on = models.DateField()
    month = models.DateField(help_text="first day of the month answered")
    rating = models.CharField(max_length=10, choices=[(a.value, LABELS[a]) for a in Answer])
    reason = models.TextField(blank=True, max_length=2000)
    themes = models.JSONField(default=list)

    class Meta:
        indexes = [models.Index(fields=["team", "month"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__in=[a.value for a in Answer]), name="fft_rating_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{LABELS[Answer(self.rating)]} for {self.team} in {self.month:%B %Y}"


class YouSaidWeDid(models.Model):
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="you_said_we_did")
    you_said = models.TextField(max_length=1000)
    we_did = models.TextField(max_length=1000)
    published_on = models.DateField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-published_on", "-pk"]

    def __str__(self) -> str:
        return f"You said, we did ({self.team}, {self.published_on})"
