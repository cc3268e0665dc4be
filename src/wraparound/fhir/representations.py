"""Wraparound's records as FHIR R4 resources (UK Core where it applies), validated on the way out.

``fhir.resources`` 8 carries R4B, FHIR's R4 technical correction: every resource and element
used here is unchanged from R4.
"""

from __future__ import annotations

from typing import Any

from fhir.resources.R4B.appointment import Appointment
from fhir.resources.R4B.careplan import CarePlan as FhirCarePlan
from fhir.resources.R4B.careteam import CareTeam
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.patient import Patient as FhirPatient

from wraparound.access.roles import WHOLE_RECORD, Section
from wraparound.caseload.models import CarePlan, CareTeamMember, Patient, Visit
from wraparound.organisations.models import Organisation

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
ODS_SYSTEM = "https://fhir.nhs.uk/Id/ods-organization-code"
UK_CORE = "https://fhir.hl7.org.uk/StructureDefinition/UKCore-"


def organisation_ref(org: Organisation) -> dict[str, Any]:
    return {"identifier": {"system": ODS_SYSTEM, "value": org.ods_code}, "display": org.name}


def patient_ref(patient_id: int) -> dict[str, str]:
    return {"reference": f"Patient/{patient_id}"}


def patient(p: Patient, sections: frozenset[Section] = WHOLE_RECORD) -> FhirPatient:
    """The person as FHIR, holding only the ``sections`` the reader's role may see."""
    resource: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(p.pk),
        "meta": {"profile": [UK_CORE + "Patient"]},
        "name": [{"use": "official", "family": p.family_name, "given": [p.given_name]}],
    }
    if Section.IDENTIFIERS in sections:
        resource["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": p.nhs_number}]
        resource["gender"] = p.sex
        resource["birthDate"] = p.date_of_birth.isoformat()
        if p.registered_practice_id:
            resource["generalPractitioner"] = [organisation_ref(p.registered_practice)]
    if Section.HOME in sections:
        address: dict[str, Any] = {"use": "home", "line": [p.address], "postalCode": p.postcode}
        notes = [n for n in (p.home_access, p.what_to_bring) if n]
        if notes:
            address["text"] = f"{p.address}, {p.postcode}. " + ". ".join(notes)
        resource["address"] = [address]
    return FhirPatient.model_validate(resource)


def care_plan(plan: CarePlan) -> FhirCarePlan:
    return FhirCarePlan.model_validate(
        {
            "resourceType": "CarePlan",
            "id": str(plan.pk),
            "status": "active" if plan.status == "active" else "completed",
            "intent": "plan",
            "title": plan.title,
            "subject": patient_ref(plan.patient_id),
            "period": {"start": plan.starts_on.isoformat()},
            "author": organisation_ref(plan.team.organisation) | {"display": plan.team.name},
            "note": [{"text": f"Key alerts: {plan.key_alerts}"}] if plan.key_alerts else None,
            "activity": [
                {
                    "detail": {
                        "kind": "Appointment",
                        "status": "scheduled" if plan.status == "active" else "completed",
                        "description": (i.description or i.get_kind_display())
                        + f" ({i.how_often.lower()}, {i.window_start:%H:%M}-{i.window_end:%H:%M},"
                        f" {i.duration_minutes} min{', two staff' if i.double_handed else ''})",
                        "code": {"text": i.get_kind_display()},
                    }
                }
                for i in plan.interventions.all()
            ]
            or None,
        }
    )


def care_team(patient_obj: Patient, members: list[CareTeamMember]) -> CareTeam:
    return CareTeam.model_validate(
        {
            "resourceType": "CareTeam",
            "id": str(patient_obj.pk),
            "status": "active",
            "name": f"Care team of {patient_obj.given_name} {patient_obj.family_name}",
            "subject": patient_ref(patient_obj.pk),
            "participant": [
                {
                    "role": [{"text": m.role}],
                    "member": organisation_ref(m.organisation)
                    | (
                        {"display": f"{m.member_name}, {m.organisation.name}"}
                        if m.member_name
                        else {}
                    ),
                    "period": {"start": m.started_on.isoformat()},
                }
                for m in members
            ]
            or None,
        }
    )


APPOINTMENT_STATUS = {
    "planned": "proposed",
    "assigned": "booked",
    "en_route": "booked",
    "arrived": "arrived",
    "completed": "fulfilled",
    "missed": "noshow",
    "cancelled": "cancelled",
}


def appointment(v: Visit) -> Appointment:
    start = v.planned_start or v.window_start
    participants: list[dict[str, Any]] = [
        {"actor": patient_ref(v.patient_id), "status": "accepted"}
    ]
    if v.assigned_to_id:
        participants.append({"actor": {"display": str(v.assigned_to)}, "status": "accepted"})
    return Appointment.model_validate(
        {
            "resourceType": "Appointment",
            "id": str(v.pk),
            "status": APPOINTMENT_STATUS[v.status],
            "description": v.task,
            "start": start.isoformat(),
            "minutesDuration": v.duration_minutes,
            "requestedPeriod": [
                {"start": v.window_start.isoformat(), "end": v.window_end.isoformat()}
            ],
            "participant": participants,
            "comment": v.get_missed_reason_display() or None,
        }
    )


def encounter(v: Visit) -> Encounter:
    start = v.planned_start or v.window_start
    return Encounter.model_validate(
        {
            "resourceType": "Encounter",
            "id": str(v.pk),
            "status": "finished",
            "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": "HH",
                "display": "home health",
            },
            "type": [{"text": v.task}],
            "subject": patient_ref(v.patient_id),
            "period": {"start": start.isoformat(), "end": (v.finished_at or start).isoformat()},
            "serviceProvider": organisation_ref(v.team.organisation),
            "appointment": [{"reference": f"Appointment/{v.pk}"}],
        }
    )
