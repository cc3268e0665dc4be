"""Referral reasons in SNOMED CT, as UK Core expects of ``ServiceRequest.reasonCode``, mapped
to the presenting needs the triage rules and the directory work from.

A sender may code a referral with Wraparound's own presenting-need codes, with SNOMED CT, or
both. Each SNOMED CT concept here maps to exactly one presenting need; an unknown one is
refused naming the code, never silently dropped (a dropped "fall" would lose a 2-hour
response). The mapping is published as a FHIR ConceptMap and the needs as a CodeSystem
(``fhir/terminology.py``). Concept ids and preferred terms are from the SNOMED CT
international release, as used in the UK edition; the list is deliberately short and is
extended only with concepts checked against the release a deployment uses.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .triage import Need

SNOMED_CT = "http://snomed.info/sct"


@dataclass(frozen=True)
class Mapping:
    code: str
    display: str
    need: Need


SNOMED_TO_NEED: dict[str, Mapping] = {
    m.code: m
    for m in (
        Mapping("1912002", "Fall", Need.FALL),
        Mapping("217082002", "Accidental fall", Need.FALL),
        Mapping("248279007", "Frailty", Need.FRAILTY_DECOMPENSATION),
        Mapping("2776000", "Delirium", Need.CONFUSION_DELIRIUM),
        Mapping("286933003", "Confusional state", Need.CONFUSION_DELIRIUM),
        Mapping("103735009", "Palliative care", Need.PALLIATIVE_CRISIS),
        Mapping("225358003", "Wound care", Need.WOUND_CARE),
    )
}
# The concept a referral's need is sent out as, where it has one (the first listed).
NEED_TO_SNOMED: dict[str, Mapping] = {}
for _mapping in SNOMED_TO_NEED.values():
    NEED_TO_SNOMED.setdefault(_mapping.need, _mapping)


class UnknownReasonCode(ValueError):
    """A SNOMED CT reason code this server does not map to a presenting need."""

    def __init__(self, codes: list[str]) -> None:
        super().__init__(
            f"SNOMED CT reason code {', '.join(codes)} is not mapped to a presenting need: "
            f"send one of {', '.join(sorted(SNOMED_TO_NEED))}, or a presenting-need code"
        )
        self.codes = codes


def needs_from_snomed(codes: Iterable[str]) -> list[str]:
    """The presenting needs for these SNOMED CT codes; UnknownReasonCode names any unmapped."""
    codes = list(codes)
    unknown = [c for c in codes if c not in SNOMED_TO_NEED]
    if unknown:
        raise UnknownReasonCode(unknown)
    needs: list[str] = []
    for code in codes:
        need = str(SNOMED_TO_NEED[code].need)
        if need not in needs:
            needs.append(need)
    return needs
