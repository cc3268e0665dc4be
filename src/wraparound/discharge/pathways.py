"""What each discharge-to-assess pathway asks of the community, in the front door's needs:
the referral the hospital sends the care transfer hub, and what the directory is searched
for. Pathway 0 (home, no new support) needs no referral."""

from __future__ import annotations

from wraparound.needs import Need

PATHWAY_NEEDS: dict[str, tuple[str, ...]] = {
    "0": (),
    "1": (Need.REABLEMENT,),  # home with new support: reablement, home care, a virtual ward
    "2": (Need.REDUCED_FUNCTION,),  # a bed for rehabilitation or assessment
    "3": (Need.UNABLE_TO_MANAGE,),  # a care home: social care assessment and placement
}
