"""The nurse's day on a phone-sized screen: visits in order, open one, record it once."""

import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import PatientFactory, build_small_place, on_caseload
from tests.factories.browser import sign_in
from wraparound.caseload.models import CarePlan, Intervention, Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _visits_for_today(place):
    today = timezone.localdate()
    nurse = place.users["nurse"].staff_member
    rows = []
    for name, hour in (("Late", 14), ("Early", 8), ("Middle", 11)):
        person = PatientFactory(given_name=name, family_name="Visitee")
        on_caseload(person, place.nursing)
        plan = CarePlan.objects.create(
            patient=person,
            team=place.nursing,
            title="Care",
            starts_on=today,
            review_on=today + dt.timedelta(days=30),
            key_alerts="Key safe 1234",
        )
        intervention = Intervention.objects.create(
            care_plan=plan,
            kind="insulin",
            duration_minutes=20,
            recurrence="daily",
            starts_on=today,
            window_start=dt.time(hour, 0),
            window_end=dt.time(hour + 1, 0),
        )
        start = timezone.make_aware(dt.datetime.combine(today, dt.time(hour, 0)))
        rows.append(
            Visit.objects.create(
                patient=person,
                team=place.nursing,
                intervention=intervention,
                task=f"Insulin for {name}",
                date=today,
                window_start=start,
                window_end=start + dt.timedelta(hours=1),
                duration_minutes=20,
                assigned_to=nurse,
                status="assigned",
                planned_start=start,
            )
        )
    return rows


def test_a_nurse_sees_the_days_visits_in_order_and_records_one_once(live_server, browser):
    place = build_small_place()
    _visits_for_today(place)
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill("nurse")
    page.get_by_label("Password").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("main").get_by_role("link", name="My day").click()
    names = page.get_by_test_id("visit").locator("h2").all_inner_texts()
    assert names == ["Early Visitee", "Middle Visitee", "Late Visitee"]
    # Nothing spills sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.get_by_role("main").get_by_role("link", name="Middle Visitee").click()
    assert "Key safe 1234" in page.inner_text("main")
    page.get_by_label("Notes (optional)").fill("BM 6.8, insulin given")
    page.get_by_role("button", name="Completed").click()
    page.wait_for_url(live_server.url + "/my-day/")
    first = Visit.objects.get(task="Insulin for Middle")
    assert first.status == "completed" and first.outcome_notes == "BM 6.8, insulin given"

    # A double tap: the outcome form of another visit posted twice from the page records it once.
    page.get_by_role("main").get_by_role("link", name="Late Visitee").click()
    statuses = page.evaluate("""async () => {
        const form = document.querySelector('form[action$="/outcome/"]');
        const data = new FormData(form);
        data.append("outcome", "completed");
        const first = await fetch(form.action, {method: "POST", body: data});
        const second = await fetch(form.action, {method: "POST", body: data});
        return [first.status, second.status];
    }""")
    assert statuses == [200, 200]  # both followed the redirect back to the day list
    late = Visit.objects.get(task="Insulin for Late")
    assert late.status == "completed"
    assert Visit.objects.filter(status="completed").count() == 2
    from wraparound.access.models import AuditEvent

    recorded = AuditEvent.objects.filter(
        patient_id_at_event=late.patient_id, purpose="record a visit completed"
    )
    assert recorded.count() == 1
    page.close()


def test_a_missed_visit_typed_and_entered_is_recorded_missed_and_its_author_can_correct_it(
    live_server, browser
):
    """Issue 11, item 1: a reason typed and Enter pressed recorded the visit as completed."""
    place = build_small_place()
    visit = _visits_for_today(place)[0]
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server.url, "nurse", "correct-horse-battery-staple")
    page.goto(f"{live_server.url}/my-day/visits/{visit.pk}/")
    page.get_by_text("Could not do the visit").click()
    page.get_by_label("No answer at the door").check()
    notes = page.get_by_label("Notes", exact=True).last
    notes.fill("Rang twice, curtains drawn")
    notes.press("Enter")
    page.wait_for_load_state()
    visit.refresh_from_db()
    assert (visit.status, visit.missed_reason) == ("missed", "no_answer")
    # She was in after all: the nurse who recorded it corrects it, saying why.
    page.goto(f"{live_server.url}/my-day/visits/{visit.pk}/")
    page.get_by_text("Correct this record").click()
    page.get_by_label("The visit was done").check()
    page.get_by_label("Why the record was wrong").fill("She answered on the third ring")
    page.get_by_role("button", name="Correct the record").click()
    page.wait_for_load_state()
    visit.refresh_from_db()
    assert (visit.status, visit.missed_reason) == ("completed", "")
    assert "She answered on the third ring" in page.get_by_test_id("correction").inner_text()
    context.close()
