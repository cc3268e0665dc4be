"""A session that ends mid-referral loses nothing (issue 11, item 7; WCAG 2.2.1)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from tests.factories import PatientFactory, build_small_place, in_care_team
from tests.factories.browser import sign_in
from wraparound.referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


def test_the_page_warns_before_the_session_ends_and_staying_signed_in_keeps_the_page(
    live_server, browser, settings
):
    settings.SESSION_COOKIE_AGE = 123  # the warning shows 2 minutes before: after 3 s
    build_small_place()
    page = browser.new_page()
    sign_in(page, live_server.url, "gp", PASSWORD)
    page.goto(f"{live_server.url}/referrals/new/")
    page.get_by_label("Clinical summary").fill("Typed before the warning")
    warning = page.get_by_role("alertdialog")
    warning.wait_for(state="visible", timeout=10_000)
    assert "about to end" in warning.inner_text()
    page.get_by_role("button", name="Stay signed in").click()
    warning.wait_for(state="hidden", timeout=5_000)
    assert page.get_by_label("Clinical summary").input_value() == "Typed before the warning"
    page.close()


def test_a_referral_sent_after_the_session_ended_comes_back_after_signing_in(live_server, browser):
    place = build_small_place()
    person = PatientFactory(given_name="Edith", family_name="Jones")
    in_care_team(person, place.practice)
    page = browser.new_page()
    sign_in(page, live_server.url, "gp", PASSWORD)
    page.goto(f"{live_server.url}/referrals/new/")
    page.get_by_label("NHS number").fill(person.nhs_number)
    page.get_by_label("Date of birth").fill(person.date_of_birth.isoformat())
    page.get_by_label("Where the referral comes from").select_option("gp")
    page.get_by_label("Fall with no apparent serious injury").check()
    page.get_by_label("Clinical summary").fill("Found on the floor by her daughter, no injury")
    Session.objects.all().delete()  # the session ends while she types
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_load_state()
    assert "what you typed has been kept" in page.inner_text("main")
    assert not Referral.objects.exists()
    page.get_by_label("Username").fill("gp")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    assert page.get_by_label("Clinical summary").input_value() == (
        "Found on the floor by her daughter, no injury"
    )
    page.get_by_role("button", name="Send the referral").click()
    page.wait_for_load_state()
    sent = Referral.objects.get()
    assert sent.patient == person and sent.urgency == "2_hour"
    page.close()
