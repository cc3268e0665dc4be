"""Issue 11, item 2: the referral form and the directory used two lists of needs, joined by a
translation table that lost needs on the way. Now there is one list (``wraparound.needs``)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import staff
from wraparound.directory import actions
from wraparound.directory.models import ServiceNeed
from wraparound.needs import FORMER_DIRECTORY_CODES, Need
from wraparound.referrals import triage
from wraparound.referrals.forms import ReferralForm
from wraparound.referrals.routing import service_needs


def test_the_referral_form_offers_the_needs_a_service_is_profiled_for():
    form_needs = {code for code, _ in ReferralForm.base_fields["needs"].choices}
    profiled = {code for code, _ in ServiceNeed._meta.get_field("need").choices}
    assert form_needs == profiled == set(Need.values)
    assert triage.Need is Need  # triage reads the same codes, not a copy


def test_every_need_but_other_reaches_the_directory_unchanged():
    ticked = list(Need.values)
    assert service_needs(ticked) == [need for need in ticked if need != Need.OTHER]


def test_a_service_cannot_be_profiled_for_other_or_an_unknown_need(place):
    manager = staff("dir_manager", place.trust, "service_manager", place.ucr)
    for bad in (Need.OTHER, "fall_no_injury"):
        with pytest.raises(ValidationError) as refused:
            actions.create_service(
                team=place.ucr,
                name="UCR",
                service_type="urgent_community_response",
                needs=[Need.FALL, bad],
                by=manager,
            )
        assert "needs" in refused.value.message_dict and bad in str(refused.value)


@pytest.fixture
def _every_migration_after():
    # Going back to directory 0001 unapplies every app that depends on a later directory
    # migration (capacity): the tests after this one need them all applied again.
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_every_migration_after")
def test_the_migration_renames_the_directorys_old_codes_to_the_one_list():
    executor = MigrationExecutor(connection)
    before, after = [("directory", "0001_initial")], [("directory", "0002_one_list_of_needs")]
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    Organisation = old_apps.get_model("organisations", "Organisation")
    Team = old_apps.get_model("organisations", "Team")
    Service = old_apps.get_model("directory", "Service")
    OldNeed = old_apps.get_model("directory", "ServiceNeed")
    Gap = old_apps.get_model("directory", "Gap")
    trust = Organisation.objects.create(name="Trust", ods_code="RZZ", kind="community_trust")
    # (historical models: no factories, and only the fields the 0001 state knew)
    team = Team.objects.create(
        organisation=trust,
        name="UCR",
        code="migrated-ucr",
        service_kind="urgent_community_response",
        base_latitude=51.5,
        base_longitude=-0.1,
    )
    service = Service.objects.create(
        provider=trust,
        team=team,
        name="UCR",
        service_type="urgent_community_response",
        dos_service_type_id=146,
        latitude=51.5,
        longitude=-0.1,
    )
    for old in [*FORMER_DIRECTORY_CODES, "breathlessness"]:
        OldNeed.objects.create(service=service, need=old)
    Gap.objects.create(
        service=service,
        rule="needs",
        reason="-",
        needs=["fall_no_injury", "loneliness"],
        urgency="2-hour",
        searched_at="2026-12-01T10:00:00Z",
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    renamed = set(
        new_apps.get_model("directory", "ServiceNeed").objects.values_list("need", flat=True)
    )
    assert renamed == {*FORMER_DIRECTORY_CODES.values(), "breathlessness"}
    assert renamed <= set(Need.values)
    gap = new_apps.get_model("directory", "Gap").objects.get()
    assert gap.needs == ["fall", "loneliness"]
