"""ServiceRequest: referrals through the front door, created, read and searched over FHIR.

Needs are coded in Wraparound's own code system (the presenting needs a referrer ticks);
the referral's source in another. A POST needs an ``Idempotency-Key`` header (or a
business identifier): a retry with the same key returns the referral already made.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from fhir.resources.R4B.servicerequest import ServiceRequest
from pydantic import ValidationError as SchemaError

from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.caseload import nhs_number
from wraparound.caseload.models import Patient
from wraparound.referrals.actions import submit_referral
from wraparound.referrals.lifecycle import Status
from wraparound.referrals.models import Referral, Source
from wraparound.referrals.triage import Need, Urgency

from .outcomes import FhirError
from .representations import NHS_NUMBER_SYSTEM, ODS_SYSTEM

NEED_SYSTEM = "https://wraparound.example.org/CodeSystem/presenting-need"
SOURCE_SYSTEM = "https://wraparound.example.org/CodeSystem/referral-source"
IDENTIFIER_SYSTEM = "https://wraparound.example.org/Id/referral"
PRIORITY = {Urgency.TWO_HOUR: "stat", Urgency.TWO_DAY: "urgent", Urgency.ROUTINE: "routine"}
STATUS = {Status.COMPLETED: "completed", Status.RETURNED: "revoked"}  # the rest are "active"
FHIR_STATUS_TO_OURS = {
    "active": sorted(set(Status.values) - {Status.COMPLETED, Status.RETURNED}),
    "completed": [Status.COMPLETED],
    "revoked": [Status.RETURNED],
}


def to_fhir(referral: Referral) -> ServiceRequest:
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
        "reasonCode": [
            {"coding": [{"system": NEED_SYSTEM, "code": n, "display": Need(n).label}]}
            for n in referral.needs
            if n in Need.values
        ],
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
    return ServiceRequest.model_validate(resource)


def _schema_error(exc: SchemaError) -> FhirError:
    first = exc.errors()[0]
    path = "ServiceRequest." + ".".join(str(p) for p in first["loc"] if p != "__root__")
    return FhirError(400, "structure", f"{path}: {first['msg']}", [path])


def _patient_of(resource: ServiceRequest) -> Patient:
    subject = resource.subject
    if subject is None:
        raise FhirError(
            400, "required", "ServiceRequest.subject is required", ["ServiceRequest.subject"]
        )
    if subject.reference:
        raw = subject.reference.removeprefix("Patient/")
        patient = Patient.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
    elif subject.identifier is not None and subject.identifier.system == NHS_NUMBER_SYSTEM:
        try:
            number = nhs_number.validate(subject.identifier.value or "")
        except nhs_number.InvalidNHSNumber as exc:
            raise FhirError(
                400, "invalid", str(exc), ["ServiceRequest.subject.identifier.value"]
            ) from exc
        patient = Patient.objects.filter(nhs_number=number).first()
    else:
        raise FhirError(
            400,
            "invalid",
            "Give the subject as Patient/<id> or an NHS number identifier",
            ["ServiceRequest.subject"],
        )
    if patient is None:
        raise FhirError(
            422, "not-found", "The subject is not known to Wraparound", ["ServiceRequest.subject"]
        )
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
    try:
        body = json.loads(request.body or b"{}")
    except ValueError as exc:
        raise FhirError(400, "structure", f"The body is not JSON: {exc}") from exc
    if not isinstance(body, dict) or body.get("resourceType") != "ServiceRequest":
        raise FhirError(400, "structure", "The body must be a ServiceRequest", ["resourceType"])
    try:
        resource = ServiceRequest.model_validate(body)
    except SchemaError as exc:
        raise _schema_error(exc) from exc
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
    patient = _patient_of(resource)
    sources = _codes(resource.category, SOURCE_SYSTEM)
    summary = " ".join(n.text for n in resource.note or [] if n.text)
    authored = resource.authoredOn
    try:
        referral, created = submit_referral(
            patient=patient,
            source=sources[0] if sources else Source.OTHER,
            needs=_codes(resource.reasonCode, NEED_SYSTEM),
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
    return Referral.objects.filter(
        patient__in=Patient.objects.visible_to(request.user)
    ).select_related("referring_organisation", "offered_team")


def read(request: HttpRequest, id: str, open_patient: Any) -> ServiceRequest:
    referral = (
        Referral.objects.select_related("referring_organisation", "offered_team")
        .filter(pk=int(id) if id.isdigit() else -1)
        .first()
    )
    if referral is None:
        raise FhirError(404, "not-found", f"ServiceRequest/{id} is not found")
    open_patient(request, referral.patient_id, "FHIR read ServiceRequest")
    return to_fhir(referral)


def search(request: HttpRequest, open_patient: Any) -> list[ServiceRequest]:
    params = request.GET
    referrals = _visible_referrals(request)
    if "patient" in params or "subject" in params:
        raw = (params.get("patient") or params.get("subject") or "").removeprefix("Patient/")
        if not raw.isdigit():
            raise FhirError(400, "invalid", "patient must be Patient/<id>", ["patient"])
        open_patient(request, int(raw), "FHIR search ServiceRequest")
        referrals = referrals.filter(patient_id=int(raw))
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
        purpose="FHIR search ServiceRequest",
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
    day = parse_date(raw) if len(raw) == 10 else None
    moment = parse_datetime(raw) if day is None else None
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
