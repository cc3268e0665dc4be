"""ServiceRequest: referrals through the front door, created, read and searched over FHIR.

Needs are coded in Wraparound's own code system (the presenting needs a referrer ticks);
the referral's source in another. A POST needs an ``Idempotency-Key`` header (or a
business identifier): a retry with the same key returns the referral already made.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError as SchemaError

from wraparound import nhs_number
from wraparound.access import audit
from wraparound.access.actors import Actor
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Section
from wraparound.caseload.models import Patient
from wraparound.door.policy import UNKNOWN_PERSON, identify_patient, sections_for, visible_patients
from wraparound.inputs import ascii_id, strip_bidi, year_problem
from wraparound.referrals.actions import submit_referral
from wraparound.referrals.coding import (
    NEED_TO_SNOMED,
    SNOMED_CT,
    UnknownReasonCode,
    needs_from_snomed,
)
from wraparound.referrals.lifecycle import Status
from wraparound.referrals.models import Referral, Source
from wraparound.referrals.triage import Need, Urgency
from wraparound.referrals.worklist import View, masked_person, view_of

from .outcomes import FhirError, parse_json_body
from .representations import NHS_NUMBER_SYSTEM, ODS_SYSTEM
from .terminology import NEED_SYSTEM

SOURCE_SYSTEM = "https://wraparound.example.org/CodeSystem/referral-source"
IDENTIFIER_SYSTEM = "https://wraparound.example.org/Id/referral"
PRIORITY = {Urgency.TWO_HOUR: "stat", Urgency.TWO_DAY: "urgent", Urgency.ROUTINE: "routine"}
STATUS = {Status.COMPLETED: "completed", Status.RETURNED: "revoked"}  # the rest are "active"
FHIR_STATUS_TO_OURS = {
    "active": sorted(set(Status.values) - {Status.COMPLETED, Status.RETURNED}),
    "completed": [Status.COMPLETED],
    "revoked": [Status.RETURNED],
}


def to_fhir(referral: Referral, *, progress_only: bool = False) -> ServiceRequest:
    """The referral as FHIR; ``progress_only`` for its sender without sight of the person:
    where it is and how urgent, not whose record nor the clinical note."""
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "id": str(referral.pk),
        "identifier": [{"system": IDENTIFIER_SYSTEM, "value": referral.idempotency_key}],
        "status": STATUS.get(referral.status, "active"),
        "intent": "order",
        "category": [
            {
                "coding": [
                    {
                        "system": SOURCE_SYSTEM,
                        "code": referral.source,
                        "display": referral.get_source_display(),
                    }
                ]
            }
        ],
        "subject": {"reference": f"Patient/{referral.patient_id}"},
        "authoredOn": referral.received_at.isoformat(),
        "requester": {
            "identifier": {"system": ODS_SYSTEM, "value": referral.referring_organisation.ods_code},
            "display": referral.referring_organisation.name,
        },
        "reasonCode": [_reason(n) for n in referral.needs if n in Need.values],
        "note": [{"text": referral.clinical_summary}],
    }
    if referral.urgency:
        resource["priority"] = PRIORITY[Urgency(referral.urgency)]
        resource["occurrencePeriod"] = {
            "start": referral.received_at.isoformat(),
            "end": referral.due_at.isoformat() if referral.due_at else None,
        }
    if referral.offered_team_id:
        resource["performer"] = [{"display": referral.offered_team.name}]
    if progress_only:
        resource["subject"] = {"display": masked_person(referral.patient)}
        del resource["note"]
    return ServiceRequest.model_validate(resource)


def _reason(need: str) -> dict[str, Any]:
    """A need as UK Core expects it: SNOMED CT where the need has a concept, and ours."""
    coding = [{"system": NEED_SYSTEM, "code": need, "display": Need(need).label}]
    snomed = NEED_TO_SNOMED.get(need)
    if snomed is not None:
        coding.append({"system": SNOMED_CT, "code": snomed.code, "display": snomed.display})
    return {"coding": coding, "text": Need(need).label}


def _needs_of(resource: ServiceRequest) -> list[str]:
    """Presenting needs from reasonCode: our codes, and SNOMED CT mapped through the ConceptMap."""
    ours = _codes(resource.reasonCode, NEED_SYSTEM)
    try:
        mapped = needs_from_snomed(_codes(resource.reasonCode, SNOMED_CT))
    except UnknownReasonCode as exc:
        raise FhirError(
            422, "code-invalid", f"ServiceRequest.reasonCode: {exc}", ["ServiceRequest.reasonCode"]
        ) from exc
    return ours + [n for n in mapped if n not in ours]


def schema_error(exc: SchemaError, resource_type: str) -> FhirError:
    """The first element ``fhir.resources`` refused, named by its path in the resource."""
    first = exc.errors()[0]
    path = f"{resource_type}." + ".".join(str(p) for p in first["loc"] if p != "__root__")
    return FhirError(400, "structure", f"{path}: {first['msg']}", [path])


BIRTH_DATE_EXTENSION = "https://wraparound.example.org/StructureDefinition/subject-birth-date"
IDENTIFY_BY = (
    "Identify the person by NHS number and date of birth: a contained Patient with an NHS "
    "number identifier and birthDate (subject.reference '#id'), or subject.identifier with "
    f"the NHS number and the extension {BIRTH_DATE_EXTENSION} holding valueDate"
)


def fail(status: int, code: str, message: str, path: str) -> FhirError:
    return FhirError(status, code, f"{path}: {message}", [path])


def nhs_number_of(identifiers: Any, path: str) -> str:
    values = [i.value for i in identifiers or [] if i.system == NHS_NUMBER_SYSTEM]
    if not values:
        raise fail(422, "required", "give an NHS number identifier", path)
    try:
        return nhs_number.validate(values[0] or "")
    except nhs_number.InvalidNHSNumber as exc:
        raise fail(400, "invalid", str(exc), path + ".value") from exc


def birth_date_of(value: Any, path: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise fail(422, "required", "give the person's date of birth", path)
    problem = year_problem(value)
    if problem:
        raise fail(400, "invalid", problem, path)
    return value


def _identifiers_of(resource: ServiceRequest) -> tuple[str, dt.date]:
    """The NHS number and date of birth the sender gave; an id alone is refused (H1)."""
    subject = resource.subject
    if subject is None:
        raise fail(400, "required", "is required", "ServiceRequest.subject")
    reference = subject.reference or ""
    if reference.startswith("#"):
        contained = [
            c
            for c in resource.contained or []
            if c.get_resource_type() == "Patient" and c.id == reference[1:]
        ]
        if not contained:
            raise fail(
                400, "invalid", f"no contained Patient {reference}", "ServiceRequest.subject"
            )
        person = contained[0]
        return (
            nhs_number_of(person.identifier, "ServiceRequest.contained.Patient.identifier"),
            birth_date_of(person.birthDate, "ServiceRequest.contained.Patient.birthDate"),
        )
    if subject.identifier is not None and not reference:
        born = [e.valueDate for e in subject.extension or [] if e.url == BIRTH_DATE_EXTENSION]
        return (
            nhs_number_of([subject.identifier], "ServiceRequest.subject.identifier"),
            birth_date_of(born[0] if born else None, "ServiceRequest.subject.extension"),
        )
    raise fail(422, "required", IDENTIFY_BY, "ServiceRequest.subject")


def _patient_of(resource: ServiceRequest, by: Actor) -> Patient:
    number, born = _identifiers_of(resource)
    patient = identify_patient(number, born, purpose=Purpose.FHIR_CREATE_SERVICE_REQUEST, by=by)
    if patient is None:
        raise fail(422, "not-found", UNKNOWN_PERSON, "ServiceRequest.subject")
    return patient


def _codes(concepts: Any, system: str) -> list[str]:
    return [
        c.code
        for concept in concepts or []
        for c in concept.coding or []
        if c.system == system and c.code
    ]


FIELD_PATHS = {
    "needs": "ServiceRequest.reasonCode",
    "clinical_summary": "ServiceRequest.note",
    "source": "ServiceRequest.category",
    "idempotency_key": "Idempotency-Key",
    "received_at": "ServiceRequest.authoredOn",
    "referring_organisation": "ServiceRequest.requester",
}


def create(request: HttpRequest) -> tuple[ServiceRequest, bool]:
    """Validate the resource, then receive and triage the referral; (resource, created)."""
    body = parse_json_body(request)
    if not isinstance(body, dict) or body.get("resourceType") != "ServiceRequest":
        raise FhirError(400, "structure", "The body must be a ServiceRequest", ["resourceType"])
    try:
        resource = ServiceRequest.model_validate(body)
    except SchemaError as exc:
        raise schema_error(exc, "ServiceRequest") from exc
    key = request.headers.get("Idempotency-Key", "").strip() or next(
        (i.value for i in resource.identifier or [] if i.value), ""
    )
    if not key:
        raise FhirError(
            400,
            "required",
            "Send an Idempotency-Key header so that a retry never makes a second referral",
            ["Idempotency-Key"],
        )
    patient = _patient_of(resource, request.user)
    sources = _codes(resource.category, SOURCE_SYSTEM)
    summary = strip_bidi(" ".join(n.text for n in resource.note or [] if n.text))
    authored = resource.authoredOn
    try:
        referral, created = submit_referral(
            patient=patient,
            source=sources[0] if sources else Source.OTHER,
            needs=_needs_of(resource),
            clinical_summary=summary,
            idempotency_key=key,
            by=request.user,
            received_at=authored if isinstance(authored, dt.datetime) else None,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        path = FIELD_PATHS.get(field, f"ServiceRequest.{field}")
        raise FhirError(400, "invalid", f"{path}: {' '.join(messages)}", [path]) from exc
    return to_fhir(referral), created


def _visible_referrals(request: HttpRequest) -> QuerySet[Referral]:
    if Section.REFERRALS not in sections_for(request.user):
        return Referral.objects.none()
    return Referral.objects.filter(
        patient__in=visible_patients(Patient.objects.all(), request.user)
    ).select_related("referring_organisation", "offered_team")


def read(request: HttpRequest, id: str, open_patient: Any) -> ServiceRequest:
    referral = (
        Referral.objects.select_related("referring_organisation", "offered_team")
        .filter(pk=ascii_id(id) or -1)
        .first()
    )
    if referral is None:
        raise FhirError(404, "not-found", f"ServiceRequest/{id} is not found")
    seen = view_of(request.user, referral)
    if seen is not None and seen.view == View.PROGRESS:
        audit.record(
            user=request.user,
            action=AuditAction.VIEW,
            purpose=Purpose.FHIR_FOLLOW_A_SENT_SERVICE_REQUEST,
            basis=seen.basis,
            detail={"referral_id": referral.pk},
        )
        return to_fhir(referral, progress_only=True)
    open_patient(
        request,
        referral.patient_id,
        Purpose.FHIR_READ_SERVICE_REQUEST,
        f"ServiceRequest/{id}",
        Section.REFERRALS,
    )
    return to_fhir(referral)


def search(request: HttpRequest, open_patient: Any) -> list[ServiceRequest]:
    params = request.GET
    referrals = _visible_referrals(request)
    if "patient" in params or "subject" in params:
        raw = (params.get("patient") or params.get("subject") or "").removeprefix("Patient/")
        patient_id = ascii_id(raw)
        if patient_id is None:
            raise FhirError(400, "invalid", "patient must be Patient/<id>", ["patient"])
        open_patient(
            request,
            patient_id,
            "FHIR search ServiceRequest",
            f"Patient/{patient_id}",
            Section.REFERRALS,
        )
        referrals = referrals.filter(patient_id=patient_id)
    if "status" in params:
        ours = FHIR_STATUS_TO_OURS.get(params["status"])
        if ours is None:
            raise FhirError(
                400, "invalid", f"status must be one of {sorted(FHIR_STATUS_TO_OURS)}", ["status"]
            )
        referrals = referrals.filter(status__in=ours)
    if "priority" in params:
        wanted = [u for u, p in PRIORITY.items() if p == params["priority"]]
        if not wanted:
            raise FhirError(
                400, "invalid", "priority must be stat, urgent or routine", ["priority"]
            )
        referrals = referrals.filter(urgency__in=wanted)
    for value in params.getlist("authored"):
        referrals = _authored(referrals, value)
    found = list(referrals.order_by("-received_at", "pk")[:500])
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.FHIR_SEARCH_SERVICE_REQUEST,
        detail={
            "patients_shown": sorted({r.patient_id for r in found}),
            "query": dict(params.items()),
        },
    )
    return [to_fhir(r) for r in found]


def _authored(referrals: QuerySet[Referral], value: str) -> QuerySet[Referral]:
    prefix, raw = (
        (value[:2], value[2:]) if value[:2] in {"ge", "le", "gt", "lt", "eq"} else ("eq", value)
    )
    try:
        day = parse_date(raw) if len(raw) == 10 else None
        moment = parse_datetime(raw) if day is None else None
    except ValueError as exc:  # well formed, but no such day: 2026-02-30
        raise FhirError(
            400, "invalid", f"authored {value!r} is not a real date: {exc}", ["authored"]
        ) from exc
    problem = year_problem(day or moment.date()) if (day or moment) else None
    if problem:
        raise FhirError(400, "invalid", f"authored {value!r}: {problem}", ["authored"])
    if moment is not None and timezone.is_naive(moment):
        raise FhirError(400, "invalid", f"authored {value!r} needs a time zone", ["authored"])
    if moment is None and day is None:
        raise FhirError(
            400, "invalid", f"authored {value!r} is not a date or date-time", ["authored"]
        )
    if day is not None:
        lookups = {
            "eq": "received_at__date",
            "ge": "received_at__date__gte",
            "le": "received_at__date__lte",
            "gt": "received_at__date__gt",
            "lt": "received_at__date__lt",
        }
        return referrals.filter(**{lookups[prefix]: day})
    lookups = {
        "eq": "received_at",
        "ge": "received_at__gte",
        "le": "received_at__lte",
        "gt": "received_at__gt",
        "lt": "received_at__lt",
    }
    return referrals.filter(**{lookups[prefix]: moment})
