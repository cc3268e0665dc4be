"""What each discharge-to-assess pathway asks of the community, in the front door's needs:
the referral the hospital sends the care transfer hub, and what the directory is searched
for. Pathway 0 (home, no new support) needs no referral."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from wraparound.directory.models import Urgency
from wraparound.directory.search import SearchResult, eligible_services
from wraparound.needs import Need

if TYPE_CHECKING:
    from .models import HospitalStay

PATHWAY_NEEDS: dict[str, tuple[str, ...]] = {
    "0": (),
    "1": (Need.REABLEMENT,),  # home with new support: reablement, home care, a virtual ward
    "2": (Need.REDUCED_FUNCTION,),  # a bed for rehabilitation or assessment
    "3": (Need.UNABLE_TO_MANAGE,),  # a care home: social care assessment and placement
}


def bridging_answer(stay: HospitalStay, when: dt.datetime) -> SearchResult:
    """The directory's answer for bridging care at home for this person: short-term care from
    the day they leave until their package starts."""
    return eligible_services(stay.patient, [Need.BRIDGING_CARE], Urgency.ROUTINE, when)
