"""Every change of state in the Friends and Family Test. Atomic and audited.

A person answering is not signed in: their actor is the anonymous user, and the audit event
for an answer names the team and the day, never the visit or the person, so that the trail
cannot undo what the answer's record keeps apart.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import Visit, VisitStatus
from wraparound.organisations.models import Team

from .fft import Answer, themes_of
from .links import ALREADY_USED, LinkNotUsable, open_invitation, token_hash
from .models import Invitation, Response, YouSaidWeDid

# Long enough to answer at leisure, short enough that an old card in a drawer stops working.
INVITATION_LIFETIME = dt.timedelta(days=28)
MAX_REASON = 2000


def _own_team(by: Actor, team_id: int, permission: Permission, doing: str) -> Team:
    staff = staff_of(by)
    if staff is None or not has_permission(by, permission) or staff.team_id != team_id:
        raise NoAccess(f"Only the team's own staff {doing}")
    return Team.objects.get(pk=team_id)


@transaction.atomic
def invite_feedback(*, visit_id: int, by: Actor) -> tuple[Invitation, str]:
    """A single-use link for the person a completed visit was for; the token, shown once."""
    require_actor(by)
    if not has_permission(by, Permission.RECORD_VISITS):
        raise NoAccess("Your role does not record visits")
    visit = Visit.objects.select_related("team").filter(pk=visit_id).first()
    if visit is None:
        raise ValidationError({"visit": "No such visit"})
    _own_team(by, visit.team_id, Permission.RECORD_VISITS, "invite feedback on its visits")
    if visit.status != VisitStatus.COMPLETED:
        raise ValidationError({"visit": "Feedback is asked for after a visit is completed"})
    token = secrets.token_urlsafe(24)
    now = timezone.now()
    invitation = Invitation.objects.create(
        token_hash=token_hash(token),
        team=visit.team,
        visit=visit,
        issued_at=now,
        issued_by=by,
        expires_on=timezone.localdate(now + INVITATION_LIFETIME),
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.FEEDBACK_INVITED,
        patient_id=visit.patient_id,
        basis="the team that made the visit",
        detail={"visit_id": visit.pk, "invitation_id": invitation.pk},
    )
    return invitation, token


@transaction.atomic
def answer_feedback(*, token: str, rating: str, reason: str, by: Actor) -> Response:
    """Record one answer for the link's team, once: a second answer on the link is refused."""
    require_actor(by)
    if rating not in {a.value for a in Answer}:
        raise ValidationError({"rating": "Choose one of the answers"})
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": f"Keep your answer under {MAX_REASON:,} characters"})
    invitation = open_invitation(token)
    today = timezone.localdate()
    # The used mark is set only if nobody set it first: two answers racing on one link
    # cannot both count.
    claimed = Invitation.objects.filter(pk=invitation.pk, used_on__isnull=True).update(
        used_on=today
    )
    if not claimed:
        raise LinkNotUsable({"token": ALREADY_USED})
    response = Response.objects.create(
        team=invitation.team,
        answered_on=today,
        month=today.replace(day=1),
        rating=rating,
        reason=reason,
        themes=themes_of(reason),
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.FEEDBACK_GIVEN,
        basis="a person answering from a feedback link",
        detail={"team": invitation.team.code, "on": today.isoformat()},
    )
    return response


@transaction.atomic
def publish_you_said_we_did(*, team_id: int, you_said: str, we_did: str, by: Actor) -> YouSaidWeDid:
    require_actor(by)
    team = _own_team(by, team_id, Permission.PUBLISH_FEEDBACK, 'publish its "You said, we did"')
    you_said, we_did = (you_said or "").strip(), (we_did or "").strip()
    if not you_said:
        raise ValidationError({"you_said": "Say what people told you"})
    if not we_did:
        raise ValidationError({"we_did": "Say what the team did about it"})
    for field, text in (("you_said", you_said), ("we_did", we_did)):
        if len(text) > 1000:
            raise ValidationError({field: "Keep it under 1,000 characters"})
    entry = YouSaidWeDid.objects.create(
        team=team,
        you_said=you_said,
        we_did=we_did,
        published_on=timezone.localdate(),
        published_by=by,
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.YOU_SAID_WE_DID,
        basis="the team's own feedback",
        detail={"team": team.code, "entry_id": entry.pk},
    )
    return entry
