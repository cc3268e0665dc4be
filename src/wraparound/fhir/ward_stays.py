"""A stay on a virtual ward or community bed as a FHIR ``Encounter``: class VR (virtual) for
a virtual ward, with its period and, once discharged, where the person went.

Its id is ``ward-stay-<n>`` beside the visits' numeric Encounter ids, so the two never meet.
"""

from __future__ import annotations

from fhir.resources.R4B.encounter import Encounter

from wraparound.capacity.models import Disposition, WardKind, WardStay

from .representations import organisation_ref, patient_ref

PREFIX = "ward-stay-"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
# FHIR's discharge-disposition codes for ours (http://terminology.hl7.org/CodeSystem/discharge-disposition).
DISPOSITION_CODES = {
    Disposition.HOME: ("home", "Home"),
    Disposition.HOME_WITH_SUPPORT: ("home", "Home"),
    Disposition.HOSPITAL: ("hosp", "Hospital"),
    Disposition.CARE_HOME: ("snf", "Skilled nursing facility"),
    Disposition.DIED: ("exp", "Expired"),
}


def prefixed_id(text: str, prefix: str = PREFIX) -> int | None:
    """The number in ``<prefix><n>``, or None for any other id."""
    number = text.removeprefix(prefix)
    return (
        int(number) if text.startswith(prefix) and number.isascii() and number.isdigit() else None
    )


def encounter(stay: WardStay) -> Encounter:
    virtual = stay.ward.kind == WardKind.VIRTUAL_WARD
    resource = {
        "resourceType": "Encounter",
        "id": f"{PREFIX}{stay.pk}",
        "status": "finished" if stay.discharged_at else "in-progress",
        "class": {"system": ACT_CODE, "code": "VR", "display": "virtual"}
        if virtual
        else {"system": ACT_CODE, "code": "IMP", "display": "inpatient encounter"},
        "type": [{"text": f"{stay.ward}: {stay.pathway}"}],
        "subject": patient_ref(stay.patient_id),
        "period": {
            "start": stay.admitted_at.isoformat(),
            "end": stay.discharged_at.isoformat() if stay.discharged_at else None,
        },
        "reasonCode": [{"text": stay.reason}],
        "serviceProvider": organisation_ref(stay.ward.service.provider),
    }
    if stay.discharged_at and stay.disposition:
        code, display = DISPOSITION_CODES[Disposition(stay.disposition)]
        resource["hospitalization"] = {
            "dischargeDisposition": {
                "coding": [
                    {
                        "system": "http://terminology.hl7.org/CodeSystem/discharge-disposition",
                        "code": code,
                        "display": display,
                    }
                ],
                "text": stay.get_disposition_display(),
            }
        }
    return Encounter.model_validate(resource)
