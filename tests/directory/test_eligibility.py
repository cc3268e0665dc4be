"""Each eligibility rule, alone, and the words it gives."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from wraparound.directory.eligibility import (
    PersonSnapshot,
    Request,
    ServiceSnapshot,
    failures,
)
from wraparound.directory.opening import LONDON, OpeningHours, WeeklySession

FRIDAY_5PM = dt.datetime(2026, 11, 6, 17, 0, tzinfo=LONDON)
HILLSIDE, CENTRAL = 3, 1
OWN_PRACTICE, OTHER_PRACTICE = 10, 11
DEMENTIA, HEART_FAILURE = "52448006", "84114007"

MRS_JONES = PersonSnapshot(
    age=82,
    sex="female",
    latitude=52.47,
    longitude=-2.13,
    neighbourhood_id=HILLSIDE,
    neighbourhood_name="Hillside",
    practice_id=OWN_PRACTICE,
    practice_name="Hillside Medical Practice",
    condition_codes=frozenset({HEART_FAILURE}),
    consent="share_alliance",
)
OPEN_TO_ALL = ServiceSnapshot(
    id=1,
    name="Open to all",
    provider_id=1,
    provider_name="Trust",
    team_name="Team",
    service_type="urgent_community_response",
    dos_service_type_id=146,
    latitude=52.48,
    longitude=-2.08,
    needs=frozenset({"breathlessness"}),
    offers_two_hour=True,
)
REQUEST = Request(
    needs=frozenset({"breathlessness"}),
    urgency="2-hour",
    when=FRIDAY_5PM,
    need_names={"breathlessness": "Breathlessness", "unable_to_manage": "Unable to manage at home"},
)


def reasons(service: ServiceSnapshot, person: PersonSnapshot = MRS_JONES, request=REQUEST):
    return [(f.rule, f.reason) for f in failures(person, service, request)]


def changed(**fields) -> ServiceSnapshot:
    return dataclasses.replace(OPEN_TO_ALL, **fields)


def test_a_service_with_no_limits_that_meets_the_needs_passes_every_rule():
    assert reasons(OPEN_TO_ALL) == []


def test_a_service_meeting_some_of_the_needs_passes_and_the_rest_are_named():
    """Issue 11, item 2: a service needed every need, so a fall with reduced mobility went
    to the emergency department. A coordinator offers the one that meets the urgent need."""
    from wraparound.directory.eligibility import unmet_needs

    request = dataclasses.replace(REQUEST, needs=frozenset({"breathlessness", "unable_to_manage"}))
    assert reasons(OPEN_TO_ALL, request=request) == []
    assert unmet_needs(OPEN_TO_ALL, request) == ["Unable to manage at home"]


def test_a_service_meeting_none_of_the_needs_fails_naming_them():
    request = dataclasses.replace(REQUEST, needs=frozenset({"wound_care"}))
    assert reasons(OPEN_TO_ALL, request=request) == [
        ("needs", "does not meet any of the needs: wound_care")
    ]


@pytest.mark.parametrize(
    "limits, expected",
    [
        ({"min_age": 18, "max_age": 65}, "age 82 is over the upper limit 65"),
        ({"min_age": 90}, "age 82 is under the lower limit 90"),
        ({"min_age": 18, "max_age": 82}, None),
    ],
)
def test_age_limits(limits, expected):
    assert reasons(changed(**limits)) == ([("age", expected)] if expected else [])


def test_a_single_sex_service():
    assert reasons(changed(sex="male")) == [("sex", "for men only, not women")]
    assert reasons(changed(sex="female")) == []


def test_a_service_covering_other_neighbourhoods_names_the_persons():
    assert reasons(changed(neighbourhood_ids=frozenset({CENTRAL}))) == [
        ("area", "does not cover Hillside neighbourhood")
    ]
    assert reasons(changed(neighbourhood_ids=frozenset({CENTRAL, HILLSIDE}))) == []


def test_a_practice_restricted_service_covers_only_its_practices_patients():
    assert reasons(changed(practice_ids=frozenset({OTHER_PRACTICE}))) == [
        ("area", "only for patients of its listed GP practices, not Hillside Medical Practice")
    ]
    assert reasons(changed(practice_ids=frozenset({OWN_PRACTICE}))) == []


def test_the_persons_practice_covers_them_outside_the_listed_neighbourhoods():
    service = changed(
        neighbourhood_ids=frozenset({CENTRAL}), practice_ids=frozenset({OWN_PRACTICE})
    )
    assert reasons(service) == []


def test_excluded_conditions_are_matched_against_the_persons_snomed_codes():
    service = changed(exclude_conditions={HEART_FAILURE: "Heart failure"})
    assert reasons(service) == [("conditions", "does not take people with Heart failure")]


def test_included_conditions_require_one_of_them():
    service = changed(include_conditions={DEMENTIA: "Dementia"})
    assert reasons(service) == [("conditions", "only for people with Dementia")]
    both = changed(include_conditions={DEMENTIA: "Dementia", HEART_FAILURE: "Heart failure"})
    assert reasons(both) == []


@pytest.mark.parametrize(
    "consent, expected",
    [
        (None, "needs the person's consent, and none is recorded"),
        ("dissent", "needs the person's consent, and they have dissented from sharing"),
        ("own_organisation", None),
    ],
)
def test_consent_when_the_service_requires_it(consent, expected):
    person = dataclasses.replace(MRS_JONES, consent=consent)
    found = reasons(changed(consent_required=True), person=person)
    assert found == ([("consent", expected)] if expected else [])


def test_the_response_level_must_meet_the_urgency():
    routine_only = changed(offers_two_hour=False, routine_within_days=14)
    assert reasons(routine_only) == [("response", "does not offer a 2-hour response")]
    two_day = dataclasses.replace(REQUEST, urgency="2-day")
    assert reasons(routine_only, request=two_day) == [
        ("response", "does not offer a 2-day response")
    ]
    assert reasons(OPEN_TO_ALL, request=two_day) == []  # a 2-hour service meets 2-day too


def test_opening_times_give_the_closing_time_in_words():
    hours = OpeningHours(
        weekly=tuple(WeeklySession(d, dt.time(8), dt.time(17 if d == 4 else 18)) for d in range(5))
    )
    (failure,) = reasons(changed(hours=hours))
    assert failure[0] == "opening"
    assert "closes at 17:00 on Fridays" in failure[1]


def test_red_capacity_excludes_while_it_is_current():
    red = changed(capacity="red", capacity_set_at=FRIDAY_5PM - dt.timedelta(hours=1))
    assert reasons(red) == [("capacity", "has no capacity now (red since 16:00 on 6 November)")]


def test_stale_red_capacity_no_longer_excludes():
    stale = changed(capacity="red", capacity_set_at=FRIDAY_5PM - dt.timedelta(hours=5))
    assert reasons(stale) == []


def test_every_failed_rule_is_reported_not_just_the_first():
    service = changed(
        max_age=65,
        neighbourhood_ids=frozenset({CENTRAL}),
        offers_two_hour=False,
        offers_two_day=True,
    )
    assert [rule for rule, _ in reasons(service)] == ["age", "area", "response"]
