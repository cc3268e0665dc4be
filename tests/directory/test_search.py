"""eligible_services(): who is offered, in what order, who is not and why, and the fallback."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.directory.conftest import FRIDAY_5PM, MRS_JONES_NEEDS, WEDNESDAY_11AM
from tests.factories import OrganisationFactory, TeamFactory
from tests.factories.directory import make_service
from wraparound.directory.loading import person_snapshot
from wraparound.directory.models import Gap, ServiceType
from wraparound.directory.search import distance_km, eligible_services
from wraparound.needs import Need
from wraparound.organisations.models import OrganisationKind


def names(matches) -> list[str]:
    return [m.service.name for m in matches]


def reasons_for(result, service) -> list[str]:
    (exclusion,) = [e for e in result.excluded if e.service.id == service.pk]
    return exclusion.reasons


def test_mrs_jones_on_a_friday_at_five_is_offered_the_urgent_community_response(directory):
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)

    assert names(result.eligible) == ["Urgent Community Response"]
    assert not result.nothing_fits and result.fallback is None
    assert reasons_for(result, directory.central_nursing) == [
        "does not cover Hillside neighbourhood",
        "does not offer a 2-hour response",
    ]
    assert "age 82 is over the upper limit 65" in reasons_for(result, directory.young_reablement)
    assert result.services_evaluated == 3  # the fallback ED is not a candidate


def test_a_service_closing_at_17_00_on_fridays_says_so(directory, place):
    early = make_service(
        place.ucr,
        name="Early closer",
        needs=MRS_JONES_NEEDS,
        sessions=[(d, "08:00", "17:00" if d == 4 else "18:00") for d in range(5)],
        offers_two_hour=True,
    )
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    (reason,) = reasons_for(result, early)
    assert reason.startswith("closed now: closes at 17:00 on Fridays")


def test_nothing_fits_says_so_and_offers_the_nearest_fallback(directory):
    result = eligible_services(
        directory.mrs_jones, [Need.MENTAL_HEALTH_CRISIS], "2-hour", FRIDAY_5PM
    )
    assert result.nothing_fits and result.eligible == ()
    assert result.fallback.service.name == "Testford Emergency Department"
    assert result.message.startswith("No service in the directory can meet these needs.")
    assert "Nearest fallback: Testford Emergency Department" in result.message


def test_the_nearer_fallback_is_offered(directory, place):
    nearer = TeamFactory(
        organisation__kind=OrganisationKind.ACUTE_TRUST, base_latitude=52.471, base_longitude=-2.12
    )
    make_service(
        nearer,
        name="Near ED",
        service_type=ServiceType.EMERGENCY_DEPARTMENT,
        needs=[],
        is_fallback=True,
    )
    result = eligible_services(directory.mrs_jones, [Need.LONELINESS], "routine", FRIDAY_5PM)
    assert result.fallback.service.name == "Near ED"


def test_red_capacity_excludes_and_the_fallback_is_offered(directory):
    directory.ucr.capacity = "red"
    directory.ucr.capacity_set_at = FRIDAY_5PM - dt.timedelta(minutes=20)
    directory.ucr.save()
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    assert reasons_for(result, directory.ucr) == [
        "has no capacity now (red since 16:40 on 6 November)"
    ]
    assert result.nothing_fits and result.fallback.service.name == "Testford Emergency Department"


def test_stale_red_capacity_is_treated_as_unknown(directory):
    directory.ucr.capacity = "red"
    directory.ucr.capacity_set_at = FRIDAY_5PM - dt.timedelta(hours=6)
    directory.ucr.save()
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    (match,) = result.eligible
    assert match.capacity == "unknown" and match.notes == ("capacity (red) is out of date",)


def _rehab(team, name, *, lat, capacity="green", **fields):
    return make_service(
        team,
        name=name,
        service_type=ServiceType.THERAPY,
        needs=[Need.REDUCED_FUNCTION],
        latitude=lat,
        longitude=-2.13,
        offers_two_day=True,
        capacity=capacity,
        **{"capacity_set_at": WEDNESDAY_11AM - dt.timedelta(minutes=5), **fields},
    )


def test_ranking_puts_the_persons_own_practice_first_then_nearest(directory, place):
    team = place.nursing
    _rehab(team, "Near, 1 km", lat=52.479)
    _rehab(team, "Own practice, 5 km", lat=52.515, practices=[place.practice])
    _rehab(team, "Mid, 3 km", lat=52.497)
    result = eligible_services(
        directory.mrs_jones, [Need.REDUCED_FUNCTION], "2-day", WEDNESDAY_11AM
    )
    assert names(result.eligible) == ["Own practice, 5 km", "Near, 1 km", "Mid, 3 km"]
    assert [m.own_practice for m in result.eligible] == [True, False, False]


def test_ranking_puts_open_now_then_capacity_before_distance(directory, place):
    team = place.nursing
    _rehab(team, "Amber, near", lat=52.471, capacity="amber")
    _rehab(team, "Green, far", lat=52.56)
    _rehab(team, "Never reported, nearest", lat=52.4705, capacity_set_at=None)
    _rehab(
        team,
        "Closed now, nearest",
        lat=52.4701,
        open_24_7=False,
        sessions=[(3, "08:00", "18:00")],  # Thursdays: opens within the 2-day window
    )
    result = eligible_services(
        directory.mrs_jones, [Need.REDUCED_FUNCTION], "2-day", WEDNESDAY_11AM
    )
    assert names(result.eligible) == [
        "Green, far",
        "Amber, near",
        "Never reported, nearest",
        "Closed now, nearest",
    ]


def test_services_beyond_the_search_area_are_not_considered_unless_they_cover_the_person(
    directory, place
):
    far_team = TeamFactory(organisation=place.trust, base_latitude=54.0, base_longitude=-1.0)
    make_service(far_team, name="Far away", needs=MRS_JONES_NEEDS, offers_two_hour=True)
    covering = make_service(
        far_team,
        name="Far but covers Hillside (telephone)",
        needs=MRS_JONES_NEEDS,
        neighbourhoods=[directory.hillside],
        offers_two_hour=True,
    )
    result = eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    assert "Far away" not in names(result.eligible) + [e.service.name for e in result.excluded]
    assert covering.name in names(result.eligible)


def test_the_person_is_read_with_their_conditions_and_consent(directory):
    snapshot = person_snapshot(directory.mrs_jones, FRIDAY_5PM.date())
    assert snapshot.age == 82 and snapshot.sex == "female"
    assert snapshot.neighbourhood_name == "Hillside"
    assert snapshot.condition_codes == frozenset({"84114007"})
    assert snapshot.consent is None


def test_a_search_is_a_pure_query_and_takes_a_fixed_number_of_queries(
    directory, django_assert_max_num_queries
):
    # the person, the ids in the search area, those services, and all they relate to
    with django_assert_max_num_queries(4):
        eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", FRIDAY_5PM)
    assert Gap.objects.count() == 0


def test_bad_input_is_refused_with_the_field_named(directory):
    with pytest.raises(ValueError, match="urgency"):
        eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "soon", FRIDAY_5PM)
    with pytest.raises(ValueError, match="needs"):
        eligible_services(directory.mrs_jones, ["flying"], "2-hour", FRIDAY_5PM)
    with pytest.raises(ValueError, match="aware"):
        eligible_services(directory.mrs_jones, MRS_JONES_NEEDS, "2-hour", dt.datetime(2026, 1, 1))


def test_distance_is_great_circle():
    # Birmingham to London (central points) is about 163 km.
    assert distance_km(52.4862, -1.8904, 51.5072, -0.1276) == pytest.approx(163, abs=2)


def test_the_provider_itself_counts_as_the_persons_own_practice(directory):
    practice = directory.mrs_jones.registered_practice
    practice_team = TeamFactory(organisation=practice, base_latitude=52.6, base_longitude=-2.13)
    make_service(
        practice_team,
        name="Practice frailty clinic",
        service_type=ServiceType.THERAPY,
        needs=[Need.REDUCED_FUNCTION],
        offers_two_day=True,
    )
    other = OrganisationFactory(kind=OrganisationKind.COMMUNITY_TRUST)
    make_service(
        TeamFactory(organisation=other, base_latitude=52.471, base_longitude=-2.13),
        name="Near trust service",
        service_type=ServiceType.THERAPY,
        needs=[Need.REDUCED_FUNCTION],
        offers_two_day=True,
    )
    result = eligible_services(
        directory.mrs_jones, [Need.REDUCED_FUNCTION], "2-day", WEDNESDAY_11AM
    )
    assert names(result.eligible)[0] == "Practice frailty clinic"


def test_a_snapshot_person_can_be_searched_without_a_patient_row(directory):
    snapshot = person_snapshot(directory.mrs_jones, FRIDAY_5PM.date())
    younger = dataclasses.replace(snapshot, age=40)
    result = eligible_services(younger, [Need.UNABLE_TO_MANAGE], "2-day", WEDNESDAY_11AM)
    assert "Reablement (18-65)" in names(result.eligible)


def test_a_fall_with_reduced_mobility_is_offered_the_urgent_response_with_therapy_named(
    directory,
):
    """Issue 11, item 2: "Fall with no apparent serious injury" and "Reduced function" were
    triaged 2-hour and sent to the emergency department, because the urgent response is
    not a therapy service. It meets the urgent need, so it is offered, naming the rest."""
    from wraparound.referrals.routing import service_needs

    needs = service_needs(["fall", "reduced_function"])
    result = eligible_services(directory.mrs_jones, needs, "2-hour", FRIDAY_5PM)
    assert names(result.eligible)[0] == "Urgent Community Response"
    assert result.eligible[0].unmet == ("Reduced function, deconditioning or mobility",)
    assert result.fallback is None
