"""Every change of state in discharge: a stay received from the hospital (a CSV row or a FHIR
Encounter, both idempotent) or changed by its ward, the referral to the care transfer hub,
the hub's plan (the package and bridging care until it starts), and the days counted for the
metrics. Atomic, audited, permission-checked, with a typed actor.
"""

from .checks import hospital_of
from .hub import plan_discharge
from .stays import (
    StayReport,
    check_stay_report,
    receive_stay,
    record_hospital_days,
    refer_to_hub,
    update_stay,
)

__all__ = [
    "StayReport",
    "check_stay_report",
    "hospital_of",
    "plan_discharge",
    "receive_stay",
    "record_hospital_days",
    "refer_to_hub",
    "update_stay",
]
