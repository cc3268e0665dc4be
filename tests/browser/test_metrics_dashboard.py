"""A system leader opens the dashboard, sees the icons, opens a metric, sees the funnel
plot and the flagged unit with its buddies."""

import datetime as dt

import pytest

from wraparound.demo.place import DEMO_PASSWORD, build_place
from wraparound.metrics.registry import METRICS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_system_leader_finds_the_team_in_persistent_difficulty_and_its_buddies(
    live_server, browser
):
    build_place(seed=1, residents_count=5_000, today=dt.date(2026, 11, 2))
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/sign-in/")
    page.get_by_label("Username").fill("analyst")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("main").get_by_role("link", name="Standard metrics").click()
    rows = page.get_by_test_id("metric-row")
    assert rows.count() == len(METRICS)  # the community's nine, and the hospital's two
    # Icons only where a chart has enough points (12): two or three say nothing (issue 11).
    icons = page.get_by_test_id("icons").filter(has=page.locator("svg")).first
    assert "Variation" in icons.locator("svg title").first.text_content()
    assert "Too few points" in page.inner_text("main")

    page.get_by_role("main").get_by_role(
        "link", name="2-hour urgent response within 2 hours"
    ).click()
    assert page.get_by_test_id("funnel").locator("svg").is_visible()
    assert "Definition" in page.get_by_test_id("definition").inner_text()
    flag = page.get_by_test_id("flag").first
    assert "Dunmore Urgent Community Response" in flag.inner_text()
    assert page.get_by_test_id("buddies").locator("li").count() >= 1
    page.close()
