"""Walk every URL pattern as a user of an unrelated organisation: no person's data comes back."""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PatientFactory, consent, in_care_team, on_caseload


def _routes(resolver: URLResolver, prefix: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            found += _routes(entry, prefix + str(entry.pattern))
        else:
            found.append((prefix + str(entry.pattern), entry))
    return found


def _concrete(route: str, ids: dict[str, str]) -> str | None:
    """Fill a route's parameters with the person's ids; None for regex routes we cannot fill."""
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: ids.get(m.group(1), "1"), route)
    path = path.lstrip("^").rstrip("$")
    if any(ch in path for ch in "()[]?*+\\"):
        return None
    return "/" + path


@pytest.fixture
def secret_person(place):
    person = PatientFactory(given_name="Zelda", family_name="Quixotic", postcode="WX9 9ZZ")
    on_caseload(person, place.nursing)
    in_care_team(person, place.council)
    consent(person, "share_alliance")
    return person


def test_every_route_keeps_a_persons_data_from_an_unrelated_organisation(
    client, place, secret_person
):
    client.force_login(place.users["paramedic"])
    ids = {
        name: str(secret_person.pk) for name in ("patient_id", "object_id", "pk", "id", "use_id")
    }
    secrets = ["Zelda", "Quixotic", secret_person.nhs_number, "WX9 9ZZ"]
    walked = 0
    for route, _pattern in _routes(get_resolver()):
        url = _concrete(route, ids)
        if url is None or "sign-out" in url:
            continue
        # Searches that would match the person, none of them echoing a whole secret back.
        for params in ({}, {"q": "Quix"}, {"q": secret_person.nhs_number[:6]}):
            for method in (client.get, client.post):
                response = method(url, params, follow=True)
                body = response.content.decode(errors="replace")
                for secret in secrets:
                    assert secret not in body, (
                        f"{method.__name__.upper()} {url} {params} leaked {secret!r}"
                    )
        walked += 1
    assert walked >= 10  # the walk really covered the app, admin included


def test_every_fhir_resource_keeps_a_persons_data_from_an_unrelated_organisation(
    client, place, secret_person
):
    from wraparound.fhir.actions import issue_token
    from wraparound.fhir.views import RESOURCES

    secret, _ = issue_token(username="paramedic")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    secrets = ["Zelda", "Quixotic", secret_person.nhs_number, "WX9 9ZZ"]
    pid = secret_person.pk
    for resource_type in RESOURCES:
        for url, params in (
            (f"/fhir/{resource_type}/{pid}", {}),
            (f"/fhir/{resource_type}", {"patient": f"Patient/{pid}"}),
            (
                f"/fhir/{resource_type}",
                {"identifier": f"https://fhir.nhs.uk/Id/nhs-number|{secret_person.nhs_number}"},
            ),
        ):
            body = client.get(url, params, **auth).content.decode()
            for leaked in secrets:
                if leaked == secret_person.nhs_number and "identifier" in params:
                    body = body.replace(
                        params["identifier"], ""
                    )  # an echo of the query is not a leak
                assert leaked not in body, f"GET {url} {params} leaked {leaked!r}"
