"""About 90 days of referral history for the demo place, deterministic from the build's rng.

Each recent admission to a community caseload arrived as a referral (now accepted);
older referrals were completed (their caseload entries discharged) or returned to
the referrer; the last two days hold referrals still on their way. Some were
declined and redirected, a few were overridden by a clinician, a few are flagged
as likely duplicates. Rows are written in bulk: the history adds well under a second.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from wraparound.caseload.models import CaseloadEntry, Patient
from wraparound.organisations.models import Team
from wraparound.referrals.lifecycle import OPEN_STATUSES, Status
from wraparound.referrals.models import EventKind, Referral, ReferralEvent, Source
from wraparound.referrals.triage import TWO_HOUR_NEEDS, Need, due_for, triage
from wraparound.workforce.models import StaffMember

DAYS = 90
DAILY_REFERRALS_PER_50K = 12  # besides those behind today's caseload admissions
IN_FLIGHT_DAYS = 3  # referrals of the last days are still on their way, in every open state
IN_FLIGHT = [Status.OFFERED, Status.TRIAGED, Status.DECLINED, Status.RECEIVED, Status.OFFERED]
SENDERS = {  # source -> the demo user who sends from there
    Source.GP: "gp",
    Source.HOSPITAL_DISCHARGE: "hospital",
    Source.AMBULANCE: "paramedic",
    Source.SOCIAL_CARE: "socialworker",
    Source.OTHER: "volunteer",
    Source.NHS_111: "coordinator",
    Source.SELF: "coordinator",
}
SOURCE_WEIGHTS = {
    Source.GP: 40,
    Source.HOSPITAL_DISCHARGE: 20,
    Source.AMBULANCE: 12,
    Source.SOCIAL_CARE: 10,
    Source.NHS_111: 8,
    Source.SELF: 6,
    Source.OTHER: 4,
}
ROUTINE_NEEDS = [
    Need.WOUND_CARE,
    Need.MEDICATION_SUPPORT,
    Need.CONTINENCE,
    Need.LONG_TERM_CONDITION,
]
CRISIS_NEEDS = sorted(TWO_HOUR_NEEDS)
DESTINATIONS = ["the referring GP practice", "NHS 111", "the hospital discharge team"]
DECLINE_REASONS = [
    "No capacity in the team today",
    "Needs are outside this team's service",
    "Person lives outside the team's area",
]
SUMMARIES = {
    Need.FALL: "Fell at home, no apparent injury, unable to get up unaided.",
    Need.FRAILTY_DECOMPENSATION: "Frailer over the last few days, eating and drinking less.",
    Need.REDUCED_FUNCTION: "Struggling to walk and transfer since a chest infection.",
    Need.PALLIATIVE_CRISIS: "End of life, family worried about pain overnight.",
    Need.URGENT_EQUIPMENT: "Needs a commode and a raised toilet seat today.",
    Need.CONFUSION_DELIRIUM: "More confused than usual since yesterday.",
    Need.URGENT_CATHETER: "Catheter blocked, bypassing.",
    Need.URGENT_DIABETES: "High sugars, insulin regime unclear to the carer.",
    Need.CARER_BREAKDOWN: "Husband, the main carer, admitted to hospital.",
    Need.REABLEMENT: "Home from hospital, needs help to regain independence.",
    Need.WOUND_CARE: "Leg ulcer needs dressing.",
    Need.MEDICATION_SUPPORT: "Needs support to manage new medicines.",
    Need.CONTINENCE: "New urinary incontinence, needs assessment.",
    Need.LONG_TERM_CONDITION: "Heart failure review at home.",
}


@dataclass
class _History:
    rng: random.Random
    today: dt.date
    senders: dict[str, Any]
    leaders: dict[int, Any]
    coordinator: Any
    teams: dict[str, Team]
    central: set[int]
    referrals: list[Referral] = field(default_factory=list)
    paths: list[list[tuple[str, str, str, dt.datetime, Team | None, str]]] = field(
        default_factory=list
    )
    entries: list[CaseloadEntry] = field(default_factory=list)

    def moment(self, day: dt.date) -> dt.datetime:
        minutes = self.rng.randint(8 * 60, 20 * 60 - 1)  # UCR hours: 8am to 8pm
        naive = dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60))
        return timezone.make_aware(naive)


def _needs_for(team: Team, rng: random.Random) -> list[str]:
    kind = team.service_kind
    if kind == "urgent_community_response":
        return sorted(set(rng.sample(CRISIS_NEEDS, rng.choice([1, 1, 1, 2]))))
    if kind == "therapy_and_reablement":
        return [Need.REABLEMENT]
    if kind == "social_care":
        return [Need.SOCIAL_SUPPORT]
    return sorted(set(rng.sample(ROUTINE_NEEDS, rng.choice([1, 1, 2]))))


def _team_for(needs: Sequence[str], patient: Patient, h: _History) -> Team:
    if set(needs) & TWO_HOUR_NEEDS:
        return h.teams["ucr"]
    if Need.REABLEMENT in needs:
        return h.teams["therapy-reablement"]
    central = patient.neighbourhood_id in h.central
    return h.teams["central-nursing" if central else "north-hills-nursing"]


def _add(
    h: _History,
    patient: Patient,
    needs: list[str],
    received: dt.datetime,
    outcome: str,
    *,
    team: Team,
    accepted_on: dt.date | None = None,
) -> Referral:
    """One referral and the path it took to ``outcome``."""
    rng = h.rng
    source = rng.choices(list(SOURCE_WEIGHTS), weights=list(SOURCE_WEIGHTS.values()))[0]
    sender = h.senders[SENDERS[source]]
    result = triage(needs, received)
    referral = Referral(
        patient=patient,
        referrer=sender,
        referring_organisation_id=sender.staff_member.organisation_id,
        source=source,
        received_at=received,
        needs=needs,
        clinical_summary=" ".join(SUMMARIES.get(n, "See the GP record.") for n in needs),
        urgency=result.urgency,
        due_at=result.due_at,
        triage_rule=result.rule,
        status=outcome,
        idempotency_key=f"demo-{len(h.referrals) + 1:06d}",
    )
    t = received + dt.timedelta(minutes=rng.randint(2, 20))
    path = [
        (EventKind.RECEIVED, "", Status.RECEIVED, received, None, ""),
        (EventKind.TRIAGED, Status.RECEIVED, Status.TRIAGED, t, None, ""),
    ]
    if outcome == Status.RECEIVED:
        referral.urgency, referral.due_at, referral.triage_rule = "", None, ""
        path = path[:1]
    elif rng.random() < 0.03:
        urgency = rng.choice(["2_hour", "2_day", "routine"])
        reason = "Clinician spoke to the family: urgency changed"
        referral.urgency, referral.override_reason = urgency, reason
        referral.due_at = due_for(urgency, needs, t)
        referral.triage_rule = f"overridden by Sam Okafor: {reason} (the rules said: {result.rule})"
        path.append((EventKind.OVERRIDDEN, Status.TRIAGED, Status.TRIAGED, t, None, reason))
    step = dt.timedelta(minutes=rng.randint(5, 40))
    if outcome in {Status.OFFERED, Status.DECLINED, Status.ACCEPTED, Status.COMPLETED}:
        redirects = 0
        if outcome != Status.DECLINED and rng.random() < 0.12:
            first = h.teams[
                rng.choice(["adult-social-care", "therapy-reablement", "north-hills-nursing"])
            ]
            if first.pk != team.pk:
                reason = rng.choice(DECLINE_REASONS)
                t += step
                path.append((EventKind.OFFERED, Status.TRIAGED, Status.OFFERED, t, first, ""))
                t += step
                path.append((EventKind.DECLINED, Status.OFFERED, Status.DECLINED, t, first, reason))
                referral.decline_reason = reason
                redirects = 1
        t += step
        path.append(
            (
                EventKind.REDIRECTED if redirects else EventKind.OFFERED,
                Status.DECLINED if redirects else Status.TRIAGED,
                Status.OFFERED,
                t,
                team,
                "",
            )
        )
        referral.offered_team, referral.redirect_count = team, redirects
        if outcome == Status.DECLINED:
            reason = rng.choice(DECLINE_REASONS)
            t += step
            path.append((EventKind.DECLINED, Status.OFFERED, Status.DECLINED, t, team, reason))
            referral.decline_reason = reason
    if outcome in {Status.ACCEPTED, Status.COMPLETED}:
        accepted = max(t + step, h.moment(accepted_on) if accepted_on else t + step)
        referral.accepted_at = accepted
        path.append((EventKind.ACCEPTED, Status.OFFERED, Status.ACCEPTED, accepted, team, ""))
        if outcome == Status.COMPLETED:
            days = rng.randint(1, 14) if team.code == "ucr" else rng.randint(7, 42)
            ended = min(accepted.date() + dt.timedelta(days=days), h.today - dt.timedelta(days=1))
            closed = max(h.moment(ended), accepted + dt.timedelta(hours=1))
            referral.closed_at = closed
            path.append((EventKind.COMPLETED, Status.ACCEPTED, Status.COMPLETED, closed, team, ""))
            h.entries.append(
                CaseloadEntry(
                    team=team,
                    patient=patient,
                    admitted_on=accepted.date(),
                    discharged_on=closed.date(),
                    reason=f"Referral: {'; '.join(Need(n).label for n in needs)}"[:200],
                )
            )
    if outcome == Status.RETURNED:
        reason = rng.choice(DECLINE_REASONS)
        t += step
        referral.decline_reason = reason
        referral.return_destination = rng.choice(DESTINATIONS)
        referral.closed_at = t
        path.append((EventKind.RETURNED, Status.TRIAGED, Status.RETURNED, t, None, reason))
    h.referrals.append(referral)
    h.paths.append(path)
    return referral


def _by(kind: str, team: Team | None, h: _History) -> Any:
    if kind in {EventKind.ACCEPTED, EventKind.DECLINED, EventKind.COMPLETED} and team is not None:
        return h.leaders.get(team.pk)
    if kind == EventKind.RECEIVED:
        return None
    return h.coordinator


def build_referral_history(
    *, rng: random.Random, today: dt.date, teams: dict[str, Team], residents_count: int
) -> None:
    users = {
        s.user.username: s.user
        for s in StaffMember.objects.select_related("user").filter(
            user__username__in=[*SENDERS.values(), "coordinator"]
        )
    }
    leaders = {
        s.team_id: s.user
        for s in StaffMember.objects.select_related("user")
        .filter(role="team_leader", team__isnull=False)
        .order_by("user__username")
    }
    central = set(teams["central-nursing"].neighbourhoods.values_list("pk", flat=True))
    h = _History(rng, today, users, leaders, users["coordinator"], teams, central)
    start = today - dt.timedelta(days=DAYS)
    # Recent admissions to a caseload came through the front door, and are accepted.
    recent = (
        CaseloadEntry.objects.filter(admitted_on__gte=start, discharged_on__isnull=True)
        .select_related("team", "patient")
        .order_by("pk")
    )
    for entry in recent:
        needs = _needs_for(entry.team, rng)
        received = h.moment(entry.admitted_on - dt.timedelta(days=rng.choice([0, 0, 1])))
        _add(
            h,
            entry.patient,
            needs,
            received,
            Status.ACCEPTED,
            team=entry.team,
            accepted_on=entry.admitted_on,
        )
    # Other people, referred and then cared for and discharged, returned, or still in flight.
    adults = list(
        Patient.objects.filter(date_of_birth__lte=today - dt.timedelta(days=65 * 365))
        .order_by("pk")
        .only("pk", "neighbourhood_id")
    )
    per_day = max(1, round(DAILY_REFERRALS_PER_50K * residents_count / 50_000))
    in_flight_count = 0
    accepted = list(h.referrals)
    for day_number in range(DAYS):
        day = start + dt.timedelta(days=day_number)
        in_flight = (today - day).days <= IN_FLIGHT_DAYS
        for _ in range(per_day):
            patient = rng.choice(adults)
            kind = rng.random()
            needs = (
                sorted(set(rng.sample(CRISIS_NEEDS, rng.choice([1, 1, 2]))))
                if kind < 0.45
                else [Need.REABLEMENT]
                if kind < 0.65
                else sorted(set(rng.sample(ROUTINE_NEEDS, 1)))
            )
            team = _team_for(needs, patient, h)
            roll = rng.random()
            if in_flight:
                outcome = IN_FLIGHT[in_flight_count % len(IN_FLIGHT)]
                in_flight_count += 1
                if in_flight_count % 4 == 0 and accepted:
                    # Sent again for someone already being cared for: a likely duplicate.
                    earlier = rng.choice(accepted)
                    patient, needs = earlier.patient, list(earlier.needs)
                    team = _team_for(needs, patient, h)
            else:
                outcome = Status.RETURNED if roll < 0.1 else Status.COMPLETED
            _add(h, patient, needs, h.moment(day), outcome, team=team)
    Referral.objects.bulk_create(h.referrals, batch_size=1000)
    _flag_likely_duplicates(h)
    ReferralEvent.objects.bulk_create(
        [
            ReferralEvent(
                referral=referral,
                occurred_at=when,
                kind=kind,
                from_status=before,
                to_status=after,
                by=_by(kind, team, h),
                team=team,
                reason=reason,
            )
            for referral, path in zip(h.referrals, h.paths, strict=True)
            for kind, before, after, when, team, reason in path
        ],
        batch_size=2000,
    )
    CaseloadEntry.objects.bulk_create(h.entries, batch_size=2000)


def _flag_likely_duplicates(h: _History) -> None:
    """Mark an open referral sharing a need with an earlier open one for the same person."""
    seen: dict[tuple[int, str], Referral] = {}
    flagged = []
    for referral in sorted(h.referrals, key=lambda r: (r.received_at, r.pk)):
        if referral.status not in OPEN_STATUSES:
            continue
        earlier = next(
            (
                seen[(referral.patient_id, n)]
                for n in referral.needs
                if (referral.patient_id, n) in seen
            ),
            None,
        )
        if earlier is not None:
            referral.possible_duplicate_of = earlier
            flagged.append(referral)
        for need in referral.needs:
            seen.setdefault((referral.patient_id, need), referral)
    Referral.objects.bulk_update(flagged, ["possible_duplicate_of"], batch_size=1000)
