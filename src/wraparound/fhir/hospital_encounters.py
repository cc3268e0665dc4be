"""A hospital sends a stay as a FHIR ``Encounter`` (POST /fhir/Encounter): in progress, or
finished with its period's end, the person identified by NHS number and date of birth in a
contained Patient, and the discharge facts in extensions. The hospital's own
``Encounter.identifier`` makes it idempotent: the same Encounter again changes nothing.

Extensions (``valueDate`` / ``valueCode`` / ``valueString``) under ``EXTENSION``:
``ready-since``, ``pathway`` (0-3), ``delay-reason``, ``delay-since``,
``criteria-decided-by``; where the person goes (planned, then actual) in UK Core's
``hospitalization.dischargeDisposition``, coded from the Data Dictionary's discharge
destinations. Each error names the element it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from fhir.resources.R4B.encounter import Encounter
from pydantic import ValidationError as SchemaError

from wraparound.discharge.actions import StayReport, receive_stay
from wraparound.discharge.destinations import SYSTEM as DESTINATION_SYSTEM
from wraparound.discharge.destinations import destinations
from wraparound.discharge.models import HospitalStay

from .outcomes import FhirError, parse_json_body
from .representations import organisation_ref, patient_ref
from .service_requests import birth_date_of, fail, nhs_number_of, schema_error

EXTENSION = "https://wraparound.example.org/StructureDefinition/discharge-"
PREFIX = "hospital-stay-"
PATHS = {
    "encounter_id": "Encounter.identifier",
    "admitted_at": "Encounter.period.start",
    "discharged_at": "Encounter.period.end",
    "nhs_number": "Encounter.subject",
    "ready_since": f"Encounter.extension({EXTENSION}ready-since)",
    "pathway": f"Encounter.extension({EXTENSION}pathway)",
    "delay_reason": f"Encounter.extension({EXTENSION}delay-reason)",
    "delay_since": f"Encounter.extension({EXTENSION}delay-since)",
    "discharge_destination": "Encounter.hospitalization.dischargeDisposition",
}


def _extension(resource: Encounter, name: str) -> Any:
    for extension in resource.extension or []:
        if extension.url == EXTENSION + name:
            return extension.valueDate or extension.valueCode or extension.valueString
    return None


def _destination(resource: Encounter) -> str:
    """UK Core's discharge destination (planned, or where they went), when it is given."""
    disposition = (
        resource.hospitalization.dischargeDisposition if resource.hospitalization else None
    )
    for coding in (disposition.coding or []) if disposition else []:
        if coding.system == DESTINATION_SYSTEM:
            return coding.code or ""
    if disposition is not None:
        raise fail(
            422,
            "code-invalid",
            f"code the destination from {DESTINATION_SYSTEM}",
            PATHS["discharge_destination"],
        )
    return ""


def _person(resource: Encounter) -> tuple[str, dt.date]:
    reference = (resource.subject.reference if resource.subject else "") or ""
    contained = [
        c
        for c in resource.contained or []
        if c.get_resource_type() == "Patient" and reference == f"#{c.id}"
    ]
    if not contained:
        raise fail(
            422,
            "required",
            "a contained Patient (#id) with NHS number and birthDate",
            "Encounter.subject",
        )
    person = contained[0]
    return (
        nhs_number_of(person.identifier, "Encounter.contained.Patient.identifier"),
        birth_date_of(person.birthDate, "Encounter.contained.Patient.birthDate"),
    )


def _report(resource: Encounter) -> StayReport:
    ids = [i.value for i in resource.identifier or [] if i.value]
    if not ids:
        raise fail(422, "required", "give the hospital's id for the stay", "Encounter.identifier")
    if resource.status not in ("in-progress", "finished"):
        raise fail(
            422, "invalid", "send an in-progress or a finished Encounter", "Encounter.status"
        )
    period = resource.period
    if period is None or period.start is None:
        raise fail(422, "required", "give when the stay began", "Encounter.period.start")
    if resource.status == "finished" and period.end is None:
        raise fail(422, "required", "a finished stay needs its end", "Encounter.period.end")
    number, born = _person(resource)
    ward = resource.location[0].location.display if resource.location else ""
    return StayReport(
        encounter_id=ids[0],
        nhs_number=number,
        date_of_birth=born,
        admitted_at=period.start,
        ward=ward or "",
        ready_since=_extension(resource, "ready-since"),
        pathway=str(_extension(resource, "pathway") or ""),
        delay_reason=str(_extension(resource, "delay-reason") or ""),
        delay_since=_extension(resource, "delay-since"),
        discharged_at=period.end if resource.status == "finished" else None,
        discharge_destination=_destination(resource),
        criteria_decided_by=str(_extension(resource, "criteria-decided-by") or ""),
    )


def to_fhir(stay: HospitalStay) -> Encounter:
    extensions: list[dict[str, Any]] = []
    if stay.ready_since:
        extensions.append(
            {"url": EXTENSION + "ready-since", "valueDate": stay.ready_since.isoformat()}
        )
        extensions.append({"url": EXTENSION + "pathway", "valueCode": stay.pathway})
    if stay.delay_reason and stay.delay_since:
        extensions.append({"url": EXTENSION + "delay-reason", "valueCode": stay.delay_reason})
        extensions.append(
            {"url": EXTENSION + "delay-since", "valueDate": stay.delay_since.isoformat()}
        )
    return Encounter.model_validate(
        {
            "resourceType": "Encounter",
            "id": f"{PREFIX}{stay.pk}",
            "identifier": [{"value": stay.encounter_id}],
            "status": "finished" if stay.discharged_at else "in-progress",
            "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                "code": "IMP",
                "display": "inpatient encounter",
            },
            "subject": patient_ref(stay.patient_id),
            "period": {
                "start": stay.admitted_at.isoformat(),
                "end": stay.discharged_at.isoformat() if stay.discharged_at else None,
            },
            "serviceProvider": organisation_ref(stay.hospital),
            "hospitalization": {
                "dischargeDisposition": {
                    "coding": [
                        {
                            "system": DESTINATION_SYSTEM,
                            "code": stay.discharge_destination,
                            "display": destinations()[stay.discharge_destination],
                        }
                    ]
                }
            }
            if stay.discharge_destination
            else None,
            "extension": extensions or None,
        }
    )


def create(request: HttpRequest) -> tuple[Encounter, bool]:
    """Store or update the hospital's stay; (the stay as an Encounter, whether it is new)."""
    body = parse_json_body(request)
    if not isinstance(body, dict) or body.get("resourceType") != "Encounter":
        raise FhirError(400, "structure", "The body must be an Encounter", ["resourceType"])
    try:
        resource = Encounter.model_validate(body)
    except SchemaError as exc:
        raise schema_error(exc, "Encounter") from exc
    try:
        stay, outcome = receive_stay(report=_report(resource), by=request.user)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        path = PATHS.get(field, f"Encounter.{field}")
        raise FhirError(400, "invalid", f"{path}: {' '.join(messages)}", [path]) from exc
    return to_fhir(stay), outcome == "new"
