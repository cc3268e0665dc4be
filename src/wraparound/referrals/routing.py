"""From a referral to the directory: its needs and urgency in the directory's words, and the
services that can take the person now (with why the others cannot)."""

from __future__ import annotations

import datetime as dt

from wraparound.directory.models import Urgency as ServiceUrgency
from wraparound.directory.search import SearchResult, eligible_services

from .models import Referral
from .triage import Need, Urgency

SERVICE_URGENCY = {
    Urgency.TWO_HOUR: ServiceUrgency.TWO_HOUR,
    Urgency.TWO_DAY: ServiceUrgency.TWO_DAY,
    Urgency.ROUTINE: ServiceUrgency.ROUTINE,
}


def service_needs(needs: list[str]) -> list[str]:
    """The needs a service could meet, in the referral's order: the referral form and the
    directory share one list (``wraparound.needs``), so only "other", which describes
    nothing a service can be profiled for, is left out."""
    found: list[str] = []
    for need in needs:
        if need != Need.OTHER and need not in found:
            found.append(need)
    return found


def services_for(referral: Referral, when: dt.datetime) -> SearchResult | None:
    """The directory's answer for this referral, or None before triage or with no mappable need."""
    needs = service_needs(list(referral.needs))
    if not referral.urgency or not needs:
        return None
    return eligible_services(
        referral.patient, needs, SERVICE_URGENCY[Urgency(referral.urgency)], when
    )
