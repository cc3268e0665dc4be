"""The hub's plan for someone ready on a Friday whose reablement cannot start until Tuesday:
bridging care is booked for the weekend, each referral goes through the front door once, an
excluded service is refused with the directory's reasons, and the delay never starts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.discharge.conftest import LONDON, stay_of
from tests.factories.directory import make_service
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.directory.models import ServiceType
from wraparound.discharge.actions import (
    plan_discharge,
    receive_stay,
    refer_to_hub,
    update_stay,
)
from wraparound.discharge.models import DischargePlan
from wraparound.discharge.report import sitrep
from wraparound.needs import Need
from wraparound.referrals.models import Referral

FRIDAY = dt.date(2026, 12, 4)
TUESDAY = dt.date(2026, 12, 8)


@pytest.fixture
def weekend(hospital, place, time_machine):
    """Friday morning: an 84-year-old ready to go home with reablement, referred to the hub;
    one reablement service can start someone on Tuesday, another is full; bridging care."""
    now = dt.datetime(2026, 12, 4, 10, 0, tzinfo=LONDON)
    time_machine.move_to(now)
    person = hospital["person"]
    stay, _ = receive_stay(
        report=stay_of(person, ready_since=FRIDAY, pathway="1", criteria_decided_by="Dr Okafor"),
        by=hospital["ward_clerk"],
    )
    stay = refer_to_hub(stay_id=stay.pk, by=hospital["ward_clerk"])
    reablement = dict(needs=[Need.REABLEMENT], service_type=ServiceType.REABLEMENT)
    return {
        "stay": stay,
        "coordinator": place.users["spa_coordinator"],
        "reablement": make_service(
            place.nursing,
            name="Home Reablement",
            offers_two_day=True,
            capacity="amber",
            capacity_set_at=now,
            next_start=TUESDAY,
            **reablement,
        ),
        "full": make_service(
            place.nursing,
            name="Full Reablement",
            offers_two_day=True,
            capacity="red",
            capacity_set_at=now,
            **reablement,
        ),
        "bridging": make_service(
            place.social_care,
            name="Weekend Bridging",
            needs=[Need.BRIDGING_CARE],
            service_type=ServiceType.BRIDGING_CARE,
            routine_within_days=1,
        ),
    }


def _plan(weekend, **changes):
    fields = {
        "stay_id": weekend["stay"].pk,
        "leaves_on": FRIDAY,
        "package_service_id": weekend["reablement"].pk,
        "package_starts": TUESDAY,
        "bridging_service_id": weekend["bridging"].pk,
        "by": weekend["coordinator"],
        **changes,
    }
    return plan_discharge(**fields)


def test_leaving_before_the_package_starts_needs_bridging_care_until_it_does(weekend):
    with pytest.raises(ValidationError) as refused:
        _plan(weekend, bridging_service_id=None)
    assert "bridging_service" in refused.value.message_dict
    plan = _plan(weekend)
    package = Referral.objects.get(pk=weekend["stay"].hub_referral_id)
    bridging = Referral.objects.get(pk=plan.bridging_referral_id)
    assert package.status == "offered" and package.offered_team == weekend["reablement"].team
    assert bridging.needs == ["bridging_care"] and bridging.status == "offered"
    assert bridging.offered_team == weekend["bridging"].team
    assert "until Home Reablement starts on Tue 08 Dec 2026" in bridging.clinical_summary


def test_planning_again_makes_no_second_referral_for_the_same_need(weekend):
    _plan(weekend)
    _plan(weekend)
    assert Referral.objects.count() == 2  # the hub's (reablement) and the bridging care
    assert DischargePlan.objects.count() == 1
    assert (
        AuditEvent.objects.filter(purpose="planning a discharge (the care transfer hub)").count()
        == 2
    )


def test_the_package_cannot_start_before_the_services_first_start(weekend):
    with pytest.raises(ValidationError) as refused:
        _plan(weekend, package_starts=dt.date(2026, 12, 7))
    assert refused.value.message_dict["package_starts"] == [
        "Home Reablement can start someone new from Tuesday 8 December"
    ]


def test_a_service_the_directory_excludes_is_refused_with_its_reasons(weekend):
    with pytest.raises(ValidationError) as refused:
        _plan(
            weekend,
            package_service_id=weekend["full"].pk,
            package_starts=FRIDAY,
            bridging_service_id=None,
        )
    (reason,) = refused.value.message_dict["package_service"]
    assert reason.startswith("Full Reablement cannot take this person") and "no capacity" in reason
    assert not Referral.objects.filter(offered_team__isnull=False).exists()  # nothing half-done


def test_the_database_refuses_a_plan_that_leaves_before_the_package_without_bridging(weekend):
    plan = _plan(weekend)
    with pytest.raises(IntegrityError), transaction.atomic():
        DischargePlan.objects.filter(pk=plan.pk).update(
            bridging_service=None, bridging_referral=None
        )


def test_only_the_hub_plans_and_only_for_those_it_can_see(weekend, hospital, place):
    with pytest.raises(NoAccess):
        _plan(weekend, by=hospital["ward_clerk"])
    with pytest.raises(NoAccess):
        _plan(weekend, by=place.users["nurse"])


def test_leaving_on_the_friday_the_delay_never_starts(weekend, hospital, time_machine):
    _plan(weekend)
    time_machine.move_to(dt.datetime(2026, 12, 4, 17, 0, tzinfo=LONDON))
    update_stay(
        stay_id=weekend["stay"].pk,
        by=hospital["ward_clerk"],
        discharged_at=dt.datetime(2026, 12, 4, 16, 30, tzinfo=LONDON),
        discharge_destination="19",
    )
    stay = weekend["stay"]
    stay.refresh_from_db()
    assert stay.delay_reason == "" and stay.delay_since is None
    friday = sitrep(hospital["org"], FRIDAY)
    assert friday.not_meeting_criteria["1"] == 1 and friday.discharged["1"] == 1
    assert friday.delayed_bed_days == 0


def test_the_hub_sees_the_first_start_and_plans_from_its_page(client, weekend):
    client.force_login(weekend["coordinator"])
    worklist = client.get(reverse("discharge:hub")).content.decode()
    assert "best: Home Reablement (capacity amber, first start Tuesday 8 December)" in worklist
    assert "1 cannot" in worklist
    url = reverse("discharge:plan", args=[weekend["stay"].pk])
    page = client.get(url).content.decode()
    assert "Weekend Bridging" in page and "has no capacity now" in page
    answer = client.post(
        url,
        {
            "leaves_on": "2026-12-04",
            "package_service": weekend["reablement"].pk,
            "package_starts": "2026-12-08",
            "bridging_service": "",
        },
    )
    assert "They leave before the package starts" in answer.content.decode()
    client.post(
        url,
        {
            "leaves_on": "2026-12-04",
            "package_service": weekend["reablement"].pk,
            "package_starts": "2026-12-08",
            "bridging_service": weekend["bridging"].pk,
        },
    )
    assert DischargePlan.objects.get().bridging_service == weekend["bridging"]


def test_the_ward_reviews_and_records_leaving_from_the_stay_page(client, weekend, hospital):
    client.force_login(hospital["ward_clerk"])
    url = reverse("discharge:stay", args=[weekend["stay"].pk])
    refused = client.post(
        url, {"form": "review", "review-ready": "no", "review-decided_by": "Dr Okafor"}
    )
    assert "A person ready to leave needs a discharge pathway" in refused.content.decode()
    client.post(
        url,
        {"form": "left", "left-left_at": "2026-12-04 09:45", "left-destination": "19"},
    )
    stay = weekend["stay"]
    stay.refresh_from_db()
    assert stay.discharged_at is not None and stay.discharge_destination == "19"
    page = client.get(url).content.decode()
    assert "Usual place of residence" in page
    client.force_login(hospital["other_hospital"])
    assert client.get(url).status_code == 404
