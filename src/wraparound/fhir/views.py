"""The FHIR R4 REST facade: read and search, every person's data through the access door."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from wraparound import nhs_number
from wraparound.access import audit
from wraparound.access.models import AuditAction
from wraparound.access.purposes import Purpose
from wraparound.access.roles import Section
from wraparound.capacity.models import WardStay
from wraparound.caseload.models import CarePlan, Patient, Visit
from wraparound.discharge.models import HospitalStay
from wraparound.door.policy import (
    NoAccess,
    access_patient,
    require_section,
    sections_for,
    visible_patients,
)
from wraparound.inputs import ascii_id

from . import healthcare_services, hospital_encounters, service_requests, terminology, ward_stays
from . import representations as fhir
from .auth import fhir_endpoint
from .capability import capability_statement
from .outcomes import FhirError, fhir_response, searchset


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri("/fhir").rstrip("/")


def _int_id(raw: str, field: str) -> int:
    number = ascii_id(raw)
    if number is None:
        raise FhirError(400, "invalid", f"{field} must be a numeric id, not {raw!r}", [field])
    return number


def _patient_param(request: HttpRequest) -> int:
    raw = request.GET.get("patient") or request.GET.get("subject") or ""
    if not raw:
        raise FhirError(400, "required", "Search by patient: ?patient=Patient/<id>", ["patient"])
    return _int_id(raw.removeprefix("Patient/"), "patient")


def _open(
    request: HttpRequest,
    patient_id: int,
    purpose: Purpose,
    asked_for: str,
    section: Section | None = None,
) -> Patient:
    """The door: refused or unknown people are the same 404 to an API client.

    The 404 names only what the client asked for (``asked_for``), never the person a
    resource points at, so a refused read of CarePlan/7 does not say whose plan it is.
    A role that does not see ``section`` of any record is told so, before any person is read.
    """
    if section is not None:
        require_section(request.user, section)
    try:
        patient, _ = access_patient(request.user, patient_id, purpose)
    except NoAccess as exc:
        raise FhirError(
            404, "not-found", f"{asked_for} is not found or not visible to you"
        ) from exc
    return patient


def _patient_search_target(request: HttpRequest, purpose: Purpose, section: Section) -> Patient:
    number = _patient_param(request)
    return _open(request, number, purpose, f"Patient/{number}", section)


@require_GET
def metadata(request: HttpRequest) -> HttpResponse:
    return fhir_response(capability_statement(_base(request)))


def _patient_read(request: HttpRequest, id: str) -> Any:
    number = _int_id(id, "id")
    patient = _open(request, number, Purpose.FHIR_READ_PATIENT, f"Patient/{number}")
    return fhir.patient(patient, sections_for(request.user))


def _patient_search(request: HttpRequest) -> list[Any]:
    raw = request.GET.get("identifier", "")
    if not raw:
        raise FhirError(
            400,
            "required",
            "Search Patient by identifier=https://fhir.nhs.uk/Id/nhs-number|<number>",
            ["identifier"],
        )
    system, _, value = raw.rpartition("|")
    if system and system != fhir.NHS_NUMBER_SYSTEM:
        raise FhirError(
            400,
            "not-supported",
            f"Only the NHS number system {fhir.NHS_NUMBER_SYSTEM} is searchable",
            ["identifier"],
        )
    try:
        number = nhs_number.validate(value)
    except nhs_number.InvalidNHSNumber as exc:
        raise FhirError(400, "invalid", str(exc), ["identifier"]) from exc
    require_section(request.user, Section.IDENTIFIERS)  # finding by number is seeing it
    found = list(
        visible_patients(Patient.objects.all(), request.user)
        .filter(nhs_number=number)
        .select_related("registered_practice")
    )
    audit.record(
        user=request.user,
        action=AuditAction.SEARCH,
        purpose=Purpose.FHIR_SEARCH_PATIENT,
        patient_id=found[0].pk if found else None,
        detail={"patients_shown": [p.pk for p in found]},
    )
    return [fhir.patient(p, sections_for(request.user)) for p in found]


def _care_plan_read(request: HttpRequest, id: str) -> Any:
    plan = (
        CarePlan.objects.filter(pk=_int_id(id, "id")).select_related("team__organisation").first()
    )
    if plan is None:
        raise FhirError(404, "not-found", f"CarePlan/{id} is not found")
    _open(
        request, plan.patient_id, Purpose.FHIR_READ_CARE_PLAN, f"CarePlan/{id}", Section.CARE_PLANS
    )
    return fhir.care_plan(plan)


def _care_plan_search(request: HttpRequest) -> list[Any]:
    patient = _patient_search_target(request, Purpose.FHIR_SEARCH_CARE_PLAN, Section.CARE_PLANS)
    plans = patient.care_plans.select_related("team__organisation").prefetch_related(
        "interventions"
    )
    return [fhir.care_plan(p) for p in plans.order_by("pk")]


def _care_team_read(request: HttpRequest, id: str) -> Any:
    number = _int_id(id, "id")
    patient = _open(
        request, number, Purpose.FHIR_READ_CARE_TEAM, f"CareTeam/{number}", Section.CARE_TEAM
    )
    return fhir.care_team(
        patient,
        list(patient.care_team.filter(ended_on__isnull=True).select_related("organisation")),
    )


def _care_team_search(request: HttpRequest) -> list[Any]:
    patient = _patient_search_target(request, Purpose.FHIR_SEARCH_CARE_TEAM, Section.CARE_TEAM)
    return [
        fhir.care_team(
            patient,
            list(patient.care_team.filter(ended_on__isnull=True).select_related("organisation")),
        )
    ]


def _visit_read(
    kind: str, to_fhir: Callable[[Visit], Any], completed_only: bool
) -> Callable[[HttpRequest, str], Any]:
    def read(request: HttpRequest, id: str) -> Any:
        visits = Visit.objects.select_related("team__organisation", "assigned_to__user")
        if completed_only:
            visits = visits.filter(status="completed")
        visit = visits.filter(pk=_int_id(id, "id")).first()
        if visit is None:
            raise FhirError(404, "not-found", f"{kind}/{id} is not found")
        _open(
            request, visit.patient_id, Purpose(f"FHIR read {kind}"), f"{kind}/{id}", Section.VISITS
        )
        return to_fhir(visit)

    return read


def _visit_search(
    kind: str, to_fhir: Callable[[Visit], Any], completed_only: bool
) -> Callable[[HttpRequest], list[Any]]:
    def search(request: HttpRequest) -> list[Any]:
        patient = _patient_search_target(request, Purpose(f"FHIR search {kind}"), Section.VISITS)
        visits = patient.visits.select_related("team__organisation", "assigned_to__user").order_by(
            "window_start", "pk"
        )
        visits = (
            visits.filter(status="completed")
            if completed_only
            else visits.exclude(status="completed")
        )
        return [to_fhir(v) for v in visits[:500]]

    return search


_visit_encounter_read = _visit_read("Encounter", fhir.encounter, True)
_visit_encounter_search = _visit_search("Encounter", fhir.encounter, True)


def _hospital_stay_read(request: HttpRequest, number: int, id: str) -> Any:
    stay = HospitalStay.objects.select_related("hospital").filter(pk=number).first()
    if stay is None:
        raise FhirError(404, "not-found", f"Encounter/{id} is not found")
    _open(request, stay.patient_id, Purpose.FHIR_READ_ENCOUNTER, f"Encounter/{id}", Section.VISITS)
    return hospital_encounters.to_fhir(stay)


def _encounter_read(request: HttpRequest, id: str) -> Any:
    """A completed visit (a numeric id), a ward stay (``ward-stay-<n>``) or a hospital stay
    (``hospital-stay-<n>``, where a hospital's POST says it is)."""
    hospital_stay = ward_stays.prefixed_id(id, hospital_encounters.PREFIX)
    if hospital_stay is not None:
        return _hospital_stay_read(request, hospital_stay, id)
    number = ward_stays.prefixed_id(id)
    if number is None:
        return _visit_encounter_read(request, id)
    stay = (
        WardStay.objects.select_related("ward__service__provider", "pathway")
        .filter(pk=number)
        .first()
    )
    if stay is None:
        raise FhirError(404, "not-found", f"Encounter/{id} is not found")
    _open(request, stay.patient_id, Purpose.FHIR_READ_ENCOUNTER, f"Encounter/{id}", Section.VISITS)
    return ward_stays.encounter(stay)


def _encounter_search(request: HttpRequest) -> list[Any]:
    """Completed visits, then ward stays (the search opens the person once, audited)."""
    visits = _visit_encounter_search(request)
    stays = WardStay.objects.filter(patient_id=_patient_param(request)).select_related(
        "ward__service__provider", "pathway"
    )
    return visits + [ward_stays.encounter(s) for s in stays.order_by("admitted_at", "pk")[:100]]


RESOURCES: dict[
    str, tuple[Callable[[HttpRequest, str], Any], Callable[[HttpRequest], list[Any]]]
] = {
    "Patient": (_patient_read, _patient_search),
    "CarePlan": (_care_plan_read, _care_plan_search),
    "CareTeam": (_care_team_read, _care_team_search),
    # Planned visits are Appointments; completed visits are Encounters.
    "Appointment": (
        _visit_read("Appointment", fhir.appointment, False),
        _visit_search("Appointment", fhir.appointment, False),
    ),
    "HealthcareService": (healthcare_services.read, healthcare_services.search),
    "ServiceRequest": (
        lambda request, id: service_requests.read(request, id, _open),
        lambda request: service_requests.search(request, _open),
    ),
    "Encounter": (_encounter_read, _encounter_search),
    # Terminology: no person's data, so no access door; a bearer token is still needed.
    "CodeSystem": (terminology.read_code_system, terminology.search_code_systems),
    "ConceptMap": (terminology.read_concept_map, terminology.search_concept_maps),
}


# What a client may create: a referral, and a hospital's stay (the discharge list).
CREATORS: dict[str, Callable[[HttpRequest], tuple[Any, bool]]] = {
    "ServiceRequest": service_requests.create,
    "Encounter": hospital_encounters.create,
}


def _resource_type(
    name: str,
) -> tuple[Callable[[HttpRequest, str], Any], Callable[[HttpRequest], list[Any]]]:
    if name not in RESOURCES:
        raise FhirError(404, "not-supported", f"Resource type {name} is not supported here")
    return RESOURCES[name]


def _only_get(request: HttpRequest) -> None:
    if request.method not in {"GET", "HEAD"}:
        raise FhirError(405, "not-supported", f"{request.method} is not supported on this endpoint")


@fhir_endpoint
def read(request: HttpRequest, resource_type: str, id: str) -> HttpResponse:
    _only_get(request)
    reader, _ = _resource_type(resource_type)
    return fhir_response(reader(request, id))


@fhir_endpoint
def search(request: HttpRequest, resource_type: str) -> HttpResponse:
    if request.method == "POST" and resource_type in CREATORS:
        resource, created = CREATORS[resource_type](request)
        location = f"{_base(request)}/{resource_type}/{resource.id}"
        return fhir_response(
            resource, status=201 if created else 200, headers={"Location": location}
        )
    _only_get(request)
    _, searcher = _resource_type(resource_type)
    return fhir_response(searchset(_base(request), searcher(request)))
