"""Factories (factory_boy) for the domain core, and a small hand-made place for policy tests."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import dataclass, field
from typing import Any

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from wraparound.access.actors import System
from wraparound.access.models import ConsentDecision
from wraparound.caseload.models import CareTeamMember, CaseloadEntry, Patient
from wraparound.nhs_number import synthetic
from wraparound.organisations.models import (
    Alliance,
    Neighbourhood,
    Organisation,
    OrganisationKind,
    Place,
    ServiceKind,
    Team,
)
from wraparound.referrals.models import Referral, Source, Status, Urgency
from wraparound.workforce.models import Profession, StaffMember

# The actor that issues API tokens in tests, as `wraparound token` does for an operator.
TOKEN_ISSUER = System("tests")


def fhir_subject(person: Patient) -> dict[str, Any]:
    """A ServiceRequest's subject naming ``person`` as a sender does: NHS number and birth date."""
    from wraparound.fhir.representations import NHS_NUMBER_SYSTEM
    from wraparound.fhir.service_requests import BIRTH_DATE_EXTENSION

    return {
        "identifier": {"system": NHS_NUMBER_SYSTEM, "value": person.nhs_number},
        "extension": [{"url": BIRTH_DATE_EXTENSION, "valueDate": person.date_of_birth.isoformat()}],
    }


_numbers = random.Random(20261122)
_issued: set[str] = set()


def fresh_nhs_number() -> str:
    """A valid synthetic number no one has: not issued here, nor to a demo resident."""
    number = synthetic(_numbers)
    while number in _issued or Patient.objects.filter(nhs_number=number).exists():
        number = synthetic(_numbers)
    _issued.add(number)
    return number


class PlaceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Place
        django_get_or_create = ("code",)

    name = "Testford"
    code = "testford"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    place = factory.SubFactory(PlaceFactory)
    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    code = factory.Sequence(lambda n: f"hood-{n}")
    centre_latitude = 52.5
    centre_longitude = -2.0


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    ods_code = factory.Sequence(lambda n: f"T{n:04d}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = OrganisationKind.COMMUNITY_TRUST
    place = factory.SubFactory(PlaceFactory)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Team {n}")
    code = factory.Sequence(lambda n: f"team-{n}")
    service_kind = ServiceKind.NEIGHBOURHOOD_NURSING
    base_latitude = 52.5
    base_longitude = -2.0


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    password = factory.django.Password("correct-horse-battery-staple")


class StaffMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffMember

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    team = None
    role = "clinician"
    profession = Profession.COMMUNITY_NURSE
    band = 5


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    nhs_number = factory.LazyFunction(fresh_nhs_number)
    given_name = "Edna"
    family_name = factory.Sequence(lambda n: f"Person{n}")
    date_of_birth = dt.date(1944, 3, 1)
    sex = "female"
    address = "1 High Street, Testford"
    postcode = "WX1 1AA"
    latitude = 52.5
    longitude = -2.0
    deprivation_decile = 5


@dataclass
class PlaceFixture:
    """Two alliance members (a community trust and a council), a GP practice, and an outsider."""

    trust: Organisation
    council: Organisation
    practice: Organisation
    outsider: Organisation
    nursing: Team
    ucr: Team
    social_care: Team
    outsider_team: Team
    alliance: Alliance
    users: dict[str, Any] = field(default_factory=dict)
    voluntary: Organisation | None = None
    befriending: Team | None = None


_counter = itertools.count()


def staff(username: str, organisation: Organisation, role: str, team: Team | None = None) -> Any:
    member = StaffMemberFactory(
        user=UserFactory(username=username), organisation=organisation, team=team, role=role
    )
    return member.user


def build_small_place() -> PlaceFixture:
    trust = OrganisationFactory(ods_code="RTR", name="Testford Community Trust")
    council = OrganisationFactory(
        ods_code="CNC01", name="Testford Council", kind=OrganisationKind.LOCAL_AUTHORITY
    )
    practice = OrganisationFactory(
        ods_code="P81001", name="Testford Surgery", kind=OrganisationKind.GP_PRACTICE
    )
    outsider = OrganisationFactory(
        ods_code="RAM", name="Faraway Ambulance Trust", kind=OrganisationKind.AMBULANCE_TRUST
    )
    voluntary = OrganisationFactory(
        ods_code="V81001", name="Age Well Testford", kind=OrganisationKind.VOLUNTARY_ORGANISATION
    )
    alliance = Alliance.objects.create(name="Testford Alliance", place=trust.place)
    alliance.members.set([trust, council, practice, voluntary])
    nursing = TeamFactory(organisation=trust, name="Nursing", code="nursing")
    ucr = TeamFactory(
        organisation=trust,
        name="UCR",
        code="ucr",
        service_kind=ServiceKind.URGENT_COMMUNITY_RESPONSE,
    )
    social_care = TeamFactory(
        organisation=council,
        name="Social care",
        code="social",
        service_kind=ServiceKind.SOCIAL_CARE,
    )
    befriending = TeamFactory(
        organisation=voluntary,
        name="Befriending",
        code="befriending",
        service_kind=ServiceKind.VOLUNTARY_SUPPORT,
    )
    outsider_team = TeamFactory(
        organisation=outsider, name="Ambulance", code="amb", service_kind=ServiceKind.AMBULANCE
    )
    fixture = PlaceFixture(
        trust, council, practice, outsider, nursing, ucr, social_care, outsider_team, alliance
    )
    fixture.voluntary = voluntary
    fixture.befriending = befriending
    fixture.users = {
        "nurse": staff("nurse", trust, "clinician", nursing),
        "ucr_nurse": staff("ucr_nurse", trust, "clinician", ucr),
        "social_worker": staff("social_worker", council, "clinician", social_care),
        "gp": staff("gp", practice, "referrer"),
        "paramedic": staff("paramedic", outsider, "clinician", outsider_team),
        "analyst": staff("analyst", trust, "system_analyst"),
        "privacy": staff("privacy", trust, "privacy_officer"),
        "spa_coordinator": staff("spa_coordinator", trust, "coordinator"),
        "befriender": staff("befriender", voluntary, "volunteer", befriending),
        "org_manager": staff("org_manager", trust, "service_manager"),
    }
    return fixture


def on_caseload(patient: Patient, team: Team, *, days_ago: int = 10) -> CaseloadEntry:
    return CaseloadEntry.objects.create(
        team=team, patient=patient, admitted_on=dt.date.today() - dt.timedelta(days=days_ago)
    )


def in_care_team(patient: Patient, organisation: Organisation, role: str = "GP") -> CareTeamMember:
    return CareTeamMember.objects.create(
        patient=patient, organisation=organisation, role=role, started_on=dt.date(2024, 1, 1)
    )


def consent(patient: Patient, scope: str | None) -> None:
    if scope is None:
        return
    ConsentDecision.objects.filter(patient=patient, is_current=True).update(is_current=False)
    ConsentDecision.objects.create(
        patient=patient, scope=scope, method="verbal", recorded_at=timezone.now(), is_current=True
    )


_keys = itertools.count(1)


def referral(
    patient: Patient,
    *,
    sender: Any,
    status: str = Status.RECEIVED,
    team: Team | None = None,
    needs: list[str] | None = None,
    received_at: dt.datetime | None = None,
) -> Referral:
    """A referral already in ``status``, with the fields that status needs (for policy tests).

    Real referrals move only through ``referrals.actions``; this skips the journey.
    """
    now = received_at or timezone.now()
    fields: dict[str, Any] = {}
    if status != Status.RECEIVED:
        fields.update(
            urgency=Urgency.ROUTINE, due_at=now + dt.timedelta(days=14), triage_rule="test"
        )
    if status in {Status.OFFERED, Status.ACCEPTED, Status.COMPLETED, Status.DECLINED}:
        fields["offered_team"] = team
    if status in {Status.ACCEPTED, Status.COMPLETED}:
        fields["accepted_at"] = now
    if status in {Status.DECLINED, Status.RETURNED}:
        fields["decline_reason"] = "Not for this team"
    if status == Status.RETURNED:
        fields["return_destination"] = "The referring GP practice"
    if status in {Status.RETURNED, Status.COMPLETED}:
        fields["closed_at"] = now
    staff = sender.staff_member
    return Referral.objects.create(
        patient=patient,
        referrer=sender,
        referring_organisation=staff.organisation,
        source=Source.GP,
        received_at=now,
        needs=needs or ["wound_care"],
        clinical_summary="Test referral",
        status=status,
        idempotency_key=f"test-{next(_keys)}",
        **fields,
    )


def shared_place(
    django_db_blocker: Any, *, seed: int = 1, residents: int = 10_000, today: dt.date | None = None
) -> Any:
    """Build the demo place once for a module (committed), and flush it afterwards.

    For tests that only read the place: building it is the slow part, on PostgreSQL most.
    Use as a generator inside a module-scoped fixture.
    """
    from django.core.management import call_command

    from wraparound.demo.place import build_place

    with django_db_blocker.unblock():
        report = build_place(seed=seed, residents_count=residents, today=today)
    try:
        yield report
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
