"""The caseload's models: people and their conditions, caseloads and care teams, care plans,
visits, handover notes and advice requests."""

from .advice import AdviceRequest, AdviceStatus, AdviceUrgency, HandoverNote
from .care_plans import CarePlan, Goal, Intervention, InterventionKind, Recurrence, TeamClosure
from .people import (
    CareTeamMember,
    CaseloadEntry,
    CodeSystem,
    Condition,
    EmergencyAdmission,
    Patient,
    Sex,
    validate_nhs_number,
)
from .visits import MissedReason, OutcomeCorrection, Visit, VisitStatus

__all__ = [
    "AdviceRequest",
    "AdviceStatus",
    "AdviceUrgency",
    "CarePlan",
    "CareTeamMember",
    "CaseloadEntry",
    "CodeSystem",
    "Condition",
    "EmergencyAdmission",
    "Goal",
    "HandoverNote",
    "Intervention",
    "InterventionKind",
    "MissedReason",
    "OutcomeCorrection",
    "Patient",
    "Recurrence",
    "Sex",
    "TeamClosure",
    "Visit",
    "VisitStatus",
    "validate_nhs_number",
]
