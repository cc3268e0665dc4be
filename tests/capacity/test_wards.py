"""Admitting to and discharging from a virtual ward: who may, and what moves with it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import PatientFactory, in_care_team
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.capacity import actions
from wraparound.capacity.models import Ward, WardStay
from wraparound.caseload.models import CaseloadEntry
from wraparound.directory.actions import update_capacity
from wraparound.directory.models import Service


def _admit(capacity, patient=None, by=None, **fields):
    return actions.admit_to_ward(
        ward_id=capacity.ward.pk,
        patient_id=(patient or capacity.patient).pk,
        direction=fields.pop("direction", "step_up"),
        pathway=fields.pop("pathway", "frailty"),
        reason=fields.pop("reason", "Breathless and frail at 5 pm on a Friday"),
        by=by or capacity.users["gp_senior"],
        **fields,
    )


def test_an_authorised_senior_clinician_admits_and_the_census_and_directory_move(capacity):
    stay, admitted = _admit(capacity)
    assert admitted and stay.admitted_by_role.startswith("Authorised senior clinician")
    ward = Ward.objects.get()
    assert (ward.census, ward.occupancy) == (1, 0.5)
    service = Service.objects.get(pk=ward.service_id)
    assert (service.free_slots, service.capacity) == (1, "amber")
    assert service.capacity_set_at is not None
    # The ward's team takes the person on its caseload, so its nurses can see them.
    assert CaseloadEntry.objects.filter(team=service.team, patient=capacity.patient).exists()
    assert stay.out_of_hours_cover == "Hospital at Home consultant on call, 24/7"
    assert AuditEvent.objects.filter(purpose="admit to a ward", action="create").count() == 1


@pytest.mark.parametrize("who", ["ward_nurse", "coordinator"])
def test_an_admission_by_a_role_that_may_not_admit_is_refused(capacity, who):
    with pytest.raises(NoAccess, match="authorised senior clinician"):
        _admit(capacity, by=capacity.users[who])
    assert not WardStay.objects.exists() and Ward.objects.get().census == 0


def test_a_referrer_who_is_not_a_senior_clinician_cannot_admit(capacity, place):
    with pytest.raises(NoAccess):
        _admit(capacity, by=place.users["gp"])


def test_a_senior_clinician_admits_only_a_person_they_may_see(capacity):
    stranger = PatientFactory()
    with pytest.raises(NoAccess):
        _admit(capacity, patient=stranger)
    assert Ward.objects.get().census == 0


def test_admitting_the_same_person_again_returns_their_stay(capacity):
    first, _ = _admit(capacity)
    again, admitted = _admit(capacity)
    assert (again.pk, admitted) == (first.pk, False)
    assert Ward.objects.get().census == 1


def test_a_full_ward_turns_the_admission_away_naming_the_ward(capacity, place):
    for _ in range(2):
        person = PatientFactory()
        in_care_team(person, place.practice)
        _admit(capacity, patient=person)
    with pytest.raises(ValidationError) as refused:
        _admit(capacity)
    assert "full" in refused.value.message_dict["ward"][0]
    assert Service.objects.get(pk=capacity.ward.service_id).capacity == "red"


@pytest.mark.parametrize(
    ("field", "value"),
    [("direction", "sideways"), ("pathway", "gout"), ("reason", "  ")],
)
def test_bad_admission_fields_are_named(capacity, field, value):
    with pytest.raises(ValidationError) as refused:
        _admit(capacity, **{field: value})
    assert field in refused.value.message_dict
    assert not WardStay.objects.exists()


def _discharge(stay, by, **fields):
    return actions.discharge_from_ward(
        stay_id=stay.pk,
        disposition=fields.pop("disposition", "home_with_support"),
        gp_summary=fields.pop("gp_summary", "Recovered from a chest infection at home."),
        medication_changes=fields.pop(
            "medication_changes",
            [{"medicine": "Furosemide 40 mg", "change": "dose changed", "detail": "from 20 mg"}],
        ),
        by=by,
        **fields,
    )


def test_discharge_sends_the_gp_a_summary_with_the_medication_changes(capacity, place):
    stay, _ = _admit(capacity)
    done = _discharge(stay, capacity.users["gp_senior"])
    assert done.summary_for == place.practice
    assert done.medication_changes[0]["change"] == "dose changed"
    assert Ward.objects.get().census == 0
    entry = CaseloadEntry.objects.get(pk=stay.caseload_entry_id)
    assert entry.discharged_on == timezone.localdate()
    assert Service.objects.get(pk=capacity.ward.service_id).free_slots == 2


def test_discharging_twice_names_the_stay_and_the_census_stays_at_nought(capacity):
    stay, _ = _admit(capacity)
    _discharge(stay, capacity.users["gp_senior"])
    with pytest.raises(ValidationError) as refused:
        _discharge(stay, capacity.users["gp_senior"])
    assert "Already discharged" in refused.value.message_dict["stay"][0]
    assert Ward.objects.get().census == 0


def test_a_discharge_from_an_empty_ward_names_the_ward_and_writes_nothing(capacity):
    stay, _ = _admit(capacity)
    Ward.objects.filter(pk=capacity.ward.pk).update(census=0)  # a census put wrong by hand
    with pytest.raises(ValidationError) as refused:
        _discharge(stay, capacity.users["gp_senior"])
    assert "no one on it" in refused.value.message_dict["ward"][0]
    assert WardStay.objects.get().discharged_at is None


def test_the_database_refuses_a_census_below_nought_or_above_the_places(capacity):
    for census in (-1, 3):
        with pytest.raises(IntegrityError), transaction.atomic():
            Ward.objects.filter(pk=capacity.ward.pk).update(census=census)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ([{"medicine": "", "change": "started"}], "medication_changes[0].medicine"),
        ([{"medicine": "Ramipril", "change": "doubled"}], "medication_changes[0].change"),
    ],
)
def test_a_bad_medication_change_names_its_field(capacity, changes, field):
    stay, _ = _admit(capacity)
    with pytest.raises(ValidationError) as refused:
        _discharge(stay, capacity.users["gp_senior"], medication_changes=changes)
    assert field in refused.value.message_dict
    assert WardStay.objects.get().discharged_at is None and Ward.objects.get().census == 1


def test_a_discharge_by_a_ward_nurse_is_refused(capacity):
    stay, _ = _admit(capacity)
    with pytest.raises(NoAccess):
        _discharge(stay, capacity.users["ward_nurse"])


def test_the_review_flag_shows_from_the_fourteenth_day_after_admission(capacity):
    stay, _ = _admit(capacity)
    today = timezone.localdate(stay.admitted_at)
    assert stay.day_count(today) == 1
    assert not stay.review_due(today + dt.timedelta(days=13))
    assert stay.review_due(today + dt.timedelta(days=14))


def test_a_live_services_capacity_cannot_be_typed(capacity, place):
    manager = place.users["org_manager"]
    with pytest.raises(ValidationError) as refused:
        update_capacity(
            service_id=capacity.ward.service_id, capacity="green", free_slots=9, by=manager
        )
    assert "census" in refused.value.message_dict["capacity"][0]


def test_places_cannot_fall_below_the_people_on_the_ward(capacity, place):
    _admit(capacity)
    with pytest.raises(ValidationError) as refused:
        actions.set_ward_places(ward_id=capacity.ward.pk, places=0, by=place.users["org_manager"])
    assert "places" in refused.value.message_dict
    ward = actions.set_ward_places(
        ward_id=capacity.ward.pk, places=5, by=place.users["org_manager"]
    )
    assert Service.objects.get(pk=ward.service_id).free_slots == 4


def test_someone_already_on_the_wards_team_caseload_stays_on_it_after_discharge(capacity):
    team = Service.objects.get(pk=capacity.ward.service_id).team
    CaseloadEntry.objects.create(team=team, patient=capacity.patient, admitted_on="2026-01-05")
    stay, _ = _admit(capacity)
    assert stay.caseload_entry is None
    _discharge(stay, capacity.users["gp_senior"])
    assert CaseloadEntry.objects.get(team=team, patient=capacity.patient).discharged_on is None
