"""The referral pages: a referrer sends and follows referrals, the coordination centre works
the list by urgency, a team answers; each page only for the roles it is for, and audited."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.referrals.conftest import send
from wraparound.access.models import AuditEvent
from wraparound.caseload.models import CaseloadEntry
from wraparound.referrals.models import Referral, Status


def _form(person, **changes):
    data = {
        "nhs_number": person.nhs_number,
        "date_of_birth": person.date_of_birth.isoformat(),
        "source": "gp",
        "needs": ["fall", "confusion_delirium"],
        "clinical_summary": "Found on the floor this morning, more confused than usual.",
        "token": str(uuid.uuid4()),
    }
    data.update(changes)
    return data


def test_a_referrer_sends_a_referral_from_the_form_and_it_is_triaged(client, people, person):
    client.force_login(people.users["gp"])
    page = client.get(reverse("referrals:new"))
    assert page.status_code == 200
    assert 'name="token"' in page.content.decode()
    response = client.post(reverse("referrals:new"), _form(person), follow=True)
    assert response.redirect_chain[-1][0] == reverse("referrals:mine")
    referral = Referral.objects.get()
    assert referral.status == Status.TRIAGED and referral.urgency == "2_hour"
    assert referral.referrer == people.users["gp"]
    assert "Referral received: 2-hour urgent community response" in response.content.decode()


def test_a_double_submitted_form_makes_one_referral(client, people, person):
    client.force_login(people.users["gp"])
    data = _form(person)
    client.post(reverse("referrals:new"), data)
    response = client.post(reverse("referrals:new"), data, follow=True)
    assert Referral.objects.count() == 1
    assert "already been received" in response.content.decode()


@pytest.mark.parametrize(
    "changes, field_label, reason",
    [
        ({"nhs_number": "9434765918"}, "NHS number", ""),
        ({"date_of_birth": "1900-01-01"}, "NHS number", "No person with this NHS number"),
        ({"needs": []}, "Presenting needs", "This field is required"),
        ({"needs": ["broken_leg"]}, "Presenting needs", "Select a valid choice. broken_leg"),
        ({"source": "pigeon"}, "Where the referral comes from", "Select a valid choice. pigeon"),
        ({"clinical_summary": ""}, "Clinical summary", "This field is required"),
        ({"date_of_birth": "31/02/1940"}, "Date of birth", "Enter a valid date"),
    ],
)
def test_a_bad_form_names_the_field_and_the_reason_and_stores_nothing(
    client, people, person, changes, field_label, reason
):
    client.force_login(people.users["gp"])
    response = client.post(reverse("referrals:new"), _form(person, **changes))
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert f"{field_label}: {reason}" in body
    assert not Referral.objects.exists()


def test_a_role_that_cannot_refer_cannot_open_the_form(client, people):
    client.force_login(people.users["analyst"])
    assert client.get(reverse("referrals:new")).status_code == 403


def test_my_referrals_shows_the_referrers_own_referrals_and_where_they_are(client, people, person):
    mine = send(people, person)
    other = send(people, person, needs=["wound_care"], by="nurse")
    client.force_login(people.users["gp"])
    response = client.get(reverse("referrals:mine"))
    body = response.content.decode()
    assert reverse("referrals:detail", args=[mine.pk]) in body
    assert reverse("referrals:detail", args=[other.pk]) not in body
    assert "Triaged" in body and "the coordination centre" in body
    # The GP follows the referral's progress; the person is masked, as the GP has no other
    # relationship with them (sending a referral is not one).
    assert person.family_name not in body and f"ending {person.nhs_number[-3:]}" in body
    event = AuditEvent.objects.filter(purpose="my referrals").get()
    assert event.detail["patients_shown"] == [] and event.detail["referrals_shown"] == [mine.pk]


def test_the_worklist_is_for_the_coordination_centre_only(client, people):
    for who in ("gp", "nurse", "ucr_leader", "analyst"):
        client.force_login(people.users[who])
        assert client.get(reverse("referrals:worklist")).status_code == 403
    client.force_login(people.users["coordinator"])
    assert client.get(reverse("referrals:worklist")).status_code == 200


def test_the_worklist_orders_by_urgency_and_shows_a_breached_target_in_red(client, people, person):
    from tests.factories import PatientFactory

    routine = send(people, PatientFactory(family_name="Routine"), needs=["wound_care"])
    late = send(
        people,
        PatientFactory(family_name="Late"),
        needs=["fall"],
        received_at=timezone.now() - dt.timedelta(hours=3),
    )
    accepted = send(people, person, needs=["fall"])
    Referral.objects.filter(pk=accepted.pk).update(
        status=Status.ACCEPTED, offered_team=people.ucr, accepted_at=timezone.now()
    )
    client.force_login(people.users["coordinator"])
    body = client.get(reverse("referrals:worklist")).content.decode()
    assert body.index("LATE") < body.index("ROUTINE")
    assert "JONES" not in body  # accepted: no longer waiting for a service
    assert 'nhsuk-tag--red" data-testid="breached">breached by 1 h' in body
    assert "2 d 23 h left" in body or "3 d 0 h left" in body
    event = AuditEvent.objects.filter(purpose="coordination-centre worklist").get()
    assert set(event.detail["patients_shown"]) == {routine.patient_id, late.patient_id}


def test_the_coordinator_offers_and_the_team_accepts_from_the_referral_page(client, people, person):
    referral = send(people, person)
    client.force_login(people.users["coordinator"])
    page = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert "fall with no apparent serious injury" in page.content.decode()
    client.post(reverse("referrals:offer", args=[referral.pk]), {"offer-team": people.ucr.pk})
    assert Referral.objects.get(pk=referral.pk).status == Status.OFFERED

    client.force_login(people.users["ucr_leader"])
    team_page = client.get(reverse("referrals:team")).content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in team_page
    client.post(reverse("referrals:accept", args=[referral.pk]))
    assert Referral.objects.get(pk=referral.pk).status == Status.ACCEPTED
    assert CaseloadEntry.objects.filter(patient=person, team=people.ucr).exists()


def test_a_team_declines_from_the_referral_page_with_a_reason(client, people, person):
    referral = send(people, person)
    client.force_login(people.users["coordinator"])
    client.post(reverse("referrals:offer", args=[referral.pk]), {"offer-team": people.ucr.pk})
    client.force_login(people.users["ucr_leader"])
    response = client.post(
        reverse("referrals:decline", args=[referral.pk]), {"decline-reason": ""}, follow=True
    )
    assert "reason: This field is required" in response.content.decode()
    client.post(reverse("referrals:decline", args=[referral.pk]), {"decline-reason": "At capacity"})
    referral.refresh_from_db()
    assert referral.status == Status.DECLINED and referral.decline_reason == "At capacity"


def test_a_referral_page_is_refused_to_someone_unrelated_and_the_refusal_audited(
    client, people, person
):
    referral = send(people, person)
    client.force_login(people.users["paramedic"])
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 403
    assert "Jones" not in response.content.decode()
    assert AuditEvent.objects.filter(action="denied", patient_id_at_event=person.pk).exists()
    assert client.post(reverse("referrals:accept", args=[referral.pk])).status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == Status.TRIAGED


def test_the_referrer_can_follow_their_referral_but_not_act_on_it(client, people, person):
    referral = send(people, person)
    client.force_login(people.users["gp"])
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Offer to a team" not in page
    client.post(reverse("referrals:offer", args=[referral.pk]), {"offer-team": people.ucr.pk})
    assert Referral.objects.get(pk=referral.pk).status == Status.TRIAGED


def test_home_pages_link_each_role_to_its_referral_pages(client, people):
    client.force_login(people.users["gp"])
    body = client.get(reverse("home")).content.decode()
    assert reverse("referrals:new") in body and reverse("referrals:mine") in body
    assert reverse("referrals:worklist") not in body
    client.force_login(people.users["coordinator"])
    assert reverse("referrals:worklist") in client.get(reverse("home")).content.decode()
    client.force_login(people.users["ucr_leader"])
    assert reverse("referrals:team") in client.get(reverse("home")).content.decode()


def test_the_worklist_filters_by_team_and_neighbourhood(client, place):
    from django.urls import reverse

    from tests.factories import NeighbourhoodFactory, PatientFactory, referral, staff
    from wraparound.referrals.lifecycle import Status

    north = NeighbourhoodFactory(name="North")
    south = NeighbourhoodFactory(name="South")
    to_nursing = referral(
        PatientFactory(family_name="Northerner", neighbourhood=north),
        sender=place.users["gp"],
        status=Status.OFFERED,
        team=place.nursing,
    )
    referral(
        PatientFactory(family_name="Southerner", neighbourhood=south),
        sender=place.users["gp"],
        status=Status.TRIAGED,
    )
    client.force_login(staff("spa", place.trust, "coordinator"))
    url = reverse("referrals:worklist")
    assert "Northerner".upper() in client.get(url).content.decode()
    by_team = client.get(url, {"team": place.nursing.pk}).content.decode()
    assert "NORTHERNER" in by_team and "SOUTHERNER" not in by_team
    by_area = client.get(url, {"neighbourhood": south.pk}).content.decode()
    assert "SOUTHERNER" in by_area and "NORTHERNER" not in by_area
    assert to_nursing.pk


def test_a_referral_sent_after_the_session_ended_is_kept_and_comes_back_after_sign_in(
    people, person
):
    """Issue 11, item 7: the GP landed on sign-in with no message and an empty form."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.users["gp"])
    page = client.get(reverse("referrals:new"))
    token = page.context["csrf_token"]
    form_token = page.context["form"]["token"].value()
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()  # the session ends while she types (her cookies stay)
    typed = {
        "csrfmiddlewaretoken": str(token),
        "nhs_number": person.nhs_number,
        "date_of_birth": person.date_of_birth.isoformat(),
        "source": "gp",
        "needs": ["fall"],
        "clinical_summary": "Found on the floor by her daughter, no injury, frail",
        "token": str(form_token),
    }
    sent = client.post(reverse("referrals:new"), typed)
    assert sent.status_code == 302 and sent["Location"].startswith(reverse("login"))
    assert not Referral.objects.exists()
    sign_in = client.get(sent["Location"]).content.decode()
    assert "what you typed has been kept" in sign_in
    client.force_login(people.users["gp"])
    again = client.get(reverse("referrals:new")).content.decode()
    assert "Found on the floor by her daughter" in again and person.nhs_number in again


def test_a_form_planted_from_another_site_is_not_kept(people, person):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("referrals:new"), {"clinical_summary": "planted", "needs": ["fall"]}
    )
    assert response.status_code == 403
    client.force_login(people.users["gp"])
    assert "planted" not in client.get(reverse("referrals:new")).content.decode()


def test_a_signed_in_page_says_when_its_session_ends_and_offers_to_extend_it(client, people):
    client.force_login(people.users["gp"])
    page = client.get(reverse("home")).content.decode()
    assert 'data-session-seconds="28800"' in page and "Stay signed in" in page
    extended = client.post(reverse("extend_session"))
    assert extended.json() == {"seconds": 28800}
