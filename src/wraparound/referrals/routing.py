"""From a referral to the directory: its needs and urgency in the directory's words, and the
services that can take the person now (with why the others cannot)."""

from __future__ import annotations

import datetime as dt

from wraparound.directory.models import Need as ServiceNeed
from wraparound.directory.models import Urgency as ServiceUrgency
from wraparound.directory.search import SearchResult, eligible_services

from .models import Referral
from .triage import Need, Urgency

# A referrer's presenting need, and the needs a service must meet for it.
SERVICE_NEEDS: dict[str, tuple[str, ...]] = {
    Need.FALL: (ServiceNeed.FALL_NO_INJURY,),
    # The directory profiles a frailty crisis by how it presents at home.
    Need.FRAILTY_DECOMPENSATION: (
        ServiceNeed.CRISIS_AT_HOME,
        ServiceNeed.BREATHLESSNESS,
        ServiceNeed.UNABLE_TO_MANAGE,
    ),
    Need.REDUCED_FUNCTION: (ServiceNeed.REHABILITATION,),
    Need.PALLIATIVE_CRISIS: (ServiceNeed.PALLIATIVE_SUPPORT,),
    Need.URGENT_EQUIPMENT: (ServiceNeed.URGENT_EQUIPMENT,),
    Need.CONFUSION_DELIRIUM: (ServiceNeed.DELIRIUM,),
    Need.URGENT_CATHETER: (ServiceNeed.URGENT_CATHETER,),
    Need.URGENT_DIABETES: (ServiceNeed.DIABETES_SUPPORT,),
    Need.CARER_BREAKDOWN: (ServiceNeed.CARER_BREAKDOWN,),
    Need.REABLEMENT: (ServiceNeed.REABLEMENT,),
    Need.WOUND_CARE: (ServiceNeed.WOUND_CARE,),
    Need.MEDICATION_SUPPORT: (ServiceNeed.MEDICINES,),
    Need.SOCIAL_SUPPORT: (ServiceNeed.SOCIAL_CARE,),
}
SERVICE_URGENCY = {
    Urgency.TWO_HOUR: ServiceUrgency.TWO_HOUR,
    Urgency.TWO_DAY: ServiceUrgency.TWO_DAY,
    Urgency.ROUTINE: ServiceUrgency.ROUTINE,
}


def service_needs(needs: list[str]) -> list[str]:
    """The directory needs for a referral's needs; needs with no service equivalent are dropped."""
    found: list[str] = []
    for need in needs:
        for service_need in SERVICE_NEEDS.get(need, ()):
            if service_need not in found:
                found.append(service_need)
    return found


def services_for(referral: Referral, when: dt.datetime) -> SearchResult | None:
    """The directory's answer for this referral, or None before triage or with no mappable need."""
    needs = service_needs(list(referral.needs))
    if not referral.urgency or not needs:
        return None
    return eligible_services(
        referral.patient, needs, SERVICE_URGENCY[Urgency(referral.urgency)], when
    )
