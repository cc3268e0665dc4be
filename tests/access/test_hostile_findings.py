"""Each finding of the hostile test, replayed: H1, H2, M1-M7 and the low findings.

Every test here named for a finding (``h1_``, ``m4_``, ``low_``...) failed on the code as it
landed (commit 59a1952) and passes now; those named ``guard_`` hold a behaviour the fix must
keep. The least-privilege findings are in ``test_least_privilege.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    TOKEN_ISSUER,
    PatientFactory,
    consent,
    in_care_team,
    on_caseload,
    referral,
    staff,
)
from wraparound.access.models import AuditEvent
from wraparound.caseload.models import CarePlan, Visit
from wraparound.fhir.actions import issue_token
from wraparound.referrals.lifecycle import Status
from wraparound.referrals.models import Referral
from wraparound.referrals.triage import Urgency

NHS = "https://fhir.nhs.uk/Id/nhs-number"
NEEDS = "https://wraparound.example.org/CodeSystem/presenting-need"


def _bearer(username):
    secret, _ = issue_token(username=username, by=TOKEN_ISSUER)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _post_fhir(client, username, body, key="k-1"):
    return client.post(
        "/fhir/ServiceRequest",
        data=json.dumps(body),
        content_type="application/fhir+json",
        HTTP_IDEMPOTENCY_KEY=key,
        **_bearer(username),
    )


def _service_request(subject, **extra):
    return {
        "resourceType": "ServiceRequest",
        "status": "active",
        "intent": "order",
        "subject": subject,
        "reasonCode": [{"coding": [{"system": NEEDS, "code": "social_support"}]}],
        "note": [{"text": "befriending"}],
        **extra,
    }


def _contained(person, birth_date=None):
    born = birth_date or person.date_of_birth.isoformat()
    return _service_request(
        {"reference": "#p"},
        contained=[
            {
                "resourceType": "Patient",
                "id": "p",
                "identifier": [{"system": NHS, "value": person.nhs_number}],
                "birthDate": born,
            }
        ],
    )


@pytest.fixture
def resident(place):
    """Someone on the trust's caseload with a care plan: nobody at the GP or the charity's."""
    person = PatientFactory(given_name="Hilda", family_name="Ogunleye", postcode="WX7 7QQ")
    on_caseload(person, place.nursing)
    CarePlan.objects.create(
        patient=person,
        team=place.nursing,
        title="Leg ulcer care",
        starts_on=dt.date(2026, 1, 1),
        review_on=dt.date(2026, 12, 31),
    )
    return person


# H1: a referrer gave themselves the whole record of any resident by its id.


def test_h1_a_referral_for_a_patient_id_alone_is_refused_naming_the_subject(
    client, place, resident
):
    volunteer = staff("vera", place.council, "referrer")  # no relationship with Hilda
    response = _post_fhir(
        client, volunteer.username, _service_request({"reference": f"Patient/{resident.pk}"})
    )
    assert response.status_code == 422
    outcome = response.json()
    assert outcome["resourceType"] == "OperationOutcome"
    assert outcome["issue"][0]["expression"] == ["ServiceRequest.subject"]
    assert "NHS number and date of birth" in outcome["issue"][0]["diagnostics"]
    assert not Referral.objects.exists()
    read = client.get(f"/fhir/Patient/{resident.pk}", **_bearer(volunteer.username))
    assert read.status_code == 404


def test_h1_an_unknown_id_and_a_known_one_get_the_same_answer(client, place, resident):
    gp = place.users["gp"].username
    known = _post_fhir(client, gp, _service_request({"reference": f"Patient/{resident.pk}"}), "a")
    unknown = _post_fhir(client, gp, _service_request({"reference": "Patient/99999999"}), "b")
    assert known.status_code == unknown.status_code == 422
    assert known.json()["issue"] == unknown.json()["issue"]


def test_h1_referring_someone_shows_the_referral_not_the_record(client, place, resident):
    gp = place.users["gp"].username
    created = _post_fhir(client, gp, _contained(resident))
    assert created.status_code == 201, created.content
    # The GP's practice is not in Hilda's care team: sending a referral is not a relationship.
    assert client.get(f"/fhir/Patient/{resident.pk}", **_bearer(gp)).status_code == 404
    plans = client.get("/fhir/CarePlan", {"patient": f"Patient/{resident.pk}"}, **_bearer(gp))
    assert plans.status_code == 404
    progress = client.get(f"/fhir/ServiceRequest/{created.json()['id']}", **_bearer(gp)).json()
    text = json.dumps(progress)
    assert progress["status"] == "active" and "priority" in progress
    assert "Ogunleye" not in text and resident.nhs_number not in text and "note" not in progress


def test_h1_a_wrong_birth_date_finds_nobody_and_the_attempt_is_audited(client, place, resident):
    response = _post_fhir(client, place.users["gp"].username, _contained(resident, "1901-01-01"))
    assert response.status_code == 422
    assert "date of birth" in response.json()["issue"][0]["diagnostics"]
    looked = AuditEvent.objects.filter(action="identify").get()
    assert looked.detail == {"found": False} and looked.username == "gp"


# H2: referral pages followed a wider rule than the access policy.


def test_h2_the_coordination_centre_cannot_open_a_closed_referral(client, place):
    coordinator = staff("sam", place.trust, "coordinator")
    person = PatientFactory(family_name="Closedcase")
    for status in (Status.RETURNED, Status.COMPLETED):
        closed = referral(person, sender=place.users["gp"], status=status, team=place.social_care)
        client.force_login(coordinator)
        page = client.get(reverse("referrals:detail", args=[closed.pk]))
        assert page.status_code == 403
        assert "Closedcase" not in page.content.decode()


def test_h2_a_referrer_sees_a_dissenters_referral_without_their_name(client, place):
    person = PatientFactory(family_name="Dissenter")
    consent(person, "dissent")
    in_care_team(person, place.practice)
    sent = referral(person, sender=place.users["gp"], status=Status.TRIAGED)
    client.force_login(place.users["gp"])
    assert client.get(reverse("caseload:person", args=[person.pk])).status_code == 403
    page = client.get(reverse("referrals:detail", args=[sent.pk]))
    body = page.content.decode()
    assert page.status_code == 200 and "Progress of your referral" in body
    assert "Dissenter" not in body and person.nhs_number not in body
    assert "Test referral" not in body  # nor the clinical summary


def test_h2_a_service_manager_sees_no_referral_of_the_organisations_teams(client, place):
    manager = staff("mina", place.trust, "service_manager")
    person = PatientFactory(family_name="Offeredperson")
    offered = referral(person, sender=place.users["gp"], status=Status.OFFERED, team=place.ucr)
    client.force_login(manager)
    assert client.get(reverse("referrals:detail", args=[offered.pk])).status_code == 403
    listing = client.get(reverse("referrals:team"))
    assert "Offeredperson" not in listing.content.decode()


def test_guard_the_worklist_still_lists_the_referrals_waiting_for_a_service(client, place):
    coordinator = staff("sam", place.trust, "coordinator")
    waiting = PatientFactory(family_name="Waitingperson")
    done = PatientFactory(family_name="Acceptedperson")
    referral(waiting, sender=place.users["gp"], status=Status.TRIAGED)
    referral(done, sender=place.users["gp"], status=Status.ACCEPTED, team=place.social_care)
    client.force_login(coordinator)
    body = client.get(reverse("referrals:worklist")).content.decode()
    assert "Waitingperson".upper() in body and "Acceptedperson".upper() not in body


# M1: re-posting "accept" made a second visit and an urgent plan, unaudited.


@pytest.fixture
def accepted_two_hour(client, place, mid_morning):
    from wraparound.workforce.models import Shift

    leader = staff("ucr_leader", place.trust, "team_leader", place.ucr)
    today = timezone.localdate()
    for user in (leader, place.users["ucr_nurse"]):
        Shift.objects.create(
            staff=user.staff_member, date=today, starts_at=dt.time(0, 0), ends_at=dt.time(23, 59)
        )
    person = PatientFactory(given_name="Mrs", family_name="Jones")
    offered = referral(person, sender=place.users["gp"], status=Status.OFFERED, team=place.ucr)
    offered.urgency, offered.due_at = Urgency.TWO_HOUR, timezone.now() + dt.timedelta(hours=2)
    offered.save()
    client.force_login(leader)
    client.post(reverse("referrals:accept", args=[offered.pk]))
    assert Referral.objects.get(pk=offered.pk).status == Status.ACCEPTED
    return offered, leader


def test_m1_accepting_an_accepted_referral_again_changes_nothing_and_is_audited(
    client, place, accepted_two_hour
):
    from wraparound.scheduling.models import DayPlan

    offered, leader = accepted_two_hour
    visits, plans = Visit.objects.count(), DayPlan.objects.count()
    client.force_login(leader)
    client.post(reverse("referrals:accept", args=[offered.pk]))
    assert (Visit.objects.count(), DayPlan.objects.count()) == (visits, plans)
    assert AuditEvent.objects.filter(purpose__startswith="referral accepted again").exists()


@pytest.mark.parametrize("who", ["gp", "paramedic", "manager"])
def test_m1_nobody_outside_the_team_can_post_accept(client, place, accepted_two_hour, who):
    from wraparound.scheduling.models import DayPlan

    offered, _leader = accepted_two_hour
    user = staff("mina", place.trust, "service_manager") if who == "manager" else place.users[who]
    visits, plans = Visit.objects.count(), DayPlan.objects.count()
    client.force_login(user)
    response = client.post(reverse("referrals:accept", args=[offered.pk]))
    assert response.status_code == 403
    assert (Visit.objects.count(), DayPlan.objects.count()) == (visits, plans)


# M3: the admin listed every resident in its forms, edited another provider's entry, and
# logged views of records it refused.


@pytest.fixture
def administrator(place):
    user = staff("ada", place.trust, "administrator")
    user.is_staff = user.is_superuser = True  # as the demo's administrator is
    user.save()
    return user


def test_m3_the_admin_offers_no_form_that_lists_residents(client, place, administrator, resident):
    client.force_login(administrator)
    for model in ("caseloadentry", "careteammember"):
        page = client.get(f"/admin/caseload/{model}/add/")
        assert page.status_code == 403
        assert "Ogunleye" not in page.content.decode()


def test_m3_the_admin_cannot_edit_a_directory_entry(client, place, administrator):
    from tests.factories.directory import make_service

    entry = make_service(place.ucr, needs=["fall"], name="UCR")
    client.force_login(administrator)
    page = client.get(f"/admin/directory/service/{entry.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # shown, not editable
    response = client.post(
        f"/admin/directory/service/{entry.pk}/change/", {"name": "Renamed by admin"}
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.name == "UCR"


def test_m3_a_record_the_admin_refused_is_audited_as_refused(
    client, place, administrator, resident
):
    client.force_login(administrator)
    client.get(f"/admin/caseload/patient/{resident.pk}/change/")
    events = AuditEvent.objects.filter(patient_id_at_event=resident.pk)
    assert not events.filter(action="view").exists()
    assert events.filter(action="denied").exists()


def test_m3_a_change_of_role_in_the_admin_is_audited_with_old_and_new(client, place, administrator):
    nurse = place.users["nurse"].staff_member
    client.force_login(administrator)
    page = client.get(f"/admin/workforce/staffmember/{nurse.pk}/change/")
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update(role="team_leader", organisation=nurse.organisation_id, team=nurse.team_id)
    client.post(f"/admin/workforce/staffmember/{nurse.pk}/change/", data)
    nurse.refresh_from_db()
    assert nurse.role == "team_leader"
    event = AuditEvent.objects.get(purpose="staff record changed")
    assert event.detail["changes"]["role"] == {"from": "clinician", "to": "team_leader"}


# M4: throttling locked only a (username, address) pair.


def _fail(client, username, address):
    client.post(reverse("login"), {"username": username, "password": "wrong"}, REMOTE_ADDR=address)


def test_m4_an_address_guessing_across_accounts_is_locked(client, place, settings):
    for n in range(settings.WRAPAROUND_ADDRESS_FAILURE_LIMIT):
        _fail(client, f"guess{n % 6}", "10.9.9.9")
    response = client.post(
        reverse("login"),
        {"username": "nurse", "password": "correct-horse-battery-staple"},
        REMOTE_ADDR="10.9.9.9",
    )
    assert response.status_code == 429


def test_m4_a_locked_account_stays_locked_from_another_address(client, place, settings):
    for _ in range(settings.WRAPAROUND_ACCOUNT_FAILURE_LIMIT):
        _fail(client, "nurse", "10.1.1.1")
    response = client.post(
        reverse("login"),
        {"username": "nurse", "password": "correct-horse-battery-staple"},
        REMOTE_ADDR="10.2.2.2",
    )
    assert response.status_code == 429


def test_guard_a_few_typos_by_colleagues_sharing_an_address_lock_nobody(client, place, settings):
    for name in ("nurse", "gp", "analyst"):
        _fail(client, name, "10.3.3.3")
    response = client.post(
        reverse("login"),
        {"username": "gp", "password": "correct-horse-battery-staple"},
        REMOTE_ADDR="10.3.3.3",
    )
    assert response.status_code == 302


# M6: idempotency keys were global.


def test_m6_another_organisations_key_never_returns_the_first_senders_referral(
    client, place, resident
):
    in_care_team(resident, place.practice)
    first = _post_fhir(client, place.users["gp"].username, _contained(resident), key="shared-1")
    second = _post_fhir(
        client, place.users["social_worker"].username, _contained(resident), key="shared-1"
    )
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] != second.json()["id"]
    assert Referral.objects.count() == 2


# M7: production accepted the development key committed in the settings.


def _environment(tmp_path, **extra):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "WRAPAROUND_SECRET_KEY"}
    }
    env.update(WRAPAROUND_DATA_DIR=str(tmp_path), **extra)
    return env


def test_m7_production_refuses_the_development_key(tmp_path):
    from django.conf import settings

    env = _environment(
        tmp_path,
        WRAPAROUND_ENV="production",
        WRAPAROUND_SECRET_KEY=settings.DEVELOPMENT_SECRET_KEY,
        WRAPAROUND_ALLOWED_HOSTS="wraparound.example.nhs.uk",
    )
    result = subprocess.run(
        [sys.executable, "-m", "wraparound.cli", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "is written in the repository" in result.stderr


def test_m7_check_deploy_names_a_public_key_even_outside_production(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "wraparound.cli", "check", "--deploy"],
        env=_environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "wraparound.E001" in result.stdout + result.stderr


# M2: 500s from six causes.


@pytest.mark.parametrize(
    "digits",
    ["²", "¹²³", "٩٤٣٤٧٦٥٩١٩", "\uff19\uff14\uff13\uff14\uff17\uff16\uff15\uff19\uff11\uff19"],
)
def test_m2_unicode_digits_are_a_4xx_naming_the_field(client, place, digits):
    auth = _bearer("nurse")
    search = client.get("/fhir/Patient", {"identifier": f"{NHS}|{digits}"}, **auth)
    assert search.status_code == 400 and search.json()["issue"][0]["expression"] == ["identifier"]
    for path in (f"/fhir/Patient/{digits}", f"/fhir/CarePlan/{digits}"):
        response = client.get(path, **auth)
        assert 400 <= response.status_code < 500
        assert response.json()["resourceType"] == "OperationOutcome"
    by_id = client.get("/fhir/CarePlan", {"patient": f"Patient/{digits}"}, **auth)
    assert by_id.status_code == 400 and by_id.json()["issue"][0]["expression"] == ["patient"]
    client.force_login(place.users["gp"])
    form = client.post(
        reverse("referrals:new"),
        {"nhs_number": digits, "date_of_birth": "1944-03-01", "token": "0" * 32},
    )
    assert form.status_code == 200 and "NHS number" in form.content.decode()


def test_m2_an_impossible_authored_date_is_a_400_naming_it(client, place):
    response = client.get("/fhir/ServiceRequest", {"authored": "2026-02-30"}, **_bearer("gp"))
    assert response.status_code == 400
    assert response.json()["issue"][0]["expression"] == ["authored"]


def test_m2_a_deeply_nested_body_is_a_400_outcome(client, place):
    deep = "[" * 1000 + "]" * 1000
    body = '{"resourceType": "ServiceRequest", "note": ' + deep + "}"
    response = client.post(
        "/fhir/ServiceRequest",
        data=body,
        content_type="application/fhir+json",
        HTTP_IDEMPOTENCY_KEY="deep",
        **_bearer("gp"),
    )
    assert response.status_code == 400
    assert "nests deeper" in response.json()["issue"][0]["diagnostics"]


def test_m2_an_outcome_for_a_visit_that_does_not_exist_is_refused_not_a_500(client, place):
    client.force_login(place.users["nurse"])
    response = client.post(
        reverse("caseload:record_outcome", args=[987654]), {"outcome": "completed"}
    )
    assert response.status_code == 403


def test_m2_a_csds_export_to_the_last_day_of_year_9999_names_to(client, place):
    client.force_login(place.users["analyst"])
    response = client.get("/metrics/exports/cyp101.csv", {"from": "2026-01-01", "to": "9999-12-31"})
    assert response.status_code == 400 and response.content.decode().startswith("to:")


# The low findings.


def test_low_a_body_over_the_limit_is_an_operation_outcome(client, place, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = client.post(
        "/fhir/ServiceRequest",
        data=json.dumps({"resourceType": "ServiceRequest", "note": [{"text": "x" * 5000}]}),
        content_type="application/fhir+json",
        HTTP_IDEMPOTENCY_KEY="big",
        **_bearer("gp"),
    )
    assert response.status_code == 413
    assert response.json()["resourceType"] == "OperationOutcome"


def test_low_a_fhir_404_names_what_was_asked_for_not_the_person_it_points_at(
    client, place, resident
):
    plan = resident.care_plans.get()
    response = client.get(f"/fhir/CarePlan/{plan.pk}", **_bearer("paramedic"))
    assert response.status_code == 404
    assert f"Patient/{resident.pk}" not in response.content.decode()


def test_low_record_pages_are_never_stored(client, place, resident):
    client.force_login(place.users["nurse"])
    response = client.get(reverse("caseload:person", args=[resident.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    fhir = client.get(f"/fhir/Patient/{resident.pk}", **_bearer("nurse"))
    assert "no-store" in fhir["Cache-Control"]


def test_low_right_to_left_overrides_are_not_shown(client, place, resident):
    from wraparound.caseload.actions import write_handover

    write_handover(
        patient_id=resident.pk, text="Dressing \u202eregnad\u202c done", by=place.users["nurse"]
    )
    client.force_login(place.users["nurse"])
    body = client.get(reverse("caseload:person", args=[resident.pk])).content.decode()
    assert "Dressing regnad done" in body and "\u202e" not in body


def test_low_a_date_of_birth_in_year_1_is_refused_naming_the_field(client, place):
    client.force_login(place.users["gp"])
    response = client.post(
        reverse("referrals:new"),
        {"nhs_number": "9434765919", "date_of_birth": "0001-01-01", "token": "0" * 32},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Enter a real date of birth" in body


def test_low_a_metric_csv_neutralises_a_formula_in_a_team_name(client, place, monkeypatch):
    from wraparound.metrics import views
    from wraparound.metrics.compute import Value
    from wraparound.metrics.models import ReportingUnit

    ReportingUnit.objects.create(
        kind="team", code="evil", name='=HYPERLINK("http://evil.example","click")'
    )
    code = next(iter(views.BY_CODE))
    row = Value(unit="evil", period=dt.date(2026, 1, 1), numerator=1, denominator=2, value=0.5)
    monkeypatch.setattr(views, "compute", lambda *args: [row])
    client.force_login(place.users["analyst"])
    text = client.get(reverse("metrics:metric_csv", args=[code]), {"unit": "team"}).content.decode()
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
