"""The one list of presenting needs: what a referrer ticks, what triage reads and what a
service in the directory says it meets.

One list, so that a referral's needs are matched to services without translation: a need
ticked on the referral form is, code for code, a need a service can be profiled for. Triage
(``referrals.triage``) decides the urgency from these codes; the directory
(``directory.search``) offers the services that meet at least one of them and names the ones
they do not. The codes are stored in referrals, services and gaps, so a code is never reused
for a different need; a label may be reworded.
"""

from __future__ import annotations

from django.db.models import TextChoices


class Need(TextChoices):
    """A presenting need, as a referrer ticks it and a service is profiled for it."""

    # The urgent community response's crisis scope (2 hours).
    FALL = "fall", "Fall with no apparent serious injury"
    FRAILTY_DECOMPENSATION = "frailty_decompensation", "Decompensation of frailty"
    REDUCED_FUNCTION = "reduced_function", "Reduced function, deconditioning or mobility"
    PALLIATIVE_CRISIS = "palliative_crisis", "Palliative or end-of-life crisis"
    URGENT_EQUIPMENT = "urgent_equipment", "Urgent equipment"
    CONFUSION_DELIRIUM = "confusion_delirium", "Confusion or delirium"
    URGENT_CATHETER = "urgent_catheter", "Urgent catheter care"
    URGENT_DIABETES = "urgent_diabetes", "Urgent diabetes support"
    CARER_BREAKDOWN = "carer_breakdown", "Unpaid carer breakdown"
    # Urgent, outside the community response's scope.
    BREATHLESSNESS = "breathlessness", "Breathlessness"
    MENTAL_HEALTH_CRISIS = "mental_health_crisis", "Mental health crisis"
    # Reablement (2 days).
    REABLEMENT = "reablement", "Reablement to regain independence at home"
    # Routine, each with its own target.
    REMOTE_MONITORING = "remote_monitoring", "Hospital-level care at home (monitoring)"
    UNABLE_TO_MANAGE = "unable_to_manage", "Unable to manage at home"
    WOUND_CARE = "wound_care", "Wound care"
    MEDICATION_SUPPORT = "medication_support", "Medication support"
    CONTINENCE = "continence", "Continence assessment"
    LONG_TERM_CONDITION = "long_term_condition", "Long-term condition review"
    SOCIAL_SUPPORT = "social_support", "Social or practical support"
    LONELINESS = "loneliness", "Loneliness and isolation"
    FALLS_PREVENTION = "falls_prevention", "Falls prevention (strength, balance, home hazards)"
    BRIDGING_CARE = "bridging_care", "Bridging care at home until a care package starts"
    OTHER = "other", "Other (described in the summary)"


# The codes the directory used before the lists were one, and the need each became. Kept for
# the migration that renamed them and for anyone reading an old gap report.
FORMER_DIRECTORY_CODES: dict[str, str] = {
    "fall_no_injury": Need.FALL,
    "crisis_at_home": Need.FRAILTY_DECOMPENSATION,
    "delirium": Need.CONFUSION_DELIRIUM,
    "diabetes_support": Need.URGENT_DIABETES,
    "palliative_support": Need.PALLIATIVE_CRISIS,
    "rehabilitation": Need.REDUCED_FUNCTION,
    "social_care": Need.SOCIAL_SUPPORT,
    "medicines": Need.MEDICATION_SUPPORT,
}
