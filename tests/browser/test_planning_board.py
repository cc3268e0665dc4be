"""A team leader plans tomorrow, sees the map and timeline, moves a visit, publishes;
a nurse then sees the published day."""

import re

import pytest

from tests.factories import build_small_place
from tests.factories.browser import sign_in, sign_out
from tests.factories.team_day import make_team_day
from wraparound.caseload.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_leader_plans_moves_and_publishes_and_a_nurse_sees_it(live_server, browser):
    place = build_small_place()
    day = make_team_day(place)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server.url, "leader", "correct-horse-battery-staple")
    page.get_by_role("main").get_by_role("link", name="Plan the day").click()
    page.get_by_role("button", name="Plan the day").click()
    assert page.get_by_test_id("route-map").is_visible()
    assert page.get_by_test_id("timeline").is_visible()
    assert "6 visits" in page.get_by_test_id("plan-summary").inner_text()
    # Issue 11, item 5: the page speaks in names, never the planner's ids or its engine.
    main = page.inner_text("main")
    assert not re.search(r"\bs\d+\b|alns|iterations", main), main

    moved = day["visits"][2]
    row = page.locator(f'tr[data-visit="{moved.pk}"]')
    row.get_by_label("Member of staff").select_option(str(day["nurses"][1].staff_member.pk))
    row.get_by_label("Start at").fill("13:15")
    row.get_by_role("button", name="Move").click()
    page.wait_for_load_state()
    row = page.locator(f'tr[data-visit="{moved.pk}"]')
    assert "(pinned)" in row.inner_text() and "13:15" in row.inner_text()

    page.get_by_role("button", name="Publish to the nurses").click()
    assert page.get_by_test_id("published").is_visible()
    moved.refresh_from_db()
    assert moved.assigned_to == day["nurses"][1].staff_member and moved.status == "assigned"

    sign_out(page)
    sign_in(page, live_server.url, "nurse2", "correct-horse-battery-staple")
    page.goto(f"{live_server.url}/my-day/?date={day['day'].isoformat()}")
    names = page.get_by_test_id("visit").locator("h2").all_inner_texts()
    mine = (
        Visit.objects.filter(date=day["day"], assigned_to=day["nurses"][1].staff_member).count()
        + Visit.objects.filter(date=day["day"], second_staff=day["nurses"][1].staff_member).count()
    )
    assert len(names) == mine and mine >= 1
    assert any("P2" in n for n in names)
    page.close()
