"""Accepting a 2-hour referral proposes, at once, where its visit fits in today's plan."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tests.factories import PatientFactory, referral, staff
from wraparound.caseload.models import Visit
from wraparound.referrals.lifecycle import Status
from wraparound.referrals.triage import Urgency
from wraparound.scheduling.models import DayPlan
from wraparound.workforce.models import Shift


def test_accepting_a_2_hour_referral_proposes_its_insertion_into_today(client, place, mid_morning):
    leader = staff("ucr_leader", place.trust, "team_leader", place.ucr)
    today = timezone.localdate()
    for user in (leader, place.users["ucr_nurse"]):
        Shift.objects.create(
            staff=user.staff_member, date=today, starts_at=dt.time(0, 0), ends_at=dt.time(23, 59)
        )
    person = PatientFactory(given_name="Mrs", family_name="Jones")
    offered = referral(person, sender=place.users["gp"], status=Status.OFFERED, team=place.ucr)
    offered.urgency, offered.due_at = Urgency.TWO_HOUR, timezone.now() + dt.timedelta(hours=2)
    offered.save()

    client.force_login(leader)
    response = client.post(reverse("referrals:accept", args=[offered.pk]))
    proposal = DayPlan.objects.get(kind="urgent")
    assert response["Location"] == reverse("scheduling:urgent_proposal", args=[proposal.pk])
    visit = Visit.objects.get(patient=person, team=place.ucr)
    placed = proposal.planned_visits.get(visit=visit)
    assert placed.served
    page = client.get(response["Location"]).content.decode()
    assert "2-hour urgent response" in page and 'data-testid="moves"' in page
