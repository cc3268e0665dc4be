"""Cohorts: counted by deprivation quintile and by practice as rates per 1,000, a count of
1 to 4 suppressed, saved by name, and no one named to an analyst."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PatientFactory
from wraparound.access.actors import System
from wraparound.access.models import AuditEvent
from wraparound.population.actions import save_cohort, score_residents
from wraparound.population.cohorts import CohortQuery, counts
from wraparound.population.models import Cohort

TODAY = dt.date(2026, 12, 2)


@pytest.fixture
def residents(place):
    """Four frail older people in quintile 1, and twenty fit younger ones in quintile 5."""
    frail = [
        PatientFactory(
            family_name=f"Frail{i}",
            date_of_birth=dt.date(1938, 1, 1),
            deprivation_decile=1,
            registered_practice=place.practice,
        )
        for i in range(4)
    ]
    fit = [
        PatientFactory(date_of_birth=dt.date(1990, 1, 1), deprivation_decile=10) for _ in range(20)
    ]
    from wraparound.population.models import MedicineIssue

    for person in frail:
        for i in range(5):
            MedicineIssue.objects.create(
                patient=person, medicine_code=str(i), medicine=f"M{i}", issued_on=TODAY
            )
    score_residents(patient_ids=[p.pk for p in frail + fit], on=TODAY, by=System("tests"))
    return frail


def test_a_cohort_is_counted_by_quintile_with_a_count_of_four_suppressed(residents):
    result = counts(CohortQuery(min_age=80), TODAY)
    first, *_, fifth = result.by_quintile
    assert first.suppressed and first.shown_count == "<5" and first.population == 4
    assert fifth.count == 0 and fifth.population == 20 and fifth.per_1000 == 0.0
    everyone = counts(CohortQuery(), TODAY)
    assert everyone.total.count == 24 and everyone.by_quintile[4].per_1000 == 1000.0


def test_a_definition_that_breaks_a_rule_is_refused_naming_its_field():
    with pytest.raises(ValidationError) as refused:
        CohortQuery.from_json({"min_age": 90, "max_age": 80})
    assert "max_age" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        CohortQuery.from_json({"favourite_colour": "red"})
    assert "favourite_colour" in refused.value.message_dict


def test_a_saved_cohort_keeps_its_definition_and_saving_again_replaces_it(residents, place):
    analyst = place.users["analyst"]
    save_cohort(name="Frail 80+", query=CohortQuery(min_age=80), by=analyst)
    save_cohort(name="Frail 80+", query=CohortQuery(min_age=85), by=analyst)
    cohort = Cohort.objects.get()
    assert CohortQuery.from_json(cohort.definition).min_age == 85


def test_an_analyst_sees_counts_and_never_a_named_person(client, residents, place):
    client.force_login(place.users["analyst"])
    page = client.get(
        reverse("population:cohorts"), {"counted": "1", "min_age": "80", "efi_bands": "fit"}
    ).content.decode()
    assert 'data-testid="by-quintile"' in page and "&lt;5" in page
    assert not any(p.family_name in page or p.nhs_number in page for p in residents)
    counted = AuditEvent.objects.get(purpose="a cohort counted (aggregates only)")
    assert counted.patient_id_at_event is None and counted.detail["definition"]["min_age"] == 80
    client.post(
        reverse("population:cohorts") + "?counted=1&min_age=80",
        {"counted": "1", "min_age": "80", "name": "Over 80"},
    )
    assert Cohort.objects.get().name == "Over 80"
    assert "Over 80" in client.get(reverse("population:cohorts")).content.decode()


def test_the_cohort_page_is_not_for_a_community_nurse(client, place):
    client.force_login(place.users["nurse"])
    assert client.get(reverse("population:cohorts")).status_code == 403
