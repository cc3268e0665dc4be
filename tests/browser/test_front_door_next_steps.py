"""The front door's failures replayed in a browser (issue 11, items 2, 3 and 4), axe on every
page: an untriaged fall with reduced mobility is triaged from its page, the directory offers
the urgent response naming the therapy it does not give, and a team that declines lands on
its list, not on a refusal."""

from __future__ import annotations

import pytest

from tests.factories import (
    NeighbourhoodFactory,
    PatientFactory,
    build_small_place,
    referral,
    staff,
)
from tests.factories.browser import sign_in, sign_out
from tests.factories.directory import make_service
from wraparound.directory.models import ServiceType
from wraparound.needs import Need
from wraparound.referrals.lifecycle import Status
from wraparound.referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"


def test_an_untriaged_fall_is_triaged_routed_to_ucr_and_declined_back_to_the_list(
    live_server, browser
):
    place = build_small_place()
    staff("coordinator", place.trust, "coordinator")
    staff("ucr_leader", place.trust, "team_leader", place.ucr)
    hood = NeighbourhoodFactory(name="Hillside")
    person = PatientFactory(given_name="Edith", family_name="Jones", neighbourhood=hood)
    make_service(
        place.ucr,
        name="Urgent Community Response",
        service_type=ServiceType.URGENT_COMMUNITY_RESPONSE,
        needs=[Need.FALL, Need.FRAILTY_DECOMPENSATION],
        neighbourhoods=[hood],
        offers_two_hour=True,
        offers_two_day=True,
    )
    stored = referral(
        person, sender=place.users["gp"], status=Status.RECEIVED, needs=["fall", "reduced_function"]
    )
    page = browser.new_page(viewport={"width": 1280, "height": 900})

    sign_in(page, live_server.url, "coordinator", PASSWORD)
    page.get_by_role("main").get_by_role("link", name="Referral worklist").click()
    page.get_by_role("main").get_by_role("link", name="JONES, Edith").click()
    page.get_by_role("button", name="Triage now").click()  # item 3: a next step
    page.wait_for_load_state()
    assert "2-hour" in page.get_by_test_id("triage-rule").inner_text()
    eligible = page.get_by_test_id("eligible")
    assert "Urgent Community Response" in eligible.inner_text()  # item 2: not A&E
    assert (
        "Reduced function, deconditioning or mobility"
        in eligible.get_by_test_id("unmet").inner_text()
    )
    page.get_by_label("Offer to").select_option(label="UCR")
    page.get_by_role("button", name="Offer").click()
    page.wait_for_load_state()
    sign_out(page)

    sign_in(page, live_server.url, "ucr_leader", PASSWORD)
    page.get_by_role("main").get_by_role("link", name="Referrals for your team").click()
    page.get_by_role("main").get_by_role("link", name="JONES, Edith").click()
    page.get_by_label("Why your team cannot take it").fill("No crew free until 20:00")
    page.get_by_role("button", name="Decline").click()
    page.wait_for_load_state()
    assert page.url.endswith("/referrals/team/")  # item 4: her list, not a bare 403
    assert "Declined: back with the coordination centre." in page.inner_text("main")
    stored.refresh_from_db()
    assert stored.status == Status.DECLINED
    assert Referral.objects.count() == 1
    page.close()
