import re

import pytest

from wraparound.demo.place import DEMO_PASSWORD, build_place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_demo_user_signs_in_and_sees_their_home_page(live_server, page):
    build_place(seed=1, residents_count=2_000)
    page.goto(live_server.url + "/")
    assert re.search("Sign in", page.title())
    page.get_by_label("Username").fill("nurse")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")
    header = page.get_by_test_id("signed-in-as")
    assert "Wrexford Community Health NHS Trust" in header.inner_text()
    assert "Clinician" in header.inner_text()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Welcome, Nia")
    page.get_by_role("main").get_by_role("link", name="Find a person").click()
    assert page.get_by_test_id("people").is_visible()
    # The skip link and landmarks are there for keyboard and screen-reader users.
    assert page.locator("a.nhsuk-skip-link").get_attribute("href") == "#maincontent"
    assert page.locator("main#maincontent").count() == 1
    # The stylesheet came from this server, not a CDN.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.nhsuk-header')).backgroundColor")
        != "rgba(0, 0, 0, 0)"
    )
