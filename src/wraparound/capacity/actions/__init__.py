"""Every change of state in capacity: admissions and discharges (which move a ward's census
and the directory's capacity with it), fall calls from the call to the clinician's sign-off,
a responder's availability, and the counts the board reads. Atomic, audited,
permission-checked, with a typed actor.
"""

from .counts import record_crews_on_shift, record_demand_hours
from .falls import (
    CLOCKS,
    record_fall_clock,
    set_responder_availability,
    sign_off_fall,
    take_fall_call,
)
from .wards import (
    MEDICATION_CHANGES,
    admit_to_ward,
    discharge_from_ward,
    set_ward_places,
    sync_directory,
)

__all__ = [
    "CLOCKS",
    "MEDICATION_CHANGES",
    "admit_to_ward",
    "discharge_from_ward",
    "record_crews_on_shift",
    "record_demand_hours",
    "record_fall_clock",
    "set_responder_availability",
    "set_ward_places",
    "sign_off_fall",
    "sync_directory",
    "take_fall_call",
]
