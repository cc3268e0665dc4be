"""The coordination worklist a page at a time, and the one filter it may leave out."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import NeighbourhoodFactory, PatientFactory, referral, staff
from wraparound.access.models import AuditEvent
from wraparound.caseload.models import CaseloadEntry, Patient
from wraparound.door.policy import visible_patients
from wraparound.referrals.lifecycle import AWAITING_A_SERVICE, Status
from wraparound.referrals.models import Referral
from wraparound.referrals.worklist import WORKLIST_PAGE, _waiting_for, coordination_worklist


def _waiting(place, count, **patient):
    return [
        referral(PatientFactory(**patient), sender=place.users["gp"], status=Status.TRIAGED)
        for _ in range(count)
    ]


def test_the_coordinator_sees_every_waiting_referral_without_the_per_person_filter(people):
    _waiting(people, 3)
    referral(PatientFactory(), sender=people.users["gp"], status=Status.ACCEPTED, team=people.ucr)
    coordinator = people.users["coordinator"]
    filtered = Referral.objects.filter(
        status__in=AWAITING_A_SERVICE,
        patient__in=visible_patients(Patient.objects.all(), coordinator),
    )
    assert set(_waiting_for(coordinator)) == set(filtered)
    assert len(filtered) == 3


def test_a_user_without_the_triage_ground_still_sees_only_people_they_may_see(people):
    mine, theirs = _waiting(people, 2)
    nurse = staff("a_nurse", people.trust, "clinician", people.nursing)
    CaseloadEntry.objects.create(
        patient=mine.patient, team=people.nursing, admitted_on=timezone.localdate()
    )
    assert list(_waiting_for(nurse)) == [mine]
    assert theirs.patient_id not in {r.patient_id for r in _waiting_for(nurse)}


def test_the_worklist_shows_a_page_counts_them_all_and_audits_only_what_it_showed(client, people):
    waiting = _waiting(people, WORKLIST_PAGE + 2)
    client.force_login(people.users["coordinator"])
    first = client.get(reverse("referrals:worklist")).content.decode()
    assert first.count('data-testid="worklist-row"') == WORKLIST_PAGE
    assert f"{WORKLIST_PAGE + 2} open referrals: 1 to {WORKLIST_PAGE} shown" in first
    assert 'href="?page=2" rel="next"' in first and 'rel="prev"' not in first

    second = client.get(reverse("referrals:worklist"), {"page": 2}).content.decode()
    assert second.count('data-testid="worklist-row"') == 2 and 'rel="prev"' in second
    events = AuditEvent.objects.filter(purpose="coordination-centre worklist").order_by("pk")
    shown = [set(e.detail["patients_shown"]) for e in events]
    assert [len(s) for s in shown] == [WORKLIST_PAGE, 2]
    assert shown[0] | shown[1] == {r.patient_id for r in waiting}
    assert [e.detail["page"] for e in events] == [1, 2]


def test_a_page_link_keeps_the_filters_chosen(client, people):
    hood = NeighbourhoodFactory(name="North")
    _waiting(people, WORKLIST_PAGE + 1, neighbourhood=hood)
    client.force_login(people.users["coordinator"])
    body = client.get(reverse("referrals:worklist"), {"neighbourhood": hood.pk}).content.decode()
    assert f"neighbourhood={hood.pk}&amp;page=2" in body


@pytest.mark.parametrize("page", ["0", "-3", "many", "99999"])
def test_a_page_out_of_range_or_not_a_number_shows_a_real_page(people, page):
    _waiting(people, 3)
    shown = coordination_worklist(people.users["coordinator"], timezone.now(), page=page)
    assert len(shown.rows) == 3
