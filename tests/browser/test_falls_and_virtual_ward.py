"""A 111 call for a faller: the centre sends the nearest volunteer, who records the clocks
on a phone; the remote clinician signs off, the person stays home and is referred to falls
prevention. A GP admits a frail person to the virtual ward and the board's occupancy moves."""

from __future__ import annotations

import pytest

from tests.capacity.conftest import build_capacity_place
from tests.factories import build_small_place, staff
from tests.factories.browser import sign_in
from wraparound.capacity.models import FallCall, WardStay
from wraparound.referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery-staple"


def test_a_faller_is_helped_up_signed_off_and_referred_to_falls_prevention(live_server, browser):
    place = build_small_place()
    capacity = build_capacity_place(place)
    person = capacity.patient

    centre = browser.new_page()
    sign_in(centre, live_server.url, "spa_coordinator", PASSWORD)
    centre.get_by_role("main").get_by_role("link", name="Falls calls").click()
    centre.get_by_role("link", name="Take a call").click()
    centre.get_by_label("NHS number").fill(person.nhs_number)
    centre.get_by_label("Date of birth").fill(person.date_of_birth.isoformat())
    centre.get_by_role("button", name="Record the call and send help").click()
    centre.wait_for_load_state()
    assert "Level 1" in centre.get_by_test_id("level").inner_text()
    assert "Volunteer responder" in centre.get_by_test_id("sent").inner_text()
    call = FallCall.objects.get()

    responder = browser.new_context(viewport=PHONE).new_page()
    sign_in(responder, live_server.url, "responder", PASSWORD)
    responder.get_by_role("main").get_by_role("link", name="My fall call").click()
    responder.get_by_test_id("current-call").get_by_role("link").click()
    assert person.address in responder.inner_text("main")  # where to go, and nothing clinical
    for clock in ("On scene", "Off the floor"):
        responder.get_by_label("Clock").select_option(label=clock)
        responder.get_by_role("button", name="Record the time").click()
        responder.wait_for_load_state()
    assert responder.get_by_test_id("off-floor").inner_text() != "Not yet"
    assert responder.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert "Clinical sign-off" not in responder.inner_text("main")  # not a responder's to give

    centre.reload()
    centre.get_by_role("button", name="Sign off").click()  # nothing ticked, no decision
    assert "There is a problem" in centre.inner_text("main")
    for box in centre.get_by_test_id("sign-off").get_by_role("checkbox").all()[:5]:
        box.check()
    centre.get_by_label("Leave at home").check()
    centre.get_by_label("Refer to falls prevention (strength and balance, home hazards)").check()
    centre.get_by_role("button", name="Sign off").click()
    centre.wait_for_load_state()
    signed = centre.get_by_test_id("signed-off").inner_text()
    assert "Leave at home" in signed and "Referred to falls prevention" in signed
    call.refresh_from_db()
    assert call.closed_at is not None
    assert Referral.objects.get(pk=call.onward_referral_id).needs == ["falls_prevention"]


def test_a_gp_admits_a_frail_person_and_the_boards_occupancy_moves(live_server, browser):
    place = build_small_place()
    capacity = build_capacity_place(place)
    staff("board_manager", place.trust, "service_manager")
    row = f"ward-row-{capacity.ward.pk}"

    board = browser.new_page()
    sign_in(board, live_server.url, "board_manager", PASSWORD)
    board.get_by_role("main").get_by_role("link", name="Capacity board").click()
    assert board.get_by_test_id(row).get_by_test_id("occupancy").inner_text() == "0%"
    assert board.get_by_test_id("crews-chart").locator("svg").count() == 1

    gp = browser.new_page()
    sign_in(gp, live_server.url, "gp_senior", PASSWORD)
    gp.get_by_role("main").get_by_role("link", name="Virtual wards").click()
    gp.get_by_role("link", name="Frailty Virtual Ward").click()
    gp.get_by_role("link", name="Admit someone").click()
    gp.get_by_label("NHS number").fill(capacity.patient.nhs_number)
    gp.get_by_label("Date of birth").fill(capacity.patient.date_of_birth.isoformat())
    gp.get_by_label("Step-up (from the community, instead of a hospital admission)").check()
    gp.get_by_label("Pathway").select_option(label="Frailty")
    gp.get_by_label("Reason for admission").fill("Breathless and frail at 5 pm on a Friday")
    gp.get_by_role("button", name="Admit").click()
    gp.wait_for_load_state()
    assert "Admitted to the ward" in gp.inner_text("main")
    assert gp.get_by_test_id("day-count").inner_text().startswith("1")
    assert WardStay.objects.filter(discharged_at__isnull=True).count() == 1

    board.reload()
    assert board.get_by_test_id(row).get_by_test_id("occupancy").inner_text() == "50%"
    assert "you are here" in board.get_by_test_id("ward-curve").inner_text()
