"""A step of the demo place builder: a year of Friends and Family Test answers for the
visiting teams, "You said, we did", and the alliance's contract for this financial year,
with the users who keep and read it. Its own random numbers, drawn from the place's once,
so nothing built before it changes."""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from wraparound.caseload.programmes import add_months
from wraparound.contracts.models import Contract, ContractPartner, ContractThreshold
from wraparound.contracts.statements import months_complete, year_start
from wraparound.feedback.fft import Answer, themes_of
from wraparound.feedback.models import Response, YouSaidWeDid
from wraparound.feedback.reports import months_back
from wraparound.metrics.models import ContactRecord
from wraparound.organisations.models import Alliance, Organisation, Team

from .accounts import DemoUser, add_account

VISITING_TEAMS = ("central-nursing", "north-hills-nursing", "ucr", "therapy-reablement")
# How people answer a good community service: nationally about 93% positive.
ANSWER_WEIGHTS = {
    Answer.VERY_GOOD: 0.66,
    Answer.GOOD: 0.24,
    Answer.NEITHER: 0.03,
    Answer.POOR: 0.02,
    Answer.VERY_POOR: 0.02,
    Answer.DONT_KNOW: 0.03,
}
GOOD_WORDS = (
    "The nurse was so kind and explained everything to my wife.",
    "Always on time and friendly.",
    "My leg ulcer has healed at last, thank you all.",
    "They listened and let me decide what I wanted.",
    "Lovely caring staff, I felt respected.",
    "The physio got me walking to the shops again, my own independence back.",
    "",
    "",
)
POOR_WORDS = (
    "A different nurse every time, I had to explain it all again.",
    "Waited in all morning and nobody came until the afternoon.",
    "Nobody told me the visit was moved.",
    "The dressing was rushed.",
    "",
)


def _answers(rng: random.Random, count: int, dip: bool) -> list[Answer]:
    weights = dict(ANSWER_WEIGHTS)
    if dip:  # a month the team struggled: shows as special cause on its chart
        weights.update({Answer.VERY_GOOD: 0.38, Answer.POOR: 0.16, Answer.VERY_POOR: 0.12})
    return rng.choices(list(weights), weights=list(weights.values()), k=count)


def _feedback(rng: random.Random, today: dt.date, teams: dict[str, Team]) -> int:
    responses = []
    months = months_back(today, 12)
    for code in VISITING_TEAMS:
        team = teams[code]
        dip_month = months[7] if code == "north-hills-nursing" else None
        for month in months:
            last_day = today if month == months[-1] else add_months(month, 1) - dt.timedelta(days=1)
            for answer in _answers(rng, rng.randint(18, 45), dip=month == dip_month):
                words = POOR_WORDS if answer in {Answer.POOR, Answer.VERY_POOR} else GOOD_WORDS
                reason = rng.choice(words) if rng.random() < 0.5 else ""
                responses.append(
                    Response(
                        team=team,
                        answered_on=month + dt.timedelta(days=rng.randint(0, last_day.day - 1)),
                        month=month,
                        rating=answer.value,
                        reason=reason,
                        themes=themes_of(reason),
                    )
                )
    Response.objects.bulk_create(responses, batch_size=2000)
    return len(responses)


def _users(
    organisations: dict[str, Organisation], users: tuple[DemoUser, ...], password: str
) -> dict[str, object]:
    password_hash = make_password(password)
    return {
        user.username: add_account(
            user,
            password_hash=password_hash,
            organisations=organisations,
            teams={},
            contracted_hours=37.5,
        )
        for user in users
    }


def _contract(today: dt.date, organisations: dict[str, Organisation], finance: object) -> Contract:
    start = year_start(today)
    done = months_complete(start, today)
    so_far = ContactRecord.objects.filter(
        provider_code="RWX", outcome="completed", month__gte=start, month__lt=today.replace(day=1)
    ).count()
    # A baseline a little under this year's pace, as last year's plan would have set it.
    baseline = max(1_200, round(so_far * 12 / done * 0.97 / 100) * 100)
    fixed = 4_800_000_00
    contract = Contract.objects.create(
        alliance=Alliance.objects.get(name="Wrexford Care Alliance"),
        name="Wrexford community services alliance contract",
        year_starting=start,
        fixed_pence=fixed,
        rate_pence=38_00,
        baseline_activity=baseline,
        dead_band_activity=round(baseline * 0.02),
        cap_pence=fixed * 106 // 100,
        collar_pence=fixed * 94 // 100,
        updated_at=timezone.now(),
        updated_by=finance,
    )
    for code, part, share in (
        ("RWX", 70, 6_000),
        ("WXC01", 20, 2_500),
        ("VWX01", 5, 500),
        ("RWY", 5, 1_000),
    ):
        ContractPartner.objects.create(
            contract=contract,
            organisation=organisations[code],
            fixed_pence=fixed * part // 100,
            risk_share_basis_points=share,
        )
    ContractThreshold.objects.create(
        contract=contract, metric_code="ucr-2-hour", threshold=70, premium_pence=120_000_00
    )
    ContractThreshold.objects.create(
        contract=contract, metric_code="visits-as-planned", threshold=90, premium_pence=60_000_00
    )
    return contract


def build_feedback_and_contract(
    *,
    rng: random.Random,
    today: dt.date,
    teams: dict[str, Team],
    organisations: dict[str, Organisation],
    users: tuple[DemoUser, ...],
    password: str,
) -> None:
    own = random.Random(rng.random())
    _feedback(own, today, teams)
    made = _users(organisations, users, password)
    leader = get_user_model().objects.get(username="teamleader")
    YouSaidWeDid.objects.create(
        team=teams["ucr"],
        you_said="You did not know when we would arrive.",
        we_did="We now text a 30-minute arrival window on the morning of each visit.",
        published_on=today - dt.timedelta(days=40),
        published_by=leader,
    )
    _contract(today, organisations, made["finance"])
