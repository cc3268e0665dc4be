"""The care transfer hub's plan for someone ready to leave: the service for their pathway,
chosen from the directory's answer, the day it starts, and bridging care at home from the day
they leave until it does (the weekend case). Every referral goes through the front door and
its lifecycle, once for each need.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wraparound.access import audit
from wraparound.access.actors import Actor, require_actor
from wraparound.access.models import AuditAction
from wraparound.access.permissions import NoAccess, has_permission
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Permission
from wraparound.directory.models import Service
from wraparound.directory.search import Match, SearchResult
from wraparound.door.policy import decide
from wraparound.needs import Need
from wraparound.referrals.actions import offer_to_team, submit_referral, triage_if_untriaged
from wraparound.referrals.models import Referral, Source, Status
from wraparound.referrals.routing import services_for

from ..models import DischargePlan, HospitalStay
from ..pathways import bridging_answer


def _chosen(result: SearchResult | None, service_id: int | None, field: str, what: str) -> Match:
    """The directory's match for ``service_id``, or a refusal naming the field and saying
    why the directory will not offer it."""
    if result is None:
        raise ValidationError({field: f"The directory has no answer for {what} yet"})
    for match in result.eligible:
        if match.service.id == service_id:
            return match
    for excluded in result.excluded:
        if excluded.service.id == service_id:
            raise ValidationError(
                {
                    field: f"{excluded.service.name} cannot take this person for {what}: "
                    + "; ".join(excluded.reasons)
                }
            )
    raise ValidationError({field: f"Choose a service the directory offers for {what}"})


def _offer_once(referral: Referral, team_id: int, by: Actor) -> None:
    """Offer to the team unless it already holds the referral (offered or accepted)."""
    holding = (Status.OFFERED, Status.ACCEPTED)
    if referral.offered_team_id == team_id and referral.status in holding:
        return
    offer_to_team(referral_id=referral.pk, team_id=team_id, by=by)


@transaction.atomic
def plan_discharge(
    *,
    stay_id: int,
    leaves_on: dt.date,
    package_service_id: int,
    package_starts: dt.date,
    bridging_service_id: int | None,
    by: Actor,
) -> DischargePlan:
    """The hub's plan: the pathway's referral offered to the chosen service from the day it
    can start, and, if the person leaves before then, bridging care booked until it does.

    The service must be one the directory offers this person now (an excluded one is refused
    with the directory's reasons), and the package cannot start before its first start.
    Planning again replaces the plan and reuses the referrals: never two for one need.
    """
    require_actor(by)
    if not has_permission(by, Permission.TRIAGE_REFERRALS):
        raise NoAccess("Discharges are planned by the care transfer hub")
    stay = (
        HospitalStay.objects.select_for_update(of=("self",))  # not the nullable referral's
        .select_related("patient", "hospital", "hub_referral")
        .filter(pk=stay_id)
        .first()
    )
    decision = decide(by, stay.patient) if stay else None
    if stay is None or decision is None or not decision.allowed:
        raise NoAccess("No such stay on the hub's worklist")
    if stay.ready_since is None or stay.discharged_at is not None or stay.hub_referral is None:
        raise ValidationError(
            {"stay": "Plan for someone referred to the hub, ready and in hospital"}
        )
    now = timezone.now()
    today = timezone.localdate(now)
    if leaves_on < max(today, stay.ready_since):
        raise ValidationError({"leaves_on": "The day they leave cannot be in the past"})
    if package_starts < leaves_on:
        raise ValidationError(
            {"package_starts": "The package starts on or after the day they leave"}
        )
    hub_referral = triage_if_untriaged(referral_id=stay.hub_referral.pk, by=by)
    package = _chosen(
        services_for(hub_referral, now),
        package_service_id,
        "package_service",
        stay.get_pathway_display(),
    )
    if package.starts_on is not None and package_starts < package.starts_on:
        raise ValidationError(
            {
                "package_starts": f"{package.service.name} can start someone new from "
                f"{package.first_start_words}"
            }
        )
    bridging_referral = None
    if package_starts > leaves_on:
        if bridging_service_id is None:
            raise ValidationError(
                {
                    "bridging_service": "They leave before the package starts: book bridging "
                    "care until it does"
                }
            )
        bridging = _chosen(
            bridging_answer(stay, now), bridging_service_id, "bridging_service", "bridging care"
        )
        bridging_referral, _ = submit_referral(
            by=by,
            patient=stay.patient,
            source=Source.HOSPITAL_DISCHARGE,
            needs=[Need.BRIDGING_CARE],
            clinical_summary=(
                f"Bridging care at home from {leaves_on:%a %d %b %Y}, when they leave "
                f"{stay.hospital.name}, until {package.service.name} starts on "
                f"{package_starts:%a %d %b %Y} ({stay.get_pathway_display()})."
            ),
            idempotency_key=f"discharge-{stay.pk}-bridging",
        )
        _offer_once(bridging_referral, _team_of(bridging.service.id), by)
    elif bridging_service_id is not None:
        raise ValidationError(
            {"bridging_service": "The package starts the day they leave: no bridging needed"}
        )
    _offer_once(hub_referral, _team_of(package.service.id), by)
    before = DischargePlan.objects.filter(stay=stay).first()
    plan, _ = DischargePlan.objects.update_or_create(
        stay=stay,
        defaults={
            "leaves_on": leaves_on,
            "package_service_id": package.service.id,
            "package_starts": package_starts,
            "bridging_service_id": bridging_service_id if bridging_referral else None,
            "bridging_referral": bridging_referral,
            "planned_by": by,
            "planned_at": now,
        },
    )
    audit.record(
        user=by,
        action=AuditAction.UPDATE if before else AuditAction.CREATE,
        purpose=Purpose.DISCHARGE_PLANNING,
        patient_id=stay.patient_id,
        basis=decision.basis,
        detail={"stay_id": stay.pk, "changes": audit.changes(_shown(before), _shown(plan))},
    )
    return plan


def _team_of(service_id: int) -> int:
    return Service.objects.values_list("team_id", flat=True).get(pk=service_id)


def _shown(plan: DischargePlan | None) -> dict[str, object]:
    if plan is None:
        return {}
    return {
        "leaves_on": plan.leaves_on.isoformat(),
        "package_service": plan.package_service_id,
        "package_starts": plan.package_starts.isoformat(),
        "bridging_service": plan.bridging_service_id,
        "bridging_referral": plan.bridging_referral_id,
    }
