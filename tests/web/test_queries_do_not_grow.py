"""A list page's queries do not grow with the rows it shows (issue 11, speed of pages)."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import PatientFactory, on_caseload, referral
from wraparound.referrals.lifecycle import Status


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def _add(place, n):
    for _ in range(n):
        person = PatientFactory()
        on_caseload(person, place.nursing)
        referral(person, sender=place.users["gp"], status=Status.TRIAGED)


def test_list_pages_make_as_many_queries_for_thirty_rows_as_for_three(client, place):
    from tests.factories import staff

    coordinator = staff("sam", place.trust, "coordinator")
    pages = {
        "nurse": [reverse("caseload:people"), reverse("caseload:team_caseload")],
        "sam": [reverse("referrals:worklist")],
        "gp": [reverse("referrals:mine")],
    }
    users = {"nurse": place.users["nurse"], "sam": coordinator, "gp": place.users["gp"]}
    _add(place, 3)
    few = {}
    for who, urls in pages.items():
        client.force_login(users[who])
        for url in urls:
            _queries(client, url)  # warm: the session and the first-use caches
            few[url] = _queries(client, url)
    _add(place, 27)
    for who, urls in pages.items():
        client.force_login(users[who])
        for url in urls:
            _queries(client, url)
            assert _queries(client, url) == few[url], url
