"""The access matrix: role x relationship x consent x organisation, with the basis given."""

from __future__ import annotations

import pytest

from tests.factories import (
    PatientFactory,
    consent,
    in_care_team,
    on_caseload,
    referral,
    staff,
)
from wraparound.caseload.models import Patient
from wraparound.door import actions
from wraparound.door.policy import Basis, NoAccess, access_patient, decide, visible_patients

CONSENTS = [None, "share_alliance", "own_organisation", "dissent"]

# Who is looking, relative to the person's relationships (set up in the test below):
#   nurse        - trust, nursing team: the team that holds the person on caseload
#   ucr_nurse    - trust, another team: same organisation as the caseload
#   social_worker- council: alliance member, also in the care team when relationship says so
#   gp           - practice: alliance member, referrer role
#   paramedic    - ambulance trust: outside the alliance, no relationship
#   coordinator  - trust, coordination centre: routes referrals that wait for a service
#   analyst      - trust, system analyst: cannot view records at all
EXPECTED = {
    # relationship "caseload": trust's nursing team holds the person; nobody else related
    ("caseload", "nurse"): {c: Basis.OWN_TEAM_CASELOAD for c in CONSENTS},
    ("caseload", "ucr_nurse"): {c: Basis.ORGANISATION_CASELOAD for c in CONSENTS},
    ("caseload", "social_worker"): {
        None: None,
        "share_alliance": Basis.ALLIANCE_SHARING,
        "own_organisation": None,
        "dissent": None,
    },
    ("caseload", "gp"): {
        None: None,
        "share_alliance": Basis.ALLIANCE_SHARING,
        "own_organisation": None,
        "dissent": None,
    },
    ("caseload", "paramedic"): {c: None for c in CONSENTS},
    ("caseload", "analyst"): {c: None for c in CONSENTS},
    # relationship "care team": the council is in the care team; the trust holds the caseload
    ("care_team", "social_worker"): {
        None: Basis.CARE_TEAM,
        "share_alliance": Basis.CARE_TEAM,
        "own_organisation": Basis.CARE_TEAM,
        "dissent": None,
    },
    ("care_team", "gp"): {
        None: None,
        "share_alliance": Basis.ALLIANCE_SHARING,
        "own_organisation": None,
        "dissent": None,
    },
    ("care_team", "paramedic"): {c: None for c in CONSENTS},
    # relationship "referral_sent": the GP practice sent an open referral (triaged, with nobody
    # yet); sending it gives sight of its progress, never of the record (H1)
    ("referral_sent", "gp"): {c: None for c in CONSENTS},
    # the coordination centre routes what waits for a service, dissent or not
    ("referral_sent", "spa_coordinator"): {c: Basis.REFERRAL_TO_TRIAGE for c in CONSENTS},
    ("referral_sent", "nurse"): {c: None for c in CONSENTS},
    ("referral_sent", "social_worker"): {c: None for c in CONSENTS},
    ("referral_sent", "paramedic"): {c: None for c in CONSENTS},
    # relationship "referral_offered": the GP's referral is offered to the council's social care
    # team; being offered it is direct care, allowed under dissent
    ("referral_offered", "social_worker"): {c: Basis.REFERRAL_HELD for c in CONSENTS},
    ("referral_offered", "gp"): {c: None for c in CONSENTS},
    ("referral_offered", "spa_coordinator"): {c: Basis.REFERRAL_TO_TRIAGE for c in CONSENTS},
    ("referral_offered", "nurse"): {c: None for c in CONSENTS},
    ("referral_offered", "paramedic"): {c: None for c in CONSENTS},
    ("referral_offered", "analyst"): {c: None for c in CONSENTS},
    # relationship "referral_accepted": social care accepted it and still holds it
    ("referral_accepted", "social_worker"): {c: Basis.REFERRAL_HELD for c in CONSENTS},
    ("referral_accepted", "paramedic"): {c: None for c in CONSENTS},
    # accepted, it is the team's: the coordination centre no longer needs the record
    ("referral_accepted", "spa_coordinator"): {c: None for c in CONSENTS},
    # relationship "referral_declined": social care declined it; back with the coordination centre
    ("referral_declined", "social_worker"): {c: None for c in CONSENTS},
    ("referral_declined", "gp"): {c: None for c in CONSENTS},
    ("referral_declined", "spa_coordinator"): {c: Basis.REFERRAL_TO_TRIAGE for c in CONSENTS},
    # relationship "referral_closed": returned to the referrer, or completed: nobody holds it
    ("referral_returned", "gp"): {c: None for c in CONSENTS},
    ("referral_returned", "social_worker"): {c: None for c in CONSENTS},
    ("referral_completed", "gp"): {c: None for c in CONSENTS},
    ("referral_completed", "social_worker"): {c: None for c in CONSENTS},
    # closed referrals are nobody's to route (H2: the coordinator saw every referral ever made)
    ("referral_returned", "spa_coordinator"): {c: None for c in CONSENTS},
    ("referral_completed", "spa_coordinator"): {c: None for c in CONSENTS},
    # relationship "none": nobody holds the person
    ("none", "nurse"): {c: None for c in CONSENTS},
    ("none", "social_worker"): {c: None for c in CONSENTS},
    ("none", "gp"): {c: None for c in CONSENTS},
    ("none", "paramedic"): {c: None for c in CONSENTS},
}

CASES = [
    (relationship, who, consent_state, basis)
    for (relationship, who), by_consent in EXPECTED.items()
    for consent_state, basis in by_consent.items()
]


def _person(place, relationship: str, consent_state: str | None) -> Patient:
    person = PatientFactory()
    if relationship in {"caseload", "care_team"}:
        on_caseload(person, place.nursing)
    if relationship == "care_team":
        in_care_team(person, place.council, role="Social worker")
    if relationship.startswith("referral_"):
        status = {"sent": "triaged"}.get(relationship[9:], relationship[9:])
        referral(person, sender=place.users["gp"], status=status, team=place.social_care)
    consent(person, consent_state)
    return person


@pytest.mark.parametrize("relationship, who, consent_state, basis", CASES)
def test_access_matrix(place, relationship, who, consent_state, basis):
    person = _person(place, relationship, consent_state)
    user = place.users[who]
    decision = decide(user, person)
    visible = visible_patients(Patient.objects.all(), user).filter(pk=person.pk).exists()
    if basis is None:
        assert not decision.allowed, decision
        assert not visible
        with pytest.raises(NoAccess):
            access_patient(user, person.pk, "view the person's record")
    else:
        assert decision.allowed and decision.basis == basis
        assert visible
        loaded, how = access_patient(user, person.pk, "view the person's record")
        assert loaded == person and how.basis == basis


def test_the_matrix_covers_every_role_and_consent_state():
    assert {c for _, _, c, _ in CASES} == set(CONSENTS)
    assert {r for r, _, _, _ in CASES} == {
        "caseload",
        "care_team",
        "none",
        "referral_sent",
        "referral_offered",
        "referral_accepted",
        "referral_declined",
        "referral_returned",
        "referral_completed",
    }


@pytest.mark.parametrize("who", ["nurse", "social_worker", "gp", "paramedic"])
def test_break_glass_overrides_dissent_for_a_clinician(place, who):
    person = _person(place, "none", "dissent")
    user = place.users[who]
    assert not decide(user, person).allowed
    if who == "gp":  # a referrer cannot break the glass
        with pytest.raises(NoAccess):
            actions.break_glass(
                patient_id=person.pk, reason="Collapsed at home, need medication list now", by=user
            )
        return
    actions.break_glass(
        patient_id=person.pk, reason="Collapsed at home, need medication list now", by=user
    )
    decision = decide(user, person)
    assert decision.allowed and decision.basis == Basis.BREAK_GLASS


def test_break_glass_needs_a_written_reason(place):
    person = _person(place, "none", None)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        actions.break_glass(patient_id=person.pk, reason="urgent", by=place.users["paramedic"])
    assert "reason" in exc.value.message_dict


def test_break_glass_expires(place, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    person = _person(place, "none", None)
    use = actions.break_glass(
        patient_id=person.pk,
        reason="Found on floor, unknown medication history",
        by=place.users["paramedic"],
    )
    use.__class__.objects.filter(pk=use.pk).update(
        started_at=timezone.now() - dt.timedelta(hours=5),
        expires_at=timezone.now() - dt.timedelta(hours=1),
    )
    assert not decide(place.users["paramedic"], person).allowed


def test_a_discharged_person_is_no_longer_visible_through_the_caseload(place):
    import datetime as dt

    person = _person(place, "caseload", "own_organisation")
    person.caseload_entries.update(discharged_on=dt.date.today())
    assert not decide(place.users["ucr_nurse"], person).allowed


def test_an_inactive_account_sees_nobody(place):
    _person(place, "caseload", "share_alliance")
    nurse = place.users["nurse"]
    nurse.is_active = False
    nurse.save()
    assert not visible_patients(Patient.objects.all(), nurse).exists()


def test_an_account_without_a_staff_record_sees_nobody(db):
    from tests.factories import UserFactory

    PatientFactory()
    user = UserFactory(is_superuser=True, is_staff=True)
    assert not visible_patients(Patient.objects.all(), user).exists()


def test_every_role_has_its_permissions_listed_as_data():
    from wraparound.access.roles import ROLE_PERMISSIONS, Role

    assert set(ROLE_PERMISSIONS) == set(Role)


def test_has_permission_narrows_team_permissions_to_the_users_own_team(place):
    from wraparound.access.permissions import has_permission
    from wraparound.access.roles import Permission

    leader = staff("leader", place.trust, "team_leader", place.nursing)
    assert has_permission(leader, Permission.PLAN_TEAM_DAY, team=place.nursing)
    assert not has_permission(leader, Permission.PLAN_TEAM_DAY, team=place.ucr)
    assert not has_permission(place.users["nurse"], Permission.PLAN_TEAM_DAY, team=place.nursing)
    assert not has_permission(place.users["analyst"], Permission.VIEW_PATIENT_RECORD)
