"""Providers maintain only their own services; gaps are recorded by their own action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tests.directory.conftest import FRIDAY_5PM, MRS_JONES_NEEDS, WEDNESDAY_11AM
from tests.factories import staff
from wraparound.access.models import AuditEvent
from wraparound.directory import actions
from wraparound.directory.models import Gap, Need, Service, ServiceType
from wraparound.directory.search import eligible_services


@pytest.fixture
def managers(place):
    return {
        "trust": staff("trust_manager", place.trust, "service_manager"),
        "council": staff("council_manager", place.council, "service_manager"),
    }


def test_a_provider_sets_its_own_services_capacity_and_it_is_audited(directory, managers):
    actions.update_capacity(
        service_id=directory.ucr.pk,
        capacity="amber",
        free_slots=2,
        by=managers["trust"],
        when=FRIDAY_5PM,
    )
    directory.ucr.refresh_from_db()
    assert (directory.ucr.capacity, directory.ucr.free_slots) == ("amber", 2)
    assert directory.ucr.capacity_set_at == FRIDAY_5PM
    event = AuditEvent.objects.get(purpose="service capacity changed")
    assert event.detail["service_id"] == directory.ucr.pk and event.username == "trust_manager"


def test_another_provider_cannot_change_a_service(directory, managers):
    with pytest.raises(actions.NotYourService):
        actions.update_capacity(
            service_id=directory.ucr.pk, capacity="red", free_slots=0, by=managers["council"]
        )
    with pytest.raises(actions.NotYourService):
        actions.update_service(service_id=directory.ucr.pk, by=managers["council"], max_age=65)
    directory.ucr.refresh_from_db()
    assert directory.ucr.capacity == "green" and directory.ucr.max_age is None


def test_a_clinician_cannot_change_even_their_own_organisations_service(directory, place):
    with pytest.raises(actions.NotYourService):
        actions.update_capacity(
            service_id=directory.ucr.pk, capacity="red", free_slots=0, by=place.users["nurse"]
        )


def test_a_provider_adds_a_service_with_its_dos_service_type(place, managers):
    service = actions.create_service(
        team=place.ucr,
        name="Falls response",
        service_type=ServiceType.FALLS,
        needs=[Need.FALL],
        by=managers["trust"],
        offers_two_hour=True,
    )
    assert service.provider == place.trust and service.dos_service_type_id == 20
    assert list(service.needs.values_list("need", flat=True)) == ["fall"]
    with pytest.raises(actions.NotYourService):
        actions.create_service(
            team=place.ucr,
            name="Sneaky",
            service_type=ServiceType.FALLS,
            needs=[],
            by=managers["council"],
        )
    assert not Service.objects.filter(name="Sneaky").exists()


def test_bad_capacity_and_bad_changes_are_refused_naming_the_field(directory, managers):
    with pytest.raises(ValidationError, match="capacity"):
        actions.update_capacity(
            service_id=directory.ucr.pk, capacity="blue", free_slots=None, by=managers["trust"]
        )
    with pytest.raises(ValidationError, match="provider"):
        actions.update_service(
            service_id=directory.ucr.pk, by=managers["trust"], provider=managers["council"]
        )


def test_a_gap_is_recorded_only_for_a_service_that_failed_exactly_one_rule(directory, place):
    # A 2-day search for help at home: the 18-65 reablement service fails on age alone.
    result = eligible_services(
        directory.mrs_jones, [Need.UNABLE_TO_MANAGE], "2-day", WEDNESDAY_11AM
    )
    gaps = actions.record_gaps(result, by=place.users["nurse"])
    assert [(g.service_id, g.rule, g.reason) for g in gaps] == [
        (directory.young_reablement.pk, "age", "age 82 is over the upper limit 65")
    ]
    gap = Gap.objects.get()
    assert gap.age_band == "80-84" and gap.neighbourhood == directory.hillside
    assert gap.needs == ["unable_to_manage"] and gap.urgency == "2-day"


def test_no_gap_when_every_excluded_service_failed_several_rules(directory, place):
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    assert all(len(e.failures) > 1 for e in result.excluded)
    assert actions.record_gaps(result, by=place.users["nurse"]) == []


def test_capacity_goes_stale_after_the_services_own_limit(directory, managers):
    actions.update_service(
        service_id=directory.ucr.pk, by=managers["trust"], capacity_stale_after_minutes=30
    )
    actions.update_capacity(
        service_id=directory.ucr.pk,
        capacity="red",
        free_slots=0,
        by=managers["trust"],
        when=FRIDAY_5PM - dt.timedelta(minutes=45),
    )
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    assert [m.capacity for m in result.eligible] == ["unknown"]


def test_a_provider_changes_its_services_needs_coverage_and_hours(directory, managers):
    actions.update_profile(
        service_id=directory.central_nursing.pk,
        by=managers["trust"],
        needs=[Need.BREATHLESSNESS, Need.UNABLE_TO_MANAGE],
        neighbourhood_ids=[directory.central.pk, directory.hillside.pk],
        weekly=[(d, dt.time(0), dt.time(0)) for d in range(7)],  # round the clock
    )
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-day", FRIDAY_5PM)
    assert "Central Community Nursing" in [m.service.name for m in result.eligible]


def test_another_provider_cannot_change_a_services_profile(directory, managers):
    with pytest.raises(actions.NotYourService):
        actions.update_profile(
            service_id=directory.central_nursing.pk, by=managers["council"], needs=[]
        )
    assert directory.central_nursing.needs.count() == 2


def test_a_bad_session_is_refused_and_nothing_is_half_written(directory, managers):
    with pytest.raises(ValidationError):
        actions.update_profile(
            service_id=directory.central_nursing.pk,
            by=managers["trust"],
            needs=[Need.WOUND_CARE],
            weekly=[(9, dt.time(8), dt.time(18))],
        )
    assert directory.central_nursing.sessions.count() == 5
    assert directory.central_nursing.needs.count() == 2  # the needs change was rolled back too


def test_every_service_type_is_recorded_as_a_national_dos_service_type():
    from wraparound.directory import dos
    from wraparound.directory.models import DOS_SERVICE_TYPE

    assert set(DOS_SERVICE_TYPE) == set(ServiceType.values)
    assert all(dos_id in dos.service_types() for dos_id in DOS_SERVICE_TYPE.values())
    assert dos.name_of(DOS_SERVICE_TYPE[ServiceType.URGENT_COMMUNITY_RESPONSE]) == (
        "Urgent Community Response (UCR)"
    )


def test_only_staff_record_directory_gaps(directory):
    from django.contrib.auth.models import AnonymousUser

    from wraparound.access.permissions import NoAccess

    result = eligible_services(
        directory.mrs_jones, [Need.UNABLE_TO_MANAGE], "2-day", WEDNESDAY_11AM
    )
    with pytest.raises(NoAccess):
        actions.record_gaps(result, by=AnonymousUser())
    with pytest.raises(TypeError, match="by: an action needs a user or the system"):
        actions.record_gaps(result, by="someone")
    assert not Gap.objects.exists()


def test_a_first_start_is_said_with_the_capacity_and_is_unknown_once_stale(directory, managers):
    tuesday = dt.date(2026, 11, 10)  # FRIDAY_5PM is Friday 6 November
    with pytest.raises(ValidationError) as refused:
        actions.update_capacity(
            service_id=directory.ucr.pk,
            capacity="amber",
            free_slots=0,
            next_start=dt.date(2026, 11, 5),
            by=managers["trust"],
            when=FRIDAY_5PM,
        )
    assert "next_start" in refused.value.message_dict
    actions.update_capacity(
        service_id=directory.ucr.pk,
        capacity="amber",
        free_slots=0,
        next_start=tuesday,
        by=managers["trust"],
        when=FRIDAY_5PM,
    )
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    (ucr,) = [m for m in result.eligible if m.service.id == directory.ucr.pk]
    assert ucr.starts_on == tuesday and "first start Tuesday 10 November" in ucr.notes
    stale = eligible_services(
        directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM + dt.timedelta(days=1)
    )
    assert all(m.starts_on is None for m in stale.eligible)  # unknown once out of date
    change = AuditEvent.objects.filter(purpose="service capacity changed").latest("id")
    assert change.detail["changes"]["next_start"] == {"from": None, "to": "2026-11-10"}
