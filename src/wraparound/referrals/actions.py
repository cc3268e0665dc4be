"""Every change of state of a referral: keyword-only, with an explicit actor, atomic, audited.

A referral is stored (``receive_referral``, its own transaction) before anything
else is done with it, so nothing received is lost if a later step fails.
Moves follow ``lifecycle.TRANSITIONS``; the row is locked while it moves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, System, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission, staff_of
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.caseload.models import CaseloadEntry, Patient
from wraparound.organisations.models import Organisation, Team

from . import triage as rules
from .lifecycle import Status, check_transition
from .models import EventKind, Referral, ReferralEvent, Source
from .triage import Need, Urgency

MAX_SUMMARY = 4000
MAX_KEY = 100
CLOCK_SKEW = dt.timedelta(minutes=5)


def _require(by: Actor, permission: Permission, what: str, **context: Any) -> None:
    if not has_permission(by, permission, **context):
        raise NoAccess(f"Your role cannot {what}")


def _text(value: str | None, field: str, what: str, *, max_length: int = MAX_SUMMARY) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: f"Give {what}"})
    if len(value) > max_length:
        raise ValidationError(
            {field: f"{what.capitalize()} must be at most {max_length} characters"}
        )
    return value


def _clean_needs(needs: Iterable[str]) -> list[str]:
    cleaned: list[str] = []
    for need in needs:
        if need not in Need.values:
            raise ValidationError({"needs": f"'{need}' is not a presenting need"})
        if need not in cleaned:
            cleaned.append(need)
    if not cleaned:
        raise ValidationError({"needs": "Choose at least one presenting need"})
    return sorted(cleaned)


def _event(
    referral: Referral,
    kind: str,
    *,
    from_status: str,
    by: Actor,
    team: Team | None = None,
    reason: str = "",
    detail: dict[str, Any] | None = None,
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        occurred_at=timezone.now(),
        kind=kind,
        from_status=from_status,
        to_status=referral.status,
        by=None if isinstance(by, System) else by,
        team=team,
        reason=reason,
        detail={**(detail or {}), **({"by": by.get_username()} if isinstance(by, System) else {})},
    )


def _audit(by: Actor, referral: Referral, purpose: Purpose, basis: str, **detail: Any) -> None:
    audit.record(
        user=by,
        action=AuditAction.UPDATE,
        purpose=purpose,
        patient_id=referral.patient_id,
        basis=basis,
        detail={"referral_id": referral.pk, "status": referral.status, **detail},
    )


def _locked(referral_id: int) -> Referral:
    referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise ValidationError({"referral": "No such referral"})
    return referral


def _move(referral: Referral, to: Status, **fields: Any) -> str:
    """Move ``referral`` to ``to`` (checked against the table) and save; return the old status."""
    was = referral.status
    check_transition(was, to)
    referral.status = to
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", *fields])
    return was


def _likely_duplicate(patient: Patient, needs: list[str]) -> int | None:
    """The earliest open referral for the same person sharing a presenting need (its id)."""
    candidates = (
        Referral.objects.open()
        .filter(patient=patient)
        .order_by("received_at", "pk")
        .values_list("pk", "needs")
    )
    wanted = set(needs)
    return next((pk for pk, earlier in candidates if wanted & set(earlier)), None)


def _by_key(sender: Organisation, key: str) -> Referral | None:
    """A key is unique to its sender (M6): another organisation's key never finds this one."""
    return Referral.objects.filter(referring_organisation=sender, idempotency_key=key).first()


@transaction.atomic
def receive_referral(
    *,
    patient: Patient,
    source: str,
    needs: Iterable[str],
    clinical_summary: str,
    idempotency_key: str,
    by: Actor,
    referring_organisation: Organisation | None = None,
    received_at: dt.datetime | None = None,
) -> tuple[Referral, bool]:
    """Store a referral as received; return it and whether it is new.

    The same idempotency key again returns the referral already stored (a retry),
    and refuses a key already used for a different person or need.
    """
    checked = check_referral(
        source=source,
        needs=needs,
        clinical_summary=clinical_summary,
        idempotency_key=idempotency_key,
        by=by,
        referring_organisation=referring_organisation,
        received_at=received_at,
    )
    return _store_referral(patient, checked, by)


@dataclass(frozen=True)
class CheckedReferral:
    """A referral's fields as ``check_referral`` passed them, ready to store."""

    sender: Organisation
    source: str
    needs: list[str]
    summary: str
    key: str
    received_at: dt.datetime


def check_referral(
    *,
    source: str,
    needs: Iterable[str],
    clinical_summary: str,
    idempotency_key: str,
    by: Actor,
    referring_organisation: Organisation | None = None,
    received_at: dt.datetime | None = None,
) -> CheckedReferral:
    """Everything ``receive_referral`` checks before it touches the database: who may send it,
    on whose behalf, and each field, each error naming its field."""
    _require(by, Permission.REFER, "send referrals")
    staff = staff_of(by)
    assert staff is not None  # has_permission needs a member of staff
    key = _text(idempotency_key, "idempotency_key", "an idempotency key", max_length=MAX_KEY)
    if source not in Source.values:
        raise ValidationError({"source": f"'{source}' is not a referral source"})
    cleaned = _clean_needs(needs)
    summary = _text(clinical_summary, "clinical_summary", "a clinical summary")
    sender = referring_organisation or staff.organisation
    if sender.pk != staff.organisation_id and not has_permission(by, Permission.TRIAGE_REFERRALS):
        # Only the coordination centre enters referrals on another organisation's behalf.
        raise ValidationError(
            {"referring_organisation": "You can send referrals only from your own organisation"}
        )
    now = timezone.now()
    received_at = received_at or now
    if timezone.is_naive(received_at):
        raise ValidationError({"received_at": "Give the time with its time zone"})
    if received_at > now + CLOCK_SKEW:
        raise ValidationError({"received_at": "A referral cannot be received in the future"})
    return CheckedReferral(sender, source, cleaned, summary, key, received_at)


def _store_referral(patient: Patient, checked: CheckedReferral, by: Actor) -> tuple[Referral, bool]:
    """The doing half of ``receive_referral``: store it once per key, flag a likely duplicate,
    and record its event and audit with it."""
    existing = _by_key(checked.sender, checked.key)
    if existing is None:
        # Looked for before storing, so the referral is written once, already flagged.
        duplicate = _likely_duplicate(patient, checked.needs)
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    possible_duplicate_of_id=duplicate,
                    patient=patient,
                    referrer=by,
                    referring_organisation=checked.sender,
                    source=checked.source,
                    received_at=checked.received_at,
                    needs=checked.needs,
                    clinical_summary=checked.summary,
                    idempotency_key=checked.key,
                )
        except IntegrityError:
            # Another request with this key won the race: theirs is the referral.
            existing = _by_key(checked.sender, checked.key)
            if existing is None:
                raise
    if existing is not None:
        if existing.patient_id != patient.pk or sorted(existing.needs) != checked.needs:
            raise ValidationError(
                {"idempotency_key": "This key was already used for a different referral"}
            )
        return existing, False
    _event(
        referral,
        EventKind.RECEIVED,
        from_status="",
        by=by,
        detail={"possible_duplicate_of": duplicate},
    )
    audit.record(
        user=by,
        action=AuditAction.CREATE,
        purpose=Purpose.REFERRAL_RECEIVED,
        patient_id=patient.pk,
        basis="referrer sending a referral",
        detail={
            "referral_id": referral.pk,
            "source": checked.source,
            "needs": checked.needs,
            "possible_duplicate_of": duplicate,
        },
    )
    return referral, True


@transaction.atomic
def triage_referral(*, referral_id: int, by: Actor) -> Referral:
    """Apply the triage rules to a received referral: urgency, target and the rule in words.

    Its sender's submission triages it on arrival; the coordination centre triages one left
    untriaged (a failure between storing and triaging).
    """
    return _triage(_locked(referral_id), by)


def _triage(referral: Referral, by: Actor) -> Referral:
    """Triage a referral already locked by the caller."""
    # The rules decide, not the actor: the sender's own submission applies them, as does the
    # sweeper (the system) for a referral a crash left untriaged.
    if (
        not isinstance(by, System)
        and not has_permission(by, Permission.TRIAGE_REFERRALS)
        and not (
            referral.referrer_id == getattr(by, "pk", None) and has_permission(by, Permission.REFER)
        )
    ):
        raise NoAccess("Your role cannot triage referrals")
    result = rules.triage(referral.needs, referral.received_at)
    was = _move(
        referral,
        Status.TRIAGED,
        urgency=result.urgency,
        due_at=result.due_at,
        triage_rule=result.rule,
    )
    _event(referral, EventKind.TRIAGED, from_status=was, by=by, detail={"rule": result.rule})
    _audit(by, referral, Purpose.REFERRAL_TRIAGED, "triage rules", urgency=result.urgency)
    return referral


@transaction.atomic
def triage_if_untriaged(*, referral_id: int, by: Actor) -> Referral:
    """Triage the referral if nobody has yet; otherwise hand it back as it stands.

    For the paths where someone else may have triaged it a moment ago: a client's retry that
    overlaps its original, and the sweeper (``triage_stranded``). A clinician asking to
    triage an already-triaged referral goes through ``triage_referral``, which refuses.
    """
    referral = _locked(referral_id)
    if referral.status != Status.RECEIVED:
        return referral
    return _triage(referral, by)


# A referral stored this long ago and still untriaged was stranded (its request died between
# storing and triaging); a live submission triages within milliseconds of storing.
STRANDED_AFTER = dt.timedelta(seconds=30)


def triage_stranded(*, by: Actor, now: dt.datetime | None = None) -> list[int]:
    """Triage every referral a crash left stored but untriaged; the ids it triaged.

    Run every 30 seconds by ``wraparound sweep-referrals`` (as the system), so no referral
    waits more than a minute without an urgency and a clock.
    """
    if not isinstance(require_actor(by), System) and not has_permission(
        by, Permission.TRIAGE_REFERRALS
    ):
        raise NoAccess("Only the coordination centre or the system sweeps referrals")
    cutoff = (now or timezone.now()) - STRANDED_AFTER
    stranded = (
        Referral.objects.filter(
            status=Status.RECEIVED,
            events__kind=EventKind.RECEIVED,
            events__occurred_at__lte=cutoff,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    triaged = []
    for referral_id in list(stranded):
        if triage_if_untriaged(referral_id=referral_id, by=by).status != Status.RECEIVED:
            triaged.append(referral_id)
    return triaged


def submit_referral(*, by: Actor, **fields: Any) -> tuple[Referral, bool]:
    """Receive and triage in one transaction; a retry triages whatever was left untriaged.

    The triage runs in a savepoint: if it fails, the receipt (with its event and audit) still
    commits, the error still reaches the caller, and a retry or the sweeper triages it. One
    commit instead of two took a fifth off an intake request. A retry that overlaps its
    original gets the same referral back, whichever of the two triages it: the client is
    never told to stop retrying a referral that was made.
    """
    failed: Exception | None = None
    with transaction.atomic():
        referral, created = receive_referral(by=by, **fields)
        if referral.status == Status.RECEIVED:
            try:  # triage_if_untriaged is atomic: inside this transaction, a savepoint
                referral = triage_if_untriaged(referral_id=referral.pk, by=by)
            except Exception as exc:  # kept to raise once the receipt is safe
                failed = exc
    if failed is not None:
        raise failed
    return referral, created


@transaction.atomic
def override_urgency(*, referral_id: int, urgency: str, reason: str, by: Actor) -> Referral:
    """A clinician's urgency in place of the rules', with the reason; the target restarts now."""
    _require(by, Permission.TRIAGE_REFERRALS, "override triage")
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": f"'{urgency}' is not an urgency"})
    reason = _text(reason, "reason", "the reason for the override", max_length=1000)
    referral = _locked(referral_id)
    if referral.status not in {Status.TRIAGED, Status.OFFERED, Status.DECLINED}:
        raise ValidationError(
            {"status": f"a {referral.get_status_display().lower()} referral cannot be re-triaged"}
        )
    before, rule_before = referral.urgency, referral.triage_rule
    name = by.get_full_name() or by.get_username()
    referral.urgency = urgency
    referral.due_at = rules.due_for(urgency, referral.needs, timezone.now())
    referral.override_reason = reason
    referral.triage_rule = f"overridden by {name}: {reason} (the rules said: {rule_before})"
    referral.save(update_fields=["urgency", "due_at", "override_reason", "triage_rule"])
    _event(
        referral,
        EventKind.OVERRIDDEN,
        from_status=referral.status,
        by=by,
        reason=reason,
        detail={"from_urgency": before, "to_urgency": urgency},
    )
    _audit(
        by,
        referral,
        Purpose.TRIAGE_OVERRIDDEN,
        "coordination centre triage",
        changes=audit.changes({"urgency": before}, {"urgency": urgency}),
    )
    return referral


def _team(team_id: int) -> Team:
    team = Team.objects.select_related("organisation").filter(pk=team_id).first()
    if team is None:
        raise ValidationError({"team": "No such team"})
    return team


def _offer(referral: Referral, team: Team, by: Actor) -> None:
    if referral.status == Status.DECLINED and referral.offered_team_id == team.pk:
        raise ValidationError({"team": f"{team} has just declined this referral: choose another"})
    redirect = referral.status == Status.DECLINED
    fields: dict[str, Any] = {"offered_team": team}
    if redirect:
        fields["redirect_count"] = referral.redirect_count + 1
    was = _move(referral, Status.OFFERED, **fields)
    _event(
        referral,
        EventKind.REDIRECTED if redirect else EventKind.OFFERED,
        from_status=was,
        by=by,
        team=team,
        detail={"redirect_count": referral.redirect_count},
    )
    _audit(by, referral, Purpose.REFERRAL_OFFERED, "coordination centre", team=team.code)


@transaction.atomic
def offer_to_team(*, referral_id: int, team_id: int, by: Actor) -> Referral:
    """Offer a triaged (or redirect a declined) referral to a team; redirects are counted."""
    _require(by, Permission.TRIAGE_REFERRALS, "route referrals")
    team = _team(team_id)
    referral = _locked(referral_id)
    _offer(referral, team, by)
    return referral


def _offered_team(referral: Referral, to: Status) -> Team:
    """The team a referral is with; a referral with none cannot move to ``to``."""
    if referral.offered_team is None:
        check_transition(referral.status, to)
    assert referral.offered_team is not None
    return referral.offered_team


@transaction.atomic
def accept_referral(*, referral_id: int, by: Actor) -> tuple[Referral, bool]:
    """The offered team accepts: the person joins the team's caseload; (referral, accepted now).

    The actor's permission is checked before the state, so nobody learns a referral's state
    by trying; accepting again what the team already accepted changes nothing (audited).
    """
    referral = _locked(referral_id)
    team = _offered_team(referral, Status.ACCEPTED)
    _require(by, Permission.ACCEPT_REFERRALS, f"accept referrals for {team}", team=team)
    if referral.status == Status.ACCEPTED:
        _audit(
            by,
            referral,
            Purpose.REFERRAL_ACCEPTED_AGAIN,
            "team offered the referral",
        )
        return referral, False
    now = timezone.now()
    was = _move(referral, Status.ACCEPTED, accepted_at=now)
    entry = CaseloadEntry.objects.filter(
        team=team, patient_id=referral.patient_id, discharged_on__isnull=True
    ).first()
    if entry is None:
        entry = CaseloadEntry.objects.create(
            team=team,
            patient_id=referral.patient_id,
            admitted_on=timezone.localdate(now),
            reason=f"Referral #{referral.pk}: {'; '.join(referral.need_labels())}"[:200],
        )
    _event(
        referral,
        EventKind.ACCEPTED,
        from_status=was,
        by=by,
        team=team,
        detail={"caseload_entry_id": entry.pk},
    )
    _audit(
        by,
        referral,
        Purpose.REFERRAL_ACCEPTED,
        "team offered the referral",
        caseload_entry=entry.pk,
    )
    return referral, True


def _return(referral: Referral, reason: str, destination: str, by: Actor) -> None:
    destination = _text(destination, "destination", "who the referral goes back to", max_length=200)
    was = _move(
        referral,
        Status.RETURNED,
        decline_reason=reason,
        return_destination=destination,
        closed_at=timezone.now(),
    )
    _event(
        referral,
        EventKind.RETURNED,
        from_status=was,
        by=by,
        reason=reason,
        detail={"destination": destination},
    )
    _audit(by, referral, Purpose.REFERRAL_RETURNED, "referral handling", to=destination)


@transaction.atomic
def decline_referral(
    *,
    referral_id: int,
    reason: str,
    by: Actor,
    redirect_to_team_id: int | None = None,
    return_to: str = "",
) -> Referral:
    """The offered team declines with a reason; optionally redirect or return in the same step.

    Without either, the referral goes back to the coordination centre's worklist.
    """
    reason = _text(reason, "reason", "the reason for declining", max_length=1000)
    if redirect_to_team_id is not None and return_to.strip():
        raise ValidationError({"return_to": "Either redirect to a team or return, not both"})
    referral = _locked(referral_id)
    team = _offered_team(referral, Status.DECLINED)
    _require(by, Permission.ACCEPT_REFERRALS, f"decline referrals for {team}", team=team)
    was = _move(referral, Status.DECLINED, decline_reason=reason)
    _event(referral, EventKind.DECLINED, from_status=was, by=by, team=team, reason=reason)
    _audit(by, referral, Purpose.REFERRAL_DECLINED, "team offered the referral", reason=reason)
    if redirect_to_team_id is not None:
        _offer(referral, _team(redirect_to_team_id), by)
    elif return_to.strip():
        _return(referral, reason, return_to, by)
    return referral


@transaction.atomic
def return_to_referrer(*, referral_id: int, reason: str, destination: str, by: Actor) -> Referral:
    """The coordination centre sends a referral back, naming where it goes (never to nobody)."""
    _require(by, Permission.TRIAGE_REFERRALS, "return referrals")
    reason = _text(reason, "reason", "the reason for returning it", max_length=1000)
    referral = _locked(referral_id)
    _return(referral, reason, destination, by)
    return referral


@transaction.atomic
def complete_referral(*, referral_id: int, by: Actor) -> Referral:
    """The accepting team closes the referral when the episode of care it asked for ends."""
    referral = _locked(referral_id)
    team = _offered_team(referral, Status.COMPLETED)
    _require(by, Permission.ACCEPT_REFERRALS, f"close referrals for {team}", team=team)
    was = _move(referral, Status.COMPLETED, closed_at=timezone.now())
    _event(referral, EventKind.COMPLETED, from_status=was, by=by, team=team)
    _audit(by, referral, Purpose.REFERRAL_COMPLETED, "team that accepted the referral")
    return referral
