"""Care plans expanded into visits; the visit lifecycle; recording a visit only once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import PatientFactory, TeamFactory, on_caseload, staff
from wraparound.access.permissions import NoAccess
from wraparound.caseload import actions
from wraparound.caseload.models import CarePlan, Intervention, TeamClosure, Visit
from wraparound.caseload.visits_due import visits_due
from wraparound.organisations.models import ServiceKind

MONDAY = dt.date(2026, 11, 23)


@pytest.fixture
def leader(place):
    return staff("leader", place.trust, "team_leader", place.nursing)


def _plan(place, person, **intervention):
    plan = CarePlan.objects.create(
        patient=person,
        team=place.nursing,
        title="Diabetes care",
        starts_on=MONDAY - dt.timedelta(days=30),
        review_on=MONDAY + dt.timedelta(days=60),
    )
    fields = {
        "kind": "insulin",
        "duration_minutes": 20,
        "recurrence": "daily",
        "starts_on": MONDAY - dt.timedelta(days=30),
        "window_start": dt.time(7, 30),
        "window_end": dt.time(9, 30),
    } | intervention
    return Intervention.objects.create(care_plan=plan, **fields)


@pytest.fixture
def person(place):
    p = PatientFactory()
    on_caseload(p, place.nursing)
    return p


def test_each_recurrence_expands_into_the_days_visits(place, person):
    daily = _plan(place, person)
    _plan(place, person, kind="complex_wound", recurrence="weekdays", weekdays=[2, 4])  # Tue, Thu
    every_third = _plan(
        place, person, kind="bloods", recurrence="every_n_days", interval_days=3, starts_on=MONDAY
    )
    once = _plan(
        place, person, kind="assessment", recurrence="once", starts_on=MONDAY + dt.timedelta(days=1)
    )
    due_monday = {v.intervention_id for v in visits_due(place.nursing, MONDAY)}
    assert due_monday == {daily.pk, every_third.pk}
    due_tuesday = {
        v.intervention_id for v in visits_due(place.nursing, MONDAY + dt.timedelta(days=1))
    }
    assert len(due_tuesday) == 3 and once.pk in due_tuesday and every_third.pk not in due_tuesday


def test_a_due_visit_carries_its_window_skills_and_double_handing(place, person):
    _plan(place, person, double_handed=True)
    (visit,) = visits_due(place.nursing, MONDAY)
    assert visit.window_start == dt.datetime(2026, 11, 23, 7, 30, tzinfo=dt.UTC)
    assert visit.window_end == dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)
    assert visit.double_handed and visit.duration_minutes == 20


def test_on_the_clock_change_day_the_window_keeps_its_local_time(place, person):
    _plan(place, person)
    (visit,) = visits_due(place.nursing, dt.date(2027, 3, 28))  # clocks go forward at 01:00
    assert visit.window_start == dt.datetime(2027, 3, 28, 6, 30, tzinfo=dt.UTC)  # 07:30 BST


def test_no_visits_are_due_on_a_bank_holiday_the_team_marked_closed(place, person):
    _plan(place, person)
    TeamClosure.objects.create(
        team=place.nursing, date=dt.date(2026, 12, 25), reason="Christmas Day"
    )
    assert visits_due(place.nursing, dt.date(2026, 12, 25)) == []
    assert len(visits_due(place.nursing, dt.date(2026, 12, 24))) == 1


def test_no_visits_are_due_after_the_plans_end_date(place, person):
    _plan(place, person, ends_on=MONDAY)
    assert len(visits_due(place.nursing, MONDAY)) == 1
    assert visits_due(place.nursing, MONDAY + dt.timedelta(days=1)) == []


def test_no_visits_are_due_for_a_discharged_person_or_an_ended_plan(place, person):
    intervention = _plan(place, person)
    person.caseload_entries.update(discharged_on=MONDAY - dt.timedelta(days=1))
    assert visits_due(place.nursing, MONDAY) == []
    person.caseload_entries.update(discharged_on=None)
    CarePlan.objects.filter(pk=intervention.care_plan_id).update(status="ended")
    assert visits_due(place.nursing, MONDAY) == []


def test_planning_the_day_twice_creates_each_visit_once(place, person, leader):
    _plan(place, person)
    assert len(actions.plan_visits(team=place.nursing, day=MONDAY, by=leader)) == 1
    assert actions.plan_visits(team=place.nursing, day=MONDAY, by=leader) == []
    assert Visit.objects.count() == 1


def test_the_database_refuses_a_second_visit_for_the_same_intervention_and_day(
    place, person, leader
):
    _plan(place, person)
    (visit,) = actions.plan_visits(team=place.nursing, day=MONDAY, by=leader)
    visit.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        visit.save()


def test_only_the_teams_leader_plans_its_day(place, person):
    _plan(place, person)
    with pytest.raises(NoAccess):
        actions.plan_visits(team=place.nursing, day=MONDAY, by=place.users["nurse"])


def test_recording_a_visit_twice_records_it_once(place, person, leader):
    _plan(place, person)
    (visit,) = actions.plan_visits(team=place.nursing, day=MONDAY, by=leader)
    nurse = place.users["nurse"]
    actions.assign_visit(visit_id=visit.pk, staff_id=nurse.staff_member.pk, by=leader)
    first = actions.record_visit_outcome(
        visit_id=visit.pk, outcome="completed", notes="BM 7.2", by=nurse
    )
    again = actions.record_visit_outcome(
        visit_id=visit.pk, outcome="completed", notes="BM 7.2", by=nurse
    )
    assert first.finished_at == again.finished_at
    assert Visit.objects.get().status == "completed"
    with pytest.raises(ValidationError, match="already recorded as completed"):
        actions.record_visit_outcome(
            visit_id=visit.pk, outcome="missed", missed_reason="no_answer", by=nurse
        )


def test_a_missed_visit_needs_a_reason(place, person, leader):
    _plan(place, person)
    (visit,) = actions.plan_visits(team=place.nursing, day=MONDAY, by=leader)
    with pytest.raises(ValidationError) as exc:
        actions.record_visit_outcome(visit_id=visit.pk, outcome="missed", by=place.users["nurse"])
    assert "missed_reason" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Visit.objects.filter(pk=visit.pk).update(status="missed", finished_at=visit.window_start)


def test_the_visit_lifecycle_refuses_a_move_it_does_not_allow(place, person, leader):
    _plan(place, person)
    (visit,) = actions.plan_visits(team=place.nursing, day=MONDAY, by=leader)
    with pytest.raises(ValidationError, match="cannot go from planned to arrived"):
        actions.move_visit(visit_id=visit.pk, to="arrived", by=place.users["nurse"])
    actions.assign_visit(
        visit_id=visit.pk, staff_id=place.users["nurse"].staff_member.pk, by=leader
    )
    for status in ("en_route", "arrived"):
        assert (
            actions.move_visit(visit_id=visit.pk, to=status, by=place.users["nurse"]).status
            == status
        )


def test_every_move_the_visit_lifecycle_allows_has_an_audit_purpose():
    # move_visit audits "visit <status>"; a status missing from the list would fail the move.
    from wraparound.access.purposes import Purpose
    from wraparound.caseload.models.visits import VISIT_TRANSITIONS

    for to in {status for targets in VISIT_TRANSITIONS.values() for status in targets}:
        assert Purpose(f"visit {to.replace('_', ' ')}")


def test_a_nurse_of_an_unrelated_organisation_cannot_record_a_visit(place, person, leader):
    _plan(place, person)
    (visit,) = actions.plan_visits(team=place.nursing, day=MONDAY, by=leader)
    with pytest.raises(NoAccess):
        actions.record_visit_outcome(
            visit_id=visit.pk, outcome="completed", by=place.users["paramedic"]
        )
    assert Visit.objects.get().status == "planned"


def test_an_extra_visit_can_be_added(place, person):
    start = dt.datetime(2026, 11, 23, 14, 0, tzinfo=dt.UTC)
    visit = actions.add_extra_visit(
        patient_id=person.pk,
        team=place.nursing,
        task="Catheter blocked",
        window_start=start,
        window_end=start + dt.timedelta(hours=2),
        duration_minutes=30,
        by=place.users["nurse"],
    )
    assert visit.intervention is None and visit.date == MONDAY


def test_healthy_child_programme_contacts_become_visits_due_in_their_windows(place):
    hv_team = TeamFactory(
        organisation=place.trust, code="hv", service_kind=ServiceKind.HEALTH_VISITING
    )
    baby = PatientFactory(date_of_birth=MONDAY - dt.timedelta(days=11))
    on_caseload(baby, hv_team, days_ago=1)
    (due,) = visits_due(hv_team, MONDAY)
    assert due.programme_contact == "Healthy Child Programme: New birth visit"
    hv_leader = staff("hvleader", place.trust, "team_leader", hv_team)
    assert len(actions.plan_visits(team=hv_team, day=MONDAY, by=hv_leader)) == 1
    # Once a visit exists for the contact it is no longer due, later in its window.
    assert visits_due(hv_team, MONDAY + dt.timedelta(days=1)) == []


def _assigned(place, person, leader):
    _plan(place, person)
    (visit,) = actions.plan_visits(team=place.nursing, day=MONDAY, by=leader)
    nurse = place.users["nurse"]
    actions.assign_visit(visit_id=visit.pk, staff_id=nurse.staff_member.pk, by=leader)
    return visit


def test_a_completed_outcome_with_a_missed_reason_is_refused_naming_the_field(
    place, person, leader
):
    visit = _assigned(place, person, leader)
    with pytest.raises(ValidationError) as exc:
        actions.record_visit_outcome(
            visit_id=visit.pk,
            outcome="completed",
            missed_reason="no_answer",
            by=place.users["nurse"],
        )
    assert "missed_reason" in exc.value.message_dict


def test_a_missed_reason_must_be_one_of_the_codes(place, person, leader):
    visit = _assigned(place, person, leader)
    with pytest.raises(ValidationError) as exc:
        actions.record_visit_outcome(
            visit_id=visit.pk,
            outcome="missed",
            missed_reason="she was out",
            by=place.users["nurse"],
        )
    assert "missed_reason" in exc.value.message_dict


def test_only_the_author_corrects_an_outcome_with_a_reason_and_old_and_new_are_audited(
    place, person, leader
):
    from wraparound.access.models import AuditEvent

    visit = _assigned(place, person, leader)
    nurse, colleague = (
        place.users["nurse"],
        staff("colleague", place.trust, "clinician", place.nursing),
    )
    actions.record_visit_outcome(visit_id=visit.pk, outcome="completed", by=nurse)
    with pytest.raises(NoAccess):
        actions.correct_visit_outcome(
            visit_id=visit.pk, outcome="missed", missed_reason="no_answer", reason="x", by=colleague
        )
    with pytest.raises(ValidationError) as exc:
        actions.correct_visit_outcome(
            visit_id=visit.pk, outcome="missed", missed_reason="no_answer", reason=" ", by=nurse
        )
    assert "reason" in exc.value.message_dict
    actions.correct_visit_outcome(
        visit_id=visit.pk,
        outcome="missed",
        missed_reason="no_answer",
        reason="Pressed the wrong button",
        by=nurse,
    )
    visit.refresh_from_db()
    assert (visit.status, visit.missed_reason) == ("missed", "no_answer")
    event = AuditEvent.objects.get(purpose="visit outcome corrected")
    assert event.detail["changes"] == {
        "status": {"from": "completed", "to": "missed"},
        "missed_reason": {"from": "", "to": "no_answer"},
    }
    assert visit.corrections.get().reason == "Pressed the wrong button"
