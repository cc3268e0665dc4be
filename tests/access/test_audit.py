"""Every kind of access writes exactly one event; the chain detects edits and deletions."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.urls import reverse

from tests.factories import PatientFactory, consent, on_caseload
from wraparound.access import audit
from wraparound.access.models import AuditEvent
from wraparound.door import actions


@pytest.fixture
def person(place):
    p = PatientFactory(given_name="Edna", family_name="Jones")
    on_caseload(p, place.nursing)
    consent(p, "share_alliance")
    return p


def _events_for(person):
    return list(AuditEvent.objects.filter(patient_id_at_event=person.pk))


def _one_new_event(before: int, **expected) -> AuditEvent:
    new = list(AuditEvent.objects.filter(id__gt=before))
    assert len(new) == 1, [(e.action, e.purpose) for e in new]
    for key, value in expected.items():
        assert getattr(new[0], key) == value
    return new[0]


def _last() -> int:
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_viewing_a_record_page_writes_one_event_with_who_what_why_and_basis(client, place, person):
    client.force_login(place.users["nurse"])
    before = _last()
    response = client.get(reverse("caseload:person", args=[person.pk]), HTTP_X_REQUEST_ID="req-123")
    assert response.status_code == 200
    event = _one_new_event(before, action="view", patient_id_at_event=person.pk)
    assert event.username == "nurse"
    assert event.organisation_code == "RTR"
    assert event.role == "clinician"
    assert event.basis == "own team's caseload"
    assert event.purpose == "view the person's record"
    assert event.request_id == "req-123"


def test_a_search_writes_one_event_naming_the_people_shown(client, place, person):
    client.force_login(place.users["nurse"])
    before = _last()
    response = client.get(reverse("caseload:people"), {"q": "Jones"})
    assert "Jones".upper() in response.content.decode()
    event = _one_new_event(before, action="search")
    assert event.detail["patients_shown"] == [person.pk]


def test_a_refused_view_writes_one_denied_event_and_shows_nothing(client, place, person):
    client.force_login(place.users["paramedic"])
    before = _last()
    response = client.get(reverse("caseload:person", args=[person.pk]))
    assert response.status_code == 403
    assert "Jones" not in response.content.decode()
    _one_new_event(before, action="denied", patient_id_at_event=person.pk)


def test_recording_consent_writes_the_access_and_the_change(place, person):
    before = _last()
    actions.record_consent(
        patient_id=person.pk, scope="dissent", method="verbal", by=place.users["nurse"]
    )
    new = list(AuditEvent.objects.filter(id__gt=before).values_list("action", "purpose"))
    assert new == [("consent", "record consent"), ("update", "consent changed")]
    changed = AuditEvent.objects.filter(id__gt=before).order_by("id")[1]
    assert changed.detail == {
        "changes": {"scope": {"from": "share_alliance", "to": "dissent"}},
        "method": "verbal",
    }


def test_breaking_the_glass_writes_one_event_with_the_reason(place, person):
    before = _last()
    actions.break_glass(
        patient_id=person.pk,
        reason="Unresponsive, need medicines list now",
        by=place.users["paramedic"],
    )
    event = _one_new_event(before, action="break_glass")
    assert event.detail["reason"] == "Unresponsive, need medicines list now"


def test_audit_events_cannot_be_changed_or_deleted_through_the_app(place, person):
    event = audit.record(
        user=place.users["nurse"], action="view", purpose="find a person", patient_id=person.pk
    )
    event.purpose = "something else"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(purpose="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_admin_cannot_add_change_or_delete_audit_events(client, place):
    from tests.factories import UserFactory

    admin_user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    audit.record(user=admin_user, action="search", purpose="find a person")
    event = AuditEvent.objects.first()
    assert client.get(reverse("admin:access_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:access_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(
        reverse("admin:access_auditevent_change", args=[event.pk]), {"purpose": "edited"}
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.purpose == "find a person"


def _chain_of(place, person, n=5):
    for i in range(n):
        audit.record(
            user=place.users["nurse"],
            action="view",
            purpose="view the person's record",
            patient_id=person.pk,
            detail={"look": i},
        )
    # This test's transaction never commits, so seal as the commit would have.
    audit.seal()


def test_audit_verify_passes_on_an_intact_chain(place, person, capsys):
    _chain_of(place, person)
    call_command("audit", "verify")
    assert "intact: 5 events verified" in capsys.readouterr().out


def test_audit_verify_names_an_event_edited_in_the_database(place, person):
    _chain_of(place, person)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEvent._meta.db_table} SET purpose = %s WHERE sequence = 3", ["tampered"]
        )
    with pytest.raises(CommandError, match=r"BROKEN at event #3: event #3 has been altered"):
        call_command("audit", "verify")


def test_audit_verify_names_an_event_deleted_from_the_database(place, person):
    _chain_of(place, person)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence = 2")
    with pytest.raises(CommandError, match=r"BROKEN at event #2: event #2 is missing"):
        call_command("audit", "verify")


def test_audit_verify_notices_the_newest_events_deleted(place, person):
    _chain_of(place, person)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table} WHERE sequence = 5")
    with pytest.raises(CommandError, match=r"events after #4 are missing"):
        call_command("audit", "verify")


def test_a_rolled_back_write_leaves_no_audit_event(place, person):
    from django.db import transaction

    before = _last()
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.record_consent(
            patient_id=person.pk, scope="dissent", method="verbal", by=place.users["nurse"]
        )
        raise RuntimeError("something later failed")
    assert _last() == before
    assert audit.verify().ok


def test_privacy_officer_sees_who_looked_at_a_record(client, place, person):
    nurse = place.users["nurse"]
    audit.record(
        user=nurse,
        action="view",
        purpose="open a visit",
        patient_id=person.pk,
        basis="own team's caseload",
    )
    client.force_login(place.users["privacy"])
    page = client.get(
        reverse("access:audit_search"),
        {"nhs_number": person.nhs_number, "date_of_birth": person.date_of_birth.isoformat()},
    ).content.decode()
    assert "open a visit" in page and "nurse" in page
    # Named as people and organisations, not as usernames and ODS codes.
    assert nurse.get_full_name() in page and "Testford Community Trust" in page


def test_privacy_officer_reviews_break_glass_uses(client, place, person):
    use = actions.break_glass(
        patient_id=person.pk,
        reason="Found collapsed; need history now",
        by=place.users["paramedic"],
    )
    client.force_login(place.users["privacy"])
    page = client.get(reverse("access:break_glass_reviews")).content.decode()
    assert "Found collapsed; need history now" in page
    client.post(
        reverse("access:review_break_glass", args=[use.pk]), {"outcome": "Appropriate: 999 call"}
    )
    use.refresh_from_db()
    assert (
        use.reviewed_by == place.users["privacy"] and use.review_outcome == "Appropriate: 999 call"
    )


def test_only_the_privacy_officer_opens_the_privacy_pages(client, place):
    client.force_login(place.users["nurse"])
    assert client.get(reverse("access:break_glass_reviews")).status_code == 403
    assert client.get(reverse("access:audit_search")).status_code == 403


def test_a_purpose_not_in_the_list_is_refused_naming_where_to_add_it(place):
    with pytest.raises(ValueError, match=r"not in access/purposes\.py"):
        audit.record(user=place.users["nurse"], action="view", purpose="just looking")


def test_a_change_is_recorded_with_each_fields_value_before_and_after(place):
    with pytest.raises(ValueError, match="records what changed"):
        audit.record(
            user=place.users["nurse"], action="update", purpose="consent changed", detail={}
        )
    assert audit.changes({"scope": "share_alliance", "method": "x"}, {"scope": "dissent"}) == {
        "method": {"from": "x", "to": None},
        "scope": {"from": "share_alliance", "to": "dissent"},
    }
