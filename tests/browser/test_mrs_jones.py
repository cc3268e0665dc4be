"""Mrs Jones, 82, breathless and unable to manage at home, 17:00 on a Friday.

Her GP refers her; she is triaged 2-hour; the directory offers the urgent community
response team, open now, and says why the weekday nursing team and the 18-65 reablement
service cannot take her; the coordinator offers the referral; the UCR team leader accepts;
she is on the UCR caseload, and the clock shows the time left.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.factories import PatientFactory
from tests.factories.browser import sign_in, sign_out
from wraparound.caseload.models import CaseloadEntry, Patient
from wraparound.demo.place import DEMO_PASSWORD, build_place
from wraparound.organisations.models import Neighbourhood, Organisation
from wraparound.referrals.models import Referral

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
FRIDAY_5PM = dt.datetime(2026, 11, 20, 17, 0, tzinfo=ZoneInfo("Europe/London"))


def test_mrs_jones_is_referred_triaged_routed_and_accepted_within_the_hour(live_server, browser):
    with time_machine.travel(FRIDAY_5PM, tick=True):
        build_place(seed=1, residents_count=5_000)
        hillside = Neighbourhood.objects.get(code="hillside")
        mrs_jones: Patient = PatientFactory(
            given_name="Edith",
            family_name="Jones",
            sex="female",
            date_of_birth=dt.date(1944, 6, 1),
            neighbourhood=hillside,
            latitude=hillside.centre_latitude,
            longitude=hillside.centre_longitude,
            registered_practice=Organisation.objects.get(ods_code="W81006"),
        )
        page = browser.new_page(viewport={"width": 1280, "height": 900})

        sign_in(page, live_server.url, "gp", DEMO_PASSWORD)
        page.get_by_role("main").get_by_role("link", name="Refer someone").click()
        page.get_by_label("NHS number").fill(mrs_jones.nhs_number)
        page.get_by_label("Date of birth").fill("1944-06-01")
        page.get_by_label("Where the referral comes from").select_option("gp")
        # One list of needs: the GP ticks what the summary says, as the directory reads it.
        page.get_by_label("Decompensation of frailty").check()
        page.get_by_label("Breathlessness").check()
        page.get_by_label("Unable to manage at home").check()
        page.get_by_label("Clinical summary").fill(
            "82, breathless since this morning and unable to manage at home. Lives alone."
        )
        page.get_by_role("button", name="Send the referral").click()
        page.wait_for_load_state()
        referral = Referral.objects.get(patient=mrs_jones)
        assert referral.urgency == "2_hour"
        assert "2-hour" in page.inner_text("main")
        sign_out(page)

        sign_in(page, live_server.url, "coordinator", DEMO_PASSWORD)
        page.get_by_role("main").get_by_role("link", name="Referral worklist").click()
        page.get_by_role("main").get_by_role("link", name="JONES, Edith").click()
        directory = page.get_by_test_id("directory")
        eligible = directory.get_by_test_id("eligible").inner_text()
        assert "Urgent Community Response" in eligible
        excluded = directory.get_by_test_id("excluded").inner_text()
        assert "does not cover Hillside" in excluded
        assert "age 82 is over the upper limit 65" in excluded
        page.get_by_label("Offer to").select_option(label="Urgent Community Response Team")
        page.get_by_role("button", name="Offer").click()
        page.wait_for_load_state()
        sign_out(page)

        sign_in(page, live_server.url, "teamleader", DEMO_PASSWORD)
        page.get_by_role("main").get_by_role("link", name="Referrals for your team").click()
        page.get_by_role("main").get_by_role("link", name="JONES, Edith").click()
        page.get_by_role("button", name="Accept onto").click()
        page.wait_for_load_state()
        assert CaseloadEntry.objects.filter(
            patient=mrs_jones, team__code="ucr", discharged_on__isnull=True
        ).exists()
        page.goto(f"{live_server.url}/referrals/{referral.pk}/")
        status = page.get_by_test_id("status").inner_text()
        assert "Accepted" in status
        assert " left" in page.inner_text("main")  # the clock: time left to the 2-hour target
        page.close()
