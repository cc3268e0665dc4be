"""Where a person goes when they leave hospital: the NHS Data Dictionary's discharge
destination codes (Discharge Destination Code, Hospital Provider Spell), which UK Core's
Encounter carries in ``hospitalization.dischargeDisposition`` from the CodeSystem
``UKCore-DischargeDestinationEngland`` (HL7 UK, version 1.0.1, copied from the Data Dictionary
on 18 November 2021). The codes and their meanings are in ``discharge_destinations.csv``
beside this module, shortened only in wording."""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

SYSTEM = "https://fhir.hl7.org.uk/CodeSystem/UKCore-DischargeDestinationEngland"


@cache
def destinations() -> dict[str, str]:
    """Code -> what it means, in the file's order."""
    with (Path(__file__).parent / "discharge_destinations.csv").open(newline="") as f:
        return {row["code"]: row["display"] for row in csv.DictReader(f)}
