"""An advice request answered across two organisations, on the record, refused to outsiders."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, TeamFactory, consent, on_caseload, staff
from wraparound.caseload.models import AdviceRequest


@pytest.fixture
def palliative(place):
    from tests.factories import OrganisationFactory
    from wraparound.organisations.models import OrganisationKind, ServiceKind

    hospice = OrganisationFactory(
        ods_code="HOS01", name="St Anne's Hospice", kind=OrganisationKind.VOLUNTARY_ORGANISATION
    )
    place.alliance.members.add(hospice)
    team = TeamFactory(
        organisation=hospice,
        name="Palliative care advice line",
        code="palliative",
        service_kind=ServiceKind.PALLIATIVE_CARE,
    )
    return team, staff("hospice_nurse", hospice, "clinician", team)


@pytest.fixture
def person(place):
    p = PatientFactory(given_name="Winifred", family_name="Ashdown")
    on_caseload(p, place.nursing)
    consent(p, "own_organisation")
    return p


def test_an_advice_request_is_answered_across_organisations_and_shown_on_the_record(
    client, place, palliative, person
):
    team, hospice_nurse = palliative
    client.force_login(place.users["nurse"])
    client.post(
        reverse("caseload:ask_advice", args=[person.pk]),
        {
            "adviser_team": team.pk,
            "urgency": "urgent",
            "question": "Breakthrough pain despite syringe driver: dose?",
        },
    )
    request = AdviceRequest.objects.get()
    assert request.asking_organisation == place.trust and request.status == "open"
    assert (request.respond_by - request.asked_at).total_seconds() == 4 * 3600

    client.force_login(hospice_nurse)
    worklist = client.get(reverse("caseload:advice_worklist")).content.decode()
    assert "Winifred Ashdown" in worklist and "Breakthrough pain" in worklist
    # Being asked gives the adviser's organisation sight of the record.
    assert client.get(reverse("caseload:person", args=[person.pk])).status_code == 200
    client.post(
        reverse("caseload:answer_advice", args=[request.pk]),
        {"answer": "Add 2.5 mg PRN; call if no relief."},
    )

    client.force_login(place.users["nurse"])
    record = client.get(reverse("caseload:person", args=[person.pk])).content.decode()
    assert "Add 2.5 mg PRN; call if no relief." in record


def test_an_unrelated_organisation_sees_neither_the_request_nor_the_record(
    client, place, palliative, person
):
    team, _ = palliative
    client.force_login(place.users["nurse"])
    client.post(
        reverse("caseload:ask_advice", args=[person.pk]),
        {
            "adviser_team": team.pk,
            "urgency": "routine",
            "question": "Pressure area care advice please",
        },
    )
    client.force_login(place.users["paramedic"])
    assert (
        "Pressure area care" not in client.get(reverse("caseload:advice_worklist")).content.decode()
    )
    assert client.get(reverse("caseload:person", args=[person.pk])).status_code == 403
    answer = client.post(
        reverse("caseload:answer_advice", args=[AdviceRequest.objects.get().pk]), {"answer": "x"}
    )
    assert answer.status_code == 403
    assert AdviceRequest.objects.get().status == "open"


def test_dissent_hides_the_person_from_the_adviser_but_not_the_question(
    client, place, palliative, person
):
    team, hospice_nurse = palliative
    client.force_login(place.users["nurse"])
    client.post(
        reverse("caseload:ask_advice", args=[person.pk]),
        {
            "adviser_team": team.pk,
            "urgency": "soon",
            "question": "Anticipatory medicines advice",
        },
    )
    consent(person, "dissent")
    client.force_login(hospice_nurse)
    worklist = client.get(reverse("caseload:advice_worklist")).content.decode()
    assert "Anticipatory medicines advice" in worklist
    assert "Ashdown" not in worklist and "has not consented" in worklist
    assert client.get(reverse("caseload:person", args=[person.pk])).status_code == 403
