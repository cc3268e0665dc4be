"""Friday: a ward marks an 84-year-old ready to go home with reablement; the care transfer
hub finds no reablement start until Tuesday, books bridging care for the weekend and the
reablement for Tuesday; she leaves on Friday and the delay never starts."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tests.discharge.conftest import LONDON, stay_of
from tests.factories import OrganisationFactory, PatientFactory, build_small_place, staff
from tests.factories.browser import sign_in
from tests.factories.directory import make_service
from wraparound.directory.models import ServiceType
from wraparound.discharge.actions import receive_stay
from wraparound.discharge.models import DischargePlan, HospitalStay
from wraparound.discharge.report import sitrep
from wraparound.needs import Need
from wraparound.organisations.models import OrganisationKind
from wraparound.referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery-staple"
FRIDAY_10AM = dt.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)


def _weekend_place():
    place = build_small_place()
    hospital = OrganisationFactory(
        ods_code="RHX", name="Testford General", kind=OrganisationKind.ACUTE_TRUST
    )
    ward = staff("ward_clerk", hospital, "clinician")
    person = PatientFactory(
        given_name="Ada", family_name="Friday", date_of_birth=dt.date(1942, 5, 1)
    )
    receive_stay(report=stay_of(person), by=ward)
    common = dict(needs=[Need.REABLEMENT], service_type=ServiceType.REABLEMENT, offers_two_day=True)
    make_service(
        place.nursing,
        name="Home Reablement",
        capacity="amber",
        capacity_set_at=FRIDAY_10AM,
        next_start=dt.date(2026, 12, 8),
        **common,
    )
    make_service(
        place.nursing,
        name="Full Reablement",
        capacity="red",
        capacity_set_at=FRIDAY_10AM,
        **common,
    )
    make_service(
        place.social_care,
        name="Weekend Bridging",
        needs=[Need.BRIDGING_CARE],
        service_type=ServiceType.BRIDGING_CARE,
        routine_within_days=1,
    )
    return hospital, person


def test_ready_on_friday_bridged_over_the_weekend_leaves_on_friday_with_no_delay(
    live_server, browser
):
    with time_machine.travel(FRIDAY_10AM, tick=True):
        hospital, _ = _weekend_place()

        ward = browser.new_page()
        sign_in(ward, live_server.url, "ward_clerk", PASSWORD)
        ward.get_by_role("main").get_by_role("link", name="The hospital's list").click()
        ward.get_by_role("link", name="Everyone in bed").click()
        ward.get_by_role("link", name="the stay of Ada Friday").click()
        ward.get_by_label("No: ready to leave today").check()
        ward.get_by_label("Who decided").fill("Dr Okafor")
        ward.get_by_role("button", name="Record the review").click()
        assert "needs a discharge pathway" in ward.inner_text("main")  # refused, said plainly
        ward.get_by_label("No: ready to leave today").check()
        ward.get_by_label("Discharge pathway (when ready)").select_option("1")
        ward.get_by_label("Who decided").fill("Dr Okafor")
        ward.get_by_role("button", name="Record the review").click()
        assert "No longer met since Friday 4 December" in ward.get_by_test_id("ready").inner_text()
        ward.get_by_role("button", name="Refer to the care transfer hub").click()

        hub = browser.new_page()
        sign_in(hub, live_server.url, "spa_coordinator", PASSWORD)
        hub.get_by_role("main").get_by_role("link", name="Care transfer hub").click()
        stay = HospitalStay.objects.get()
        row = hub.get_by_test_id(f"hub-row-{stay.pk}")
        assert (
            "first start Tuesday 8 December" in row.get_by_test_id("directory-answer").inner_text()
        )
        row.get_by_role("link", name="Plan for Ada Friday").click()
        assert "has no capacity now" in hub.get_by_test_id("package-answer").inner_text()
        hub.get_by_label("Service for the pathway").select_option(
            label="Home Reablement (Testford Community Trust): capacity amber, first start Tuesday 8 December"
        )
        assert hub.get_by_label("The day it starts").input_value() == "2026-12-08"
        hub.get_by_role("button", name="Make the plan").click()
        assert "book bridging care until it does" in hub.inner_text("main")
        hub.get_by_label("Service for the pathway").select_option(index=0)
        hub.get_by_label("Bridging care until it starts").select_option(index=1)
        hub.get_by_role("button", name="Make the plan").click()
        plan = hub.get_by_test_id("current-plan").inner_text()
        assert "Home Reablement from Tuesday 8 December" in plan
        assert "bridging care by Weekend Bridging from Friday 4 December" in plan

        ward.reload()
        assert "bridging care by Weekend Bridging" in ward.get_by_test_id("plan").inner_text()
        ward.get_by_label("Where they went").select_option("19")
        ward.get_by_role("button", name="Record leaving").click()
        assert "Friday 4 December" in ward.get_by_test_id("left").inner_text()

    stay.refresh_from_db()
    assert stay.discharged_at is not None and stay.delay_since is None
    friday = sitrep(hospital, dt.date(2026, 12, 4))
    assert friday.discharged["1"] == 1 and friday.delayed_bed_days == 0
    plan = DischargePlan.objects.get()
    bridging = Referral.objects.get(pk=plan.bridging_referral_id)
    assert bridging.needs == ["bridging_care"] and bridging.status == "offered"
    assert Referral.objects.get(pk=stay.hub_referral_id).offered_team == plan.package_service.team
