import datetime as dt
import random
import statistics

import pytest
from django.contrib.auth import get_user_model

from wraparound.access.models import ConsentDecision, ConsentScope
from wraparound.caseload.models import (
    CarePlan,
    CareTeamMember,
    CaseloadEntry,
    Condition,
    Intervention,
    Patient,
    Visit,
)
from wraparound.demo import place as demo_place
from wraparound.demo.population import residents
from wraparound.directory.models import Service
from wraparound.organisations.models import Alliance, Neighbourhood, Organisation, Place, Team
from wraparound.referrals.models import Referral, ReferralEvent
from wraparound.workforce.models import Skill, StaffMember

RESIDENTS = 10_000
TODAY = dt.date(2026, 11, 2)


def _wipe_place():
    from wraparound.capacity.models import DemandHour, FallCall, Responder, Ward, WardStay
    from wraparound.caseload.models import EmergencyAdmission
    from wraparound.contracts.models import Contract
    from wraparound.discharge.models import HospitalStay
    from wraparound.feedback.models import Invitation, Response, YouSaidWeDid
    from wraparound.metrics.models import (
        ContactRecord,
        HospitalDay,
        ReferralRecord,
        ReportingUnit,
        TeamMonth,
    )

    for model in (FallCall, WardStay, Ward, Responder, DemandHour, HospitalStay, HospitalDay):
        model.objects.all().delete()
    for model in (ContactRecord, ReferralRecord, ReportingUnit, TeamMonth, EmergencyAdmission):
        model.objects.all().delete()
    for model in (Contract, Invitation, Response, YouSaidWeDid):  # a contract's parts cascade
        model.objects.all().delete()
    Referral.objects.update(possible_duplicate_of=None)
    ReferralEvent.objects.all().delete()
    Referral.objects.all().delete()
    for model in (
        Visit,
        Intervention,
        CarePlan,
        ConsentDecision,
        CareTeamMember,
        CaseloadEntry,
        Condition,
        Patient,
        StaffMember,
    ):
        model.objects.all().delete()
    get_user_model().objects.all().delete()
    Skill.objects.all().delete()
    Service.objects.all().delete()
    Team.objects.all().delete()
    Alliance.objects.all().delete()
    Organisation.objects.filter(network__isnull=False).delete()
    Organisation.objects.all().delete()
    Neighbourhood.objects.all().delete()
    Place.objects.all().delete()


def _snapshot():
    first = list(
        Patient.objects.order_by("pk").values_list(
            "nhs_number", "given_name", "family_name", "date_of_birth"
        )[:5]
    )
    return demo_place.current_counts(), first


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_place():
    demo_place.build_place(seed=7, residents_count=RESIDENTS, today=TODAY)
    first = _snapshot()
    _wipe_place()
    demo_place.build_place(seed=7, residents_count=RESIDENTS, today=TODAY)
    assert _snapshot() == first
    _wipe_place()
    demo_place.build_place(seed=8, residents_count=RESIDENTS, today=TODAY)
    assert _snapshot()[1] != first[1]


@pytest.mark.django_db
def test_building_again_is_safe_and_changes_nothing():
    first = demo_place.build_place(seed=1, residents_count=RESIDENTS, today=TODAY)
    again = demo_place.build_place(seed=1, residents_count=RESIDENTS, today=TODAY)
    assert first.built and not again.built
    assert again.counts == first.counts


@pytest.fixture(scope="module")
def _built_once(django_db_setup, django_db_blocker):
    from tests.factories import shared_place

    yield from shared_place(django_db_blocker, residents=RESIDENTS, today=TODAY)


@pytest.fixture
def built(_built_once, db):
    return _built_once


def test_the_place_has_the_organisations_and_teams_of_a_real_place(built):
    kinds = list(Organisation.objects.values_list("kind", flat=True))
    assert kinds.count("community_trust") == 1
    assert kinds.count("acute_trust") == 1
    assert kinds.count("ambulance_trust") == 1
    assert kinds.count("local_authority") == 1
    assert 6 <= kinds.count("gp_practice") <= 8
    assert kinds.count("primary_care_network") == 2
    assert kinds.count("voluntary_organisation") == 2
    assert Alliance.objects.count() == 1
    community = Team.objects.filter(organisation__kind="community_trust")
    assert community.filter(service_kind="neighbourhood_nursing").count() == 2
    assert community.filter(service_kind="urgent_community_response").exists()
    assert community.filter(service_kind="therapy_and_reablement").exists()
    assert 55 <= StaffMember.objects.count() <= 75
    # The volunteer's, the finance lead's, a board's, a senior clinician's and a responder's
    # too (the demo's GP is a senior clinician, so no one is only a referrer).
    assert StaffMember.objects.values("role").distinct().count() == 12
    assert Neighbourhood.objects.count() >= 2


def test_the_age_structure_is_plausible(built):
    ages = [p.age_on(TODAY) for p in Patient.objects.only("date_of_birth")]
    share = lambda test: sum(1 for a in ages if test(a)) / len(ages)  # noqa: E731
    assert len(ages) == RESIDENTS
    assert 0.18 <= share(lambda a: a < 18) <= 0.23  # England 2021: 20.8%
    assert 0.17 <= share(lambda a: a >= 65) <= 0.23  # England 2021: 18.4%
    assert 0.015 <= share(lambda a: a >= 85) <= 0.035  # England 2021: 2.4%


@pytest.mark.parametrize(
    "display, low, high",
    [  # QOF England 2022-23 register prevalence, whole registered population
        ("Essential hypertension", 0.11, 0.18),
        ("Type 2 diabetes mellitus", 0.05, 0.09),
        ("Asthma", 0.05, 0.08),
        ("Chronic obstructive pulmonary disease", 0.012, 0.026),
        ("Atrial fibrillation", 0.015, 0.03),
        ("Heart failure", 0.006, 0.016),
        ("Dementia", 0.004, 0.012),
    ],
)
def test_condition_prevalence_is_plausible(built, display, low, high):
    prevalence = Condition.objects.filter(display=display).count() / Patient.objects.count()
    assert low <= prevalence <= high


def test_caseload_people_are_mostly_older_with_consent_states_of_every_kind(built):
    from wraparound.capacity.models import WardStay

    # The community teams' caseloads (a ward's team takes its patients on for their stay too).
    entries = CaseloadEntry.objects.filter(discharged_on__isnull=True).exclude(
        pk__in=WardStay.objects.filter(caseload_entry__isnull=False).values("caseload_entry")
    )
    on_caseload = Patient.objects.filter(caseload_entries__in=entries).distinct()
    assert on_caseload.count() == pytest.approx(300, abs=5)
    assert statistics.median(p.age_on(TODAY) for p in on_caseload) >= 75
    scopes = set(ConsentDecision.objects.filter(is_current=True).values_list("scope", flat=True))
    assert scopes == set(ConsentScope.values)


def test_synthetic_people_live_in_the_town_or_on_its_rural_edge():
    people = residents(random.Random(1), demo_place.AREAS, 5_000, TODAY)
    lats = [p.latitude for p in people]
    lons = [p.longitude for p in people]
    assert min(lats) > 52.3 and max(lats) < 52.7
    assert min(lons) > -2.35 and max(lons) < -1.85
    assert all(p.nhs_number.startswith("999") for p in people)
    assert len({p.nhs_number for p in people}) == len(people)


def test_visit_history_follows_the_care_plans(built):
    from wraparound.caseload.recurrence import occurs_on
    from wraparound.caseload.visits_due import schedule_of

    visits = Visit.objects.filter(intervention__isnull=False).select_related("intervention")
    assert visits.count() > 0
    assert CarePlan.objects.count() >= 250
    for visit in visits.order_by("?")[:300]:
        assert occurs_on(schedule_of(visit.intervention), visit.date)
    oldest = visits.order_by("date").first().date
    assert (TODAY - oldest).days <= 90
    statuses = set(visits.values_list("status", flat=True))
    assert {"completed", "missed", "assigned", "planned"} <= statuses


def test_the_place_has_90_days_of_referrals_in_every_state_with_redirects(built):
    from django.utils import timezone

    from wraparound.referrals.lifecycle import Status

    statuses = set(Referral.objects.values_list("status", flat=True))
    assert statuses == set(Status.values)
    assert Referral.objects.filter(redirect_count__gt=0).count() >= 10
    assert Referral.objects.exclude(override_reason="").exists()
    assert Referral.objects.filter(possible_duplicate_of__isnull=False).exists()
    earliest = Referral.objects.order_by("received_at").first().received_at
    assert timezone.localdate(earliest) >= TODAY - dt.timedelta(days=90)
    for referral in Referral.objects.filter(status=Status.ACCEPTED):
        assert CaseloadEntry.objects.filter(
            patient=referral.patient_id, team=referral.offered_team_id, discharged_on__isnull=True
        ).exists()
    assert ReferralEvent.objects.count() >= 2 * Referral.objects.count() - 50


def test_the_hospitals_list_has_people_on_every_pathway_and_in_every_delay_family(built):
    from wraparound.discharge.delays import FAMILIES, REASONS
    from wraparound.discharge.models import HospitalStay

    in_bed = HospitalStay.objects.filter(discharged_at__isnull=True)
    assert set(in_bed.exclude(pathway="").values_list("pathway", flat=True)) == {"0", "1", "2", "3"}
    reasons = in_bed.exclude(delay_reason="").values_list("delay_reason", flat=True)
    assert {REASONS[r].family for r in reasons} == set(FAMILIES)
    from wraparound.discharge.models import DischargePlan

    bridged = DischargePlan.objects.get()  # the hub has bridged one person until reablement
    assert bridged.bridging_service.service_type == "bridging_care"
    assert bridged.package_starts > bridged.leaves_on


def test_the_demo_has_a_virtual_ward_responders_and_a_year_of_demand(built):
    from wraparound.capacity.models import DemandHour, Responder, Ward, WardKind

    ward = Ward.objects.get(kind=WardKind.VIRTUAL_WARD)
    assert 0 < ward.census <= ward.places
    assert ward.census == ward.stays.filter(discharged_at__isnull=True).count()
    assert ward.stays.filter(discharged_at__isnull=False).count() > 300  # a year of stays
    assert Responder.objects.count() == 3
    first = DemandHour.objects.order_by("hour_starting").first()
    assert first is not None and (TODAY - first.hour_starting.date()).days >= 360


def test_the_demos_residents_have_frailty_scores_small_areas_and_deciles(built):
    from wraparound.population.models import FrailtyScore, SmallArea

    residents = Patient.objects.count()
    assert FrailtyScore.objects.count() == residents
    assert not Patient.objects.filter(lsoa_code="").exists()
    bands = set(FrailtyScore.objects.values_list("efi_band", flat=True))
    assert {"fit", "mild", "moderate"} <= bands
    assert FrailtyScore.objects.exclude(hfrs_band="").exists()
    deciles = dict(SmallArea.objects.values_list("code", "imd_decile"))
    for code, decile in Patient.objects.values_list("lsoa_code", "deprivation_decile"):
        assert deciles[code] == decile  # each resident has their small area's decile
