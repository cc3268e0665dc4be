"""HealthcareService: the directory of services over FHIR, read and searched by type and area.

The directory holds no one's personal data, so a valid token is all a caller needs.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from fhir.resources.R4B.healthcareservice import HealthcareService

from wraparound.directory.models import Service
from wraparound.inputs import ascii_id

from .outcomes import FhirError
from .representations import ODS_SYSTEM

DOS_TYPE_SYSTEM = "https://fhir.nhs.uk/CodeSystem/UEC-ServiceType"  # the DoS service type ids
SERVICE_TYPE_SYSTEM = "https://wraparound.example.org/CodeSystem/service-type"
CAPACITY_EXTENSION = "https://wraparound.example.org/StructureDefinition/capacity-now"
DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def to_fhir(service: Service) -> HealthcareService:
    sessions = [s for s in service.sessions.all() if s.day < 7]
    resource: dict[str, Any] = {
        "resourceType": "HealthcareService",
        "id": str(service.pk),
        "active": service.active,
        "providedBy": {
            "identifier": {"system": ODS_SYSTEM, "value": service.provider.ods_code},
            "display": service.provider.name,
        },
        "type": [
            {
                "coding": [
                    {"system": DOS_TYPE_SYSTEM, "code": str(service.dos_service_type_id)},
                    {
                        "system": SERVICE_TYPE_SYSTEM,
                        "code": service.service_type,
                        "display": service.get_service_type_display(),
                    },
                ]
            }
        ],
        "name": service.name,
        "comment": service.description or None,
        "coverageArea": [{"display": n.name} for n in service.neighbourhoods.all()] or None,
        "appointmentRequired": service.bookable,
        "availableTime": [
            {
                "daysOfWeek": [DAYS[s.day]],
                "availableStartTime": s.opens.isoformat(),
                "availableEndTime": s.closes.isoformat(),
            }
            for s in sessions
            if s.closes > s.opens
        ]
        or None,
        "availabilityExceptions": _capacity_words(service),
        "extension": [_capacity_extension(service)],
    }
    return HealthcareService.model_validate(resource)


def _capacity_words(service: Service) -> str:
    source = "from its census or rota" if service.capacity_is_live else "as the service said"
    if service.capacity_set_at is None:
        return "Capacity not given"
    free = "" if service.free_slots is None else f", {service.free_slots} free"
    return f"Capacity {service.capacity}{free} at {service.capacity_set_at.isoformat()} ({source})"


def _capacity_extension(service: Service) -> dict[str, Any]:
    """Capacity now: FHIR R4's HealthcareService has no element for it, so an extension."""
    parts: list[dict[str, Any]] = [
        {"url": "status", "valueCode": service.capacity},
        {"url": "live", "valueBoolean": service.capacity_is_live},
    ]
    if service.free_slots is not None:
        parts.append({"url": "free", "valueUnsignedInt": service.free_slots})
    if service.capacity_set_at is not None:
        parts.append({"url": "asOf", "valueDateTime": service.capacity_set_at.isoformat()})
    return {"url": CAPACITY_EXTENSION, "extension": parts}


def _services() -> QuerySet[Service]:
    return Service.objects.select_related("provider").prefetch_related("neighbourhoods", "sessions")


def read(request: HttpRequest, id: str) -> HealthcareService:
    service = _services().filter(pk=ascii_id(id) or -1).first()
    if service is None:
        raise FhirError(404, "not-found", f"HealthcareService/{id} is not found")
    return to_fhir(service)


def search(request: HttpRequest) -> list[HealthcareService]:
    services = _services().filter(active=True)
    if "type" in request.GET:
        code = request.GET["type"].rpartition("|")[2]
        number = ascii_id(code)
        services = services.filter(
            Q(service_type=code) | Q(dos_service_type_id=number)
            if number is not None
            else Q(service_type=code)
        )
    area = (
        request.GET.get("location") or request.GET.get("coverage-area") or request.GET.get("area")
    )
    if area:
        services = services.filter(
            Q(neighbourhoods__code=area) | Q(neighbourhoods__name__iexact=area)
        ).distinct()
    if "name" in request.GET:
        services = services.filter(name__icontains=request.GET["name"])
    return [to_fhir(s) for s in services.order_by("name", "pk")[:500]]
