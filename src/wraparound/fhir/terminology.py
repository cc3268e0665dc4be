"""The presenting needs as a FHIR CodeSystem, and SNOMED CT to them as a ConceptMap."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from fhir.resources.R4B.codesystem import CodeSystem
from fhir.resources.R4B.conceptmap import ConceptMap

from wraparound.referrals.coding import SNOMED_CT, SNOMED_TO_NEED
from wraparound.referrals.triage import Need

from .outcomes import FhirError

NEED_SYSTEM = "https://wraparound.example.org/CodeSystem/presenting-need"
CONCEPT_MAP_URL = "https://wraparound.example.org/ConceptMap/snomed-to-presenting-need"
PUBLISHED = "2026-12-01"


def code_system() -> CodeSystem:
    return CodeSystem.model_validate(
        {
            "resourceType": "CodeSystem",
            "id": "presenting-need",
            "url": NEED_SYSTEM,
            "name": "PresentingNeed",
            "title": "Presenting needs at the front door",
            "status": "active",
            "date": PUBLISHED,
            "content": "complete",
            "caseSensitive": True,
            "description": "What a referrer says a person needs; triage and the directory of "
            "services work from these codes.",
            "concept": [{"code": str(code), "display": str(label)} for code, label in Need.choices],
        }
    )


def concept_map() -> ConceptMap:
    return ConceptMap.model_validate(
        {
            "resourceType": "ConceptMap",
            "id": "snomed-to-presenting-need",
            "url": CONCEPT_MAP_URL,
            "name": "SnomedToPresentingNeed",
            "title": "SNOMED CT referral reasons to presenting needs",
            "status": "active",
            "date": PUBLISHED,
            "sourceUri": SNOMED_CT,
            "targetUri": NEED_SYSTEM,
            "group": [
                {
                    "source": SNOMED_CT,
                    "target": NEED_SYSTEM,
                    "element": [
                        {
                            "code": m.code,
                            "display": m.display,
                            "target": [
                                {
                                    "code": str(m.need),
                                    "display": str(m.need.label),
                                    "equivalence": "wider",
                                }
                            ],
                        }
                        for m in SNOMED_TO_NEED.values()
                    ],
                }
            ],
        }
    )


def _one(resource: Any, id: str) -> Any:
    if id != resource.id:
        raise FhirError(404, "not-found", f"{resource.get_resource_type()}/{id} is not found")
    return resource


def read_code_system(request: HttpRequest, id: str) -> CodeSystem:
    return _one(code_system(), id)


def search_code_systems(request: HttpRequest) -> list[CodeSystem]:
    return [code_system()]


def read_concept_map(request: HttpRequest, id: str) -> ConceptMap:
    return _one(concept_map(), id)


def search_concept_maps(request: HttpRequest) -> list[ConceptMap]:
    return [concept_map()]
