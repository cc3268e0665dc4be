"""Every referral has a next step on its page, and every step lands somewhere useful
(issue 11, items 3, 4 and 8: each test failed on the code as it landed)."""

from __future__ import annotations

import re
from collections import Counter

from django.urls import reverse

from tests.factories import PatientFactory, referral
from tests.referrals.conftest import send
from wraparound.referrals.lifecycle import Status


def test_an_untriaged_referral_offers_triage_now_and_triaging_it_sets_the_clock(
    client, people, person
):
    stored = referral(person, sender=people.users["gp"], status=Status.RECEIVED)
    client.force_login(people.users["coordinator"])
    page = client.get(reverse("referrals:detail", args=[stored.pk])).content.decode()
    assert "Triage now" in page and reverse("referrals:return", args=[stored.pk]) in page
    client.post(reverse("referrals:triage", args=[stored.pk]))
    stored.refresh_from_db()
    assert stored.status == Status.TRIAGED and stored.due_at is not None


def test_only_the_coordination_centre_triages_someone_elses_referral(client, people, person):
    stored = referral(person, sender=people.users["gp"], status=Status.RECEIVED)
    client.force_login(people.users["nurse"])
    client.post(reverse("referrals:triage", args=[stored.pk]))
    stored.refresh_from_db()
    assert stored.status == Status.RECEIVED


def test_declining_lands_on_the_teams_list_with_the_outcome_not_on_a_refusal(
    client, people, person
):
    sent = send(people, person)
    client.force_login(people.users["coordinator"])
    client.post(reverse("referrals:offer", args=[sent.pk]), {"offer-team": people.ucr.pk})
    client.force_login(people.users["ucr_leader"])
    response = client.post(
        reverse("referrals:decline", args=[sent.pk]), {"decline-reason": "At capacity"}, follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("referrals:team")
    assert "Declined: back with the coordination centre." in response.content.decode()


def test_a_refusal_is_a_page_in_the_layout_with_a_way_back(client, people, person):
    sent = send(people, person)
    client.force_login(people.users["paramedic"])
    response = client.get(reverse("referrals:detail", args=[sent.pk]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot see this page" in body and 'href="/"' in body
    assert "nhsuk-header" in body or "Sign out" in body


def test_the_referral_page_invites_no_mistake(client, people, person):
    sent = send(people, person)
    client.force_login(people.users["coordinator"])
    body = client.get(reverse("referrals:detail", args=[sent.pk])).content.decode()
    # Nobody is chosen for the coordinator to offer to.
    offer = re.search(r'<select name="offer-team".*?</select>', body, re.S).group(0)
    assert '<option value="" selected>Choose a team</option>' in offer
    assert offer.count("selected") == 1
    # Every id is unique, so each label focuses its own field.
    ids = Counter(re.findall(r'\sid="([^"]+)"', body))
    assert [i for i, n in ids.items() if n > 1] == []
    # Every hint is announced: the field points at it.
    for hint in re.findall(r'class="nhsuk-hint" id="([^"]+)"', body):
        assert f'aria-describedby="{hint}"' in body, hint


def test_the_referral_form_styles_every_input_and_announces_its_hints(client, people):
    client.force_login(people.users["gp"])
    body = client.get(reverse("referrals:new")).content.decode()
    for name in ("nhs_number", "date_of_birth", "clinical_summary", "source"):
        tag = re.search(rf'<(input|select|textarea)[^>]*name="{name}"[^>]*>', body).group(0)
        assert "nhsuk-" in tag, tag
    for hint in re.findall(r'class="nhsuk-hint" id="([^"]+)"', body):
        assert f'aria-describedby="{hint}"' in body, hint


def test_an_advice_request_has_no_urgency_chosen_for_you(client, place):
    from tests.factories import on_caseload

    person = PatientFactory()
    on_caseload(person, place.nursing)
    client.force_login(place.users["nurse"])
    body = client.get(reverse("caseload:person", args=[person.pk])).content.decode()
    urgency = re.search(r'<select name="urgency".*?</select>', body, re.S).group(0)
    assert '<option value="" selected>Choose how soon</option>' in urgency
