"""Why a person who no longer meets the criteria to reside is still in hospital: the six
families of delay reason of NHS England's acute discharge situation report, each with the
reasons a ward records. Codes are stored: a code is never reused; a label may be reworded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DelayReason:
    code: str
    family: str
    words: str


HOSPITAL_PROCESS = "Hospital process"
HUB_PROCESS = "Care transfer hub process"
INTERFACE = "Interface"
CAPACITY = "Capacity"
FUNDING = "Funding"
WELLBEING = "Patient and family wellbeing"
FAMILIES = (HOSPITAL_PROCESS, HUB_PROCESS, INTERFACE, CAPACITY, FUNDING, WELLBEING)

REASONS: dict[str, DelayReason] = {
    r.code: r
    for r in (
        DelayReason("awaiting-medical-decision", HOSPITAL_PROCESS, "Awaiting a medical decision or the discharge summary"),
        DelayReason("awaiting-therapy", HOSPITAL_PROCESS, "Awaiting a therapy decision or assessment"),
        DelayReason("awaiting-medicines", HOSPITAL_PROCESS, "Awaiting medicines to take home"),
        DelayReason("awaiting-transport", HOSPITAL_PROCESS, "Awaiting transport"),
        DelayReason("awaiting-hub-decision", HUB_PROCESS, "Awaiting the care transfer hub's decision"),
        DelayReason("awaiting-referral", HUB_PROCESS, "Awaiting a referral to be made or accepted"),
        DelayReason("awaiting-provider-confirmation", INTERFACE, "Awaiting a provider to confirm it can take the person"),
        DelayReason("awaiting-equipment", INTERFACE, "Awaiting equipment or adaptations at home"),
        DelayReason("awaiting-home-care", CAPACITY, "Awaiting home care or reablement to start (pathway 1)"),
        DelayReason("awaiting-community-bed", CAPACITY, "Awaiting a community rehabilitation or assessment bed (pathway 2)"),
        DelayReason("awaiting-care-home", CAPACITY, "Awaiting a care home place (pathway 3)"),
        DelayReason("awaiting-funding", FUNDING, "Awaiting a funding decision (NHS continuing healthcare or social care)"),
        DelayReason("patient-family-choice", WELLBEING, "Awaiting the person's or family's choice"),
        DelayReason("safeguarding", WELLBEING, "A safeguarding concern or a court decision"),
        DelayReason("housing", WELLBEING, "Homeless, or no home the person can return to"),
    )
}  # fmt: skip
