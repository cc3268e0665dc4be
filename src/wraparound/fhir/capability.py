"""``GET /fhir/metadata``: what this server supports, as a CapabilityStatement."""

from __future__ import annotations

from fhir.resources.R4B.capabilitystatement import CapabilityStatement

SEARCH_PARAMS = {
    "Patient": [("identifier", "token", "NHS number: https://fhir.nhs.uk/Id/nhs-number|<number>")],
    "CarePlan": [("patient", "reference", "The person the plan is for")],
    "CareTeam": [("patient", "reference", "The person the team is around")],
    "Appointment": [("patient", "reference", "Planned (not yet completed) visits of a person")],
    "Encounter": [("patient", "reference", "Completed visits and ward stays of a person")],
    "HealthcareService": [
        ("type", "token", "DoS service type id, or Wraparound's service type code"),
        ("location", "string", "A neighbourhood the service covers (code or name)"),
        ("name", "string", "Part of the service's name"),
    ],
    "ServiceRequest": [
        ("patient", "reference", "Referrals for a person"),
        ("status", "token", "active | completed | revoked"),
        ("authored", "date", "When the referral was received (ge, le, gt, lt, eq prefixes)"),
        ("priority", "token", "stat (2-hour) | urgent (2-day) | routine"),
    ],
    "CodeSystem": [],
    "ConceptMap": [],
}
PROFILES = {
    "Patient": "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Patient",
}


def capability_statement(base_url: str) -> CapabilityStatement:
    resources = []
    for name, params in SEARCH_PARAMS.items():
        entry = {
            "type": name,
            "interaction": [{"code": "read"}, {"code": "search-type"}]
            + ([{"code": "create"}] if name in ("ServiceRequest", "Encounter") else []),
            "searchParam": [{"name": n, "type": t, "documentation": d} for n, t, d in params],
        }
        if name in PROFILES:
            entry["profile"] = PROFILES[name]
        resources.append(entry)
    return CapabilityStatement.model_validate(
        {
            "resourceType": "CapabilityStatement",
            "status": "active",
            "date": "2026-11-22",
            "kind": "instance",
            "software": {"name": "Wraparound", "version": "0.1.0"},
            "implementation": {"description": "Wraparound FHIR R4 API", "url": base_url},
            "fhirVersion": "4.0.1",
            "format": ["application/fhir+json"],
            "rest": [
                {
                    "mode": "server",
                    "security": {
                        "description": "Bearer token (wraparound token USERNAME); every read goes through the access policy and is audited."
                    },
                    "resource": resources,
                }
            ],
        }
    )
