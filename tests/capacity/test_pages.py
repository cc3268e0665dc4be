"""The capacity pages, each through the client as its users reach them."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.urls import reverse
from django.utils import timezone

from wraparound.capacity import actions
from wraparound.capacity.models import DemandHour, FallCall, WardStay
from wraparound.directory.models import ServiceType

from .conftest import ALL_CONFIRMED


def _admit_form(capacity, **changes):
    person = capacity.patient
    return {
        "nhs_number": person.nhs_number,
        "date_of_birth": person.date_of_birth.isoformat(),
        "direction": "step_up",
        "pathway": "frailty",
        "reason": "Frail, breathless, wants to stay at home",
        "out_of_hours_cover": "",
        **changes,
    }


def test_a_gp_admits_from_the_ward_page_and_the_ward_shows_the_person(client, capacity):
    client.force_login(capacity.users["gp_senior"])
    url = reverse("capacity:admit", args=[capacity.ward.pk])
    assert client.get(url).status_code == 200
    sent = client.post(url, _admit_form(capacity))
    assert sent.status_code == 302
    stay = WardStay.objects.get()
    page = client.get(reverse("capacity:ward", args=[capacity.ward.pk])).content.decode()
    assert "1 of 2 places filled" in page and capacity.patient.family_name in page
    assert client.get(reverse("capacity:stay", args=[stay.pk])).status_code == 200


def test_the_admit_form_names_a_person_not_known(client, capacity):
    client.force_login(capacity.users["gp_senior"])
    url = reverse("capacity:admit", args=[capacity.ward.pk])
    page = client.post(url, _admit_form(capacity, date_of_birth="1950-01-01"))
    assert page.status_code == 200 and "No person with this NHS number" in page.content.decode()
    assert not WardStay.objects.exists()


def test_a_ward_nurse_sees_the_ward_but_is_refused_the_admit_page(client, capacity):
    client.force_login(capacity.users["ward_nurse"])
    assert client.get(reverse("capacity:ward", args=[capacity.ward.pk])).status_code == 200
    assert client.get(reverse("capacity:admit", args=[capacity.ward.pk])).status_code == 403


def test_discharge_from_the_stay_page_lists_the_medication_changes(client, capacity):
    stay, _ = actions.admit_to_ward(
        ward_id=capacity.ward.pk,
        patient_id=capacity.patient.pk,
        direction="step_down",
        pathway="heart-failure",
        reason="Diuretics at home",
        by=capacity.users["gp_senior"],
    )
    client.force_login(capacity.users["gp_senior"])
    sent = client.post(
        reverse("capacity:discharge", args=[stay.pk]),
        {
            "disposition": "home_with_support",
            "gp_summary": "Weight down 3 kg; breathless only on stairs.",
            "medicine_0": "Furosemide",
            "change_0": "dose changed",
            "detail_0": "80 mg to 40 mg",
        },
    )
    assert sent.status_code == 302
    page = client.get(reverse("capacity:stay", args=[stay.pk])).content.decode()
    assert "Furosemide: dose changed (80 mg to 40 mg)" in page


def test_a_medicine_without_a_change_is_refused_on_the_page(client, capacity):
    stay, _ = actions.admit_to_ward(
        ward_id=capacity.ward.pk,
        patient_id=capacity.patient.pk,
        direction="step_up",
        pathway="frailty",
        reason="Frail",
        by=capacity.users["gp_senior"],
    )
    client.force_login(capacity.users["gp_senior"])
    page = client.post(
        reverse("capacity:discharge", args=[stay.pk]),
        {"disposition": "home", "gp_summary": "Well.", "medicine_0": "Ramipril"},
    )
    assert (
        page.status_code == 400 and "is not started, stopped, dose changed" in page.content.decode()
    )


def test_the_centre_takes_a_call_and_the_clinician_signs_it_off_on_the_pages(client, capacity):
    client.force_login(capacity.users["coordinator"])
    person = capacity.patient
    sent = client.post(
        reverse("capacity:new_call"),
        {
            "nhs_number": person.nhs_number,
            "date_of_birth": person.date_of_birth.isoformat(),
            "idempotency_key": "k-1",
        },
    )
    assert sent.status_code == 302
    call = FallCall.objects.get()
    assert call.level == 1 and call.responder == capacity.responder
    clock = reverse("capacity:record_clock", args=[call.pk])
    assert client.post(clock, {"clock": "on_scene"}).status_code == 302
    assert client.post(clock, {"clock": "off_floor"}).status_code == 302
    signed = client.post(
        reverse("capacity:sign_off", args=[call.pk]),
        {
            "checklist": list(ALL_CONFIRMED),
            "decision": "leave_at_home",
            "refer_to_falls_prevention": "on",
        },
    )
    assert signed.status_code == 302
    page = client.get(reverse("capacity:call", args=[call.pk])).content.decode()
    assert "Leave at home" in page and "Referred to falls prevention" in page


def test_a_clock_before_the_call_is_shown_against_the_time_field(client, capacity):
    call, _ = actions.take_fall_call(
        nhs_number=capacity.patient.nhs_number,
        date_of_birth=capacity.patient.date_of_birth,
        answers={},
        idempotency_key="k-2",
        by=capacity.users["coordinator"],
    )
    client.force_login(capacity.users["responder"])
    early = timezone.localtime(call.call_at - dt.timedelta(hours=1))
    page = client.post(
        reverse("capacity:record_clock", args=[call.pk]),
        {"clock": "on_scene", "at": early.strftime("%Y-%m-%d %H:%M")},
    )
    assert page.status_code == 400 and "cannot be before the call" in page.content.decode()


def test_the_responder_page_shows_the_call_and_toggles_availability(client, capacity):
    client.force_login(capacity.users["responder"])
    url = reverse("capacity:responder")
    assert "not sent to a call" in client.get(url).content.decode()
    client.post(url, {"available": "no"})
    capacity.responder.refresh_from_db()
    assert not capacity.responder.available


def test_the_board_shows_crews_and_wards_and_the_curve(client, capacity, place):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(days=7)
    neighbourhood = place.trust.place.neighbourhoods.first() or None
    DemandHour.objects.bulk_create(
        DemandHour(
            service_type=ServiceType.URGENT_COMMUNITY_RESPONSE,
            neighbourhood=neighbourhood,
            hour_starting=start + dt.timedelta(hours=h),
            arrivals=2,
        )
        for h in range(168)
    )
    client.force_login(place.users["org_manager"])
    page = client.get(reverse("capacity:board"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="crews-chart"' in body and "you are here" in body
    assert "Frailty Virtual Ward" in body


def test_the_board_is_refused_to_a_volunteer(client, place, capacity):
    client.force_login(place.users["befriender"])
    assert client.get(reverse("capacity:board")).status_code == 403


def test_the_virtual_ward_return_is_in_the_national_shape(client, capacity, place):
    actions.admit_to_ward(
        ward_id=capacity.ward.pk,
        patient_id=capacity.patient.pk,
        direction="step_up",
        pathway="frailty",
        reason="Frail",
        admitted_at=timezone.now() - dt.timedelta(days=3),
        by=capacity.users["gp_senior"],
    )
    client.force_login(place.users["org_manager"])
    month = timezone.localdate().strftime("%Y-%m")
    response = client.get(reverse("capacity:virtual_ward_return") + f"?month={month}")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][4:] == [
        "Virtual ward capacity",
        "Occupancy (%)",
        "Capacity per 100,000 GP registered population (16+)",
    ]
    assert rows[1][3] == "Frailty Virtual Ward" and rows[1][4] == "2"
    assert rows[-1][3] == "All virtual wards"
