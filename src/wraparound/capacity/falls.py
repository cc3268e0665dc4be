"""The falls response's rules, in plain functions: which level a call is, and what a
clinician confirms before a faller is left at home.

The questions are those a call handler asks of a fall with no apparent serious injury. Any
red flag (the I-STUMBLE checks that community responders use before helping someone up)
means the fall is not for this pathway: it is a 999 ambulance response.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# I-STUMBLE: if any is present, do not lift; call 999.
RED_FLAGS: dict[str, str] = {
    "intense_pain": "Intense pain that was not there before the fall",
    "suspected_collapse": "Suspected collapse: a blackout or chest pain before the fall",
    "trouble_breathing": "Trouble breathing",
    "unresponsive": "Unresponsive, or newly confused and drowsy",
    "marked_deformity": "Marked deformity, or a suspected fracture",
    "blood_loss": "Blood loss that does not stop",
    "head_injury": "Lying with a head injury (or any head injury on blood thinners)",
    "new_stroke": "Evidence of a new stroke",
}
# Either makes it level 2: a clinician is sent, not a volunteer.
NEEDS_A_CLINICIAN: dict[str, str] = {
    "minor_injury": "A minor injury (a graze, bruising, a small cut)",
    "needs_assessment": "Unwell, or a fall with no clear cause, or several falls lately",
}
# What the remote clinician confirms, with the responder on scene, to leave someone at home.
CHECKLIST: dict[str, str] = {
    "red_flags_clear": "No I-STUMBLE red flag on scene",
    "observations_normal": "Observations taken on scene are within the person's normal range",
    "mobile_after_lift": "Walks or transfers safely after being helped up",
    "safe_at_home": "Safe to stay at home: someone with them, or able to summon help",
    "cause_understood": "The fall has a cause that needs no urgent treatment",
}


class NotForFallsResponse(ValueError):
    """A fall with a red flag: an ambulance's, not the falls response's."""

    def __init__(self, flags: list[str]) -> None:
        self.flags = flags
        words = "; ".join(RED_FLAGS[f] for f in flags)
        super().__init__(f"Call 999: this fall has a red flag ({words})")


@dataclass(frozen=True)
class FallTriage:
    level: int
    reason: str


def _yes(answers: Mapping[str, object], key: str) -> bool:
    return answers.get(key) is True


def triage_fall(answers: Mapping[str, object]) -> FallTriage:
    """Level 1 (uninjured, needs help up) or 2 (minor injury, or needs assessing).

    Raises ``NotForFallsResponse`` for a red flag, and ValueError naming an unknown question.
    """
    if unknown := sorted(set(answers) - set(RED_FLAGS) - set(NEEDS_A_CLINICIAN)):
        raise ValueError(f"{unknown[0]}: not a falls triage question")
    if flags := [f for f in RED_FLAGS if _yes(answers, f)]:
        raise NotForFallsResponse(flags)
    if reasons := [NEEDS_A_CLINICIAN[k] for k in NEEDS_A_CLINICIAN if _yes(answers, k)]:
        return FallTriage(2, "; ".join(reasons))
    return FallTriage(1, "Uninjured and needs help up")


def unconfirmed(checklist: Mapping[str, object]) -> list[str]:
    """The checklist's items not confirmed (each must be True to leave someone at home)."""
    return [item for item in CHECKLIST if checklist.get(item) is not True]
