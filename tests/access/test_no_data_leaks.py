"""Walk every URL pattern as a user of an unrelated organisation: no person's data comes back."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.factories import PatientFactory, consent, in_care_team, on_caseload, referral, staff


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
    from tests.factories import TOKEN_ISSUER
    from wraparound.fhir.actions import issue_token
    from wraparound.fhir.views import RESOURCES

    secret, _ = issue_token(username="paramedic", by=TOKEN_ISSUER)
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


# The walk with every role: each user, against each person their role and relationships do
# not let them see, over every route (referral pages, lists and the admin among them).


@pytest.fixture
def secret_people(place):
    """Three people with different ways of being out of sight, each with referrals."""
    from wraparound.caseload.models import CarePlan
    from wraparound.referrals.lifecycle import Status

    zelda = PatientFactory(given_name="Zelda", family_name="Quixotic", postcode="WX9 9ZZ")
    on_caseload(zelda, place.nursing)
    in_care_team(zelda, place.council)
    consent(zelda, "share_alliance")
    CarePlan.objects.create(
        patient=zelda,
        team=place.nursing,
        title="Zelda's plan",
        starts_on=dt.date(2026, 1, 1),
        review_on=dt.date(2026, 12, 1),
    )
    referral(zelda, sender=place.users["befriender"], status=Status.ACCEPTED, team=place.nursing)
    # Closed referrals only, and dissent: nobody may see her, whoever referred her.
    yolanda = PatientFactory(given_name="Yolanda", family_name="Xenakis", postcode="WX8 8YY")
    consent(yolanda, "dissent")
    referral(yolanda, sender=place.users["gp"], status=Status.RETURNED)
    referral(yolanda, sender=place.users["befriender"], status=Status.COMPLETED, team=place.ucr)
    # The ambulance service's, who dissented; a referral waits with the coordination centre.
    wilma = PatientFactory(given_name="Wilhelmina", family_name="Vantongeren", postcode="WX6 6WW")
    on_caseload(wilma, place.outsider_team)
    consent(wilma, "dissent")
    referral(wilma, sender=place.users["gp"], status=Status.TRIAGED)
    return [zelda, yolanda, wilma]


def _everyone(place):
    users = dict(place.users)
    users["team_leader"] = staff("walk_leader", place.trust, "team_leader", place.nursing)
    admin = staff("walk_admin", place.trust, "administrator")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    users["administrator"] = admin
    return users


def _ids_of(person):
    referral_ids = list(person.referrals.values_list("pk", flat=True))
    plan = person.care_plans.first()
    ids = dict.fromkeys(("patient_id", "object_id", "pk", "id", "use_id"), str(person.pk))
    ids["referral_id"] = str(referral_ids[0])
    ids["plan_id"] = str(plan.pk) if plan else "1"
    return ids, referral_ids


def test_every_route_keeps_each_person_from_every_role_that_may_not_see_them(
    client, place, secret_people
):
    from wraparound.door.policy import decide

    routes = [route for route, _ in _routes(get_resolver())]
    walked = refused = 0
    for who, user in _everyone(place).items():
        hidden = [p for p in secret_people if not decide(user, p).allowed]
        client.force_login(user)
        for person in hidden:
            secrets = [person.given_name, person.family_name, person.nhs_number, person.postcode]
            ids, referral_ids = _ids_of(person)
            urls = [
                _concrete(r, ids) for r in routes if who == "administrator" or "admin/" not in r
            ]
            urls += [f"/referrals/{pk}/" for pk in referral_ids[1:]]
            for url in urls:
                if url is None or "sign-out" in url:
                    continue
                params = [{}]
                if url in ("/people/", "/referrals/mine/", "/referrals/worklist/"):
                    params += [{"q": person.family_name[:4]}, {"q": person.nhs_number[:6]}]
                for query in params:
                    for method in (client.get, client.post):
                        response = method(url, query, follow=True)
                        body = response.content.decode(errors="replace")
                        for secret in secrets:
                            assert secret not in body, (
                                f"{who}: {method.__name__.upper()} {url} {query} leaked {secret!r}"
                            )
                        walked += 1
                        refused += response.status_code in (403, 404)
    # Every role walked every route it can reach, and many answers were refusals.
    assert walked > 2000 and refused > 300, (walked, refused)
    print(f"no-leak walk: {walked} requests, {refused} refused")


def test_every_fhir_resource_keeps_each_person_from_every_role_that_may_not_see_them(
    client, place, secret_people
):
    from tests.factories import TOKEN_ISSUER
    from wraparound.door.policy import decide
    from wraparound.fhir.actions import issue_token
    from wraparound.fhir.views import RESOURCES

    asked = 0
    for who, user in _everyone(place).items():
        token, _ = issue_token(username=user.username, by=TOKEN_ISSUER)
        auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
        for person in (p for p in secret_people if not decide(user, p).allowed):
            secrets = [person.given_name, person.family_name, person.nhs_number, person.postcode]
            referral_ids = list(person.referrals.values_list("pk", flat=True))
            number = f"https://fhir.nhs.uk/Id/nhs-number|{person.nhs_number}"
            requests = [(f"/fhir/ServiceRequest/{pk}", {}) for pk in referral_ids]
            for resource_type in RESOURCES:
                requests += [
                    (f"/fhir/{resource_type}/{person.pk}", {}),
                    (f"/fhir/{resource_type}", {"patient": f"Patient/{person.pk}"}),
                    (f"/fhir/{resource_type}", {"identifier": number}),
                ]
            for url, params in requests:
                body = client.get(url, params, **auth).content.decode()
                body = body.replace(params.get("identifier", "\0"), "")  # an echo is no leak
                for leaked in secrets:
                    assert leaked not in body, f"{who}: GET {url} {params} leaked {leaked!r}"
                asked += 1
    assert asked > 500, asked
