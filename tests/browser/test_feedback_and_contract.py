"""A person answers the Friends and Family Test on a phone from the link their nurse showed;
the team leader reads the month's chart and themes; the finance lead sees a partner's
statement change when a quality metric crosses its threshold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from tests.contracts.test_statements import START, _contacts, _two_hour, make_contract
from tests.factories import PatientFactory, build_small_place, on_caseload, staff
from tests.factories.browser import sign_in
from wraparound.caseload.models import Visit
from wraparound.feedback import actions
from wraparound.feedback.models import Response

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PASSWORD = "correct-horse-battery-staple"


def _completed_visit(place) -> Visit:
    now = timezone.now()
    person = PatientFactory(given_name="Edna", family_name="Jones")
    on_caseload(person, place.nursing)  # My day shows the people the nurse may see
    return Visit.objects.create(
        patient=person,
        team=place.nursing,
        task="Leg ulcer dressing",
        date=timezone.localdate(now),
        window_start=now - dt.timedelta(hours=2),
        window_end=now - dt.timedelta(hours=1),
        duration_minutes=30,
        assigned_to=place.users["nurse"].staff_member,
        status="completed",
        finished_at=now - dt.timedelta(hours=1),
    )


def test_a_person_answers_on_a_phone_and_the_team_leader_reads_the_month(live_server, browser):
    place = build_small_place()
    _completed_visit(place)
    leader = staff("nursing_leader", place.trust, "team_leader", place.nursing)

    nurse = browser.new_context(viewport=PHONE).new_page()
    sign_in(nurse, live_server.url, "nurse", PASSWORD)
    nurse.goto(live_server.url + "/my-day/")
    nurse.get_by_test_id("ask-feedback").click()
    assert nurse.get_by_test_id("fft-qr").locator("svg").count() == 1
    link = nurse.get_by_test_id("fft-link").get_attribute("href")
    assert link and "/feedback/" in link

    person = browser.new_context(viewport=PHONE).new_page()  # their own phone: not signed in
    person.goto(link)
    assert "Overall, how was your experience of our service?" in person.inner_text("main")
    assert person.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    person.get_by_role("button", name="Send your answer").click()  # nothing chosen
    assert "Choose one of the answers" in person.inner_text("main")
    person.get_by_label("Very good").check()
    person.get_by_label("Please can you tell us why you gave your answer?").fill(
        "The nurse was kind and explained the dressing"
    )
    person.get_by_role("button", name="Send your answer").click()
    person.wait_for_load_state()
    assert "Thank you for your answer" in person.inner_text("main")
    person.goto(link)
    assert "already been used" in person.inner_text("main")
    assert Response.objects.count() == 1

    for rating in ("good", "very_good", "poor", "very_good", "dont_know"):
        visit = _completed_visit(place)
        _, token = actions.invite_feedback(visit_id=visit.pk, by=place.users["nurse"])
        actions.answer_feedback(token=token, rating=rating, reason="", by=place.users["nurse"])

    page = browser.new_page()
    sign_in(page, live_server.url, leader.username, PASSWORD)
    page.get_by_role("main").get_by_role("link", name="Feedback from people").click()
    main = page.inner_text("main")
    assert "6 answers" in main and "66.7%" in main  # 4 of 6 positive, don't know counted
    assert page.locator("svg#fft-p-chart").count() == 1
    assert "Staff attitude and kindness" in page.get_by_test_id("fft-themes").inner_text()
    assert "explained the dressing" in page.get_by_test_id("fft-comments").inner_text()


def test_the_finance_lead_sees_a_statement_change_when_quality_crosses_its_threshold(
    live_server, browser
):
    place = build_small_place()
    finance = staff("finance", place.trust, "finance_lead")
    contract = make_contract(place, finance)
    _contacts("RTR", START, completed=300)
    _two_hour("RTR", START, fast=13, slow=7)  # 65%

    page = browser.new_page()
    sign_in(page, live_server.url, "finance", PASSWORD)
    page.get_by_role("main").get_by_role("link", name="Alliance contracts").click()
    page.get_by_role("link", name="Testford community contract").click()
    page.get_by_label("Months of the year").select_option("3")
    page.get_by_role("button", name="Show").click()
    steps = page.get_by_test_id("statement-steps").inner_text()
    assert "65.0 against at least 70.00: not met" in steps
    before = page.get_by_test_id("payment-CNC01").inner_text()
    assert "£75,000.00\t£0.00" in before  # a quarter of its fixed £300,000, no gain yet

    page.get_by_role("link", name="Change the terms").click()
    page.get_by_label("2-hour urgent response within 2 hours: threshold (%)").fill("60")
    page.get_by_role("button", name="Save the terms").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/contracts/{contract.pk}/?months=3")
    steps = page.get_by_test_id("statement-steps").inner_text()
    assert "65.0 against at least 60.00: met" in steps
    after = page.get_by_test_id("payment-CNC01").inner_text()
    # The £6,000 quarter's premium is a gain, 30% of it the council's: £1,800 more.
    assert "£1,800.00" in after and after != before
