"""Answering from a link, once; the team's page; and who may see what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import PatientFactory, staff
from tests.metrics.csds_fixtures import visit
from wraparound.access.models import AuditEvent
from wraparound.access.permissions import NoAccess
from wraparound.feedback import actions
from wraparound.feedback.models import Invitation, Response


@pytest.fixture
def completed(place):
    return visit(PatientFactory(), place.nursing, "completed")


def _link(place, completed):
    _, token = actions.invite_feedback(visit_id=completed.pk, by=place.users["nurse"])
    return token


def test_a_person_answers_from_the_link_without_signing_in(client, place, completed):
    token = _link(place, completed)
    page = client.get(reverse("feedback:answer", args=[token]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Overall, how was your experience of our service?" in body and "Don&#x27;t know" in body
    sent = client.post(
        reverse("feedback:answer", args=[token]),
        {"rating": "very_good", "reason": "Kind and on time"},
    )
    assert sent.status_code == 302
    response = Response.objects.get()
    assert (response.team, response.rating) == (place.nursing, "very_good")
    assert response.themes == ["Staff attitude and kindness", "Timeliness and waiting"]


def test_a_token_used_twice_is_refused(client, place, completed):
    token = _link(place, completed)
    url = reverse("feedback:answer", args=[token])
    client.post(url, {"rating": "good"})
    again = client.post(url, {"rating": "very_poor"})
    assert again.status_code == 410 and "already been used" in again.content.decode()
    assert Response.objects.count() == 1
    with pytest.raises(actions.LinkNotUsable):
        actions.answer_feedback(token=token, rating="poor", reason="", by=place.users["gp"])


def test_an_unknown_or_expired_link_says_so(client, place, completed):
    assert client.get(reverse("feedback:answer", args=["not-a-token"])).status_code == 410
    token = _link(place, completed)
    Invitation.objects.update(expires_on="2020-01-01")
    body = client.get(reverse("feedback:answer", args=[token])).content.decode()
    assert "expired" in body


def test_the_answer_keeps_nothing_that_leads_to_the_person(place, completed):
    token = _link(place, completed)
    actions.answer_feedback(token=token, rating="good", reason="", by=place.users["gp"])
    fields = {f.name for f in Response._meta.get_fields()}
    assert not fields & {"visit", "patient", "invitation", "created_at"}
    event = AuditEvent.objects.filter(purpose="Friends and Family Test answered").get()
    assert event.patient_id_at_event is None and "visit" not in str(event.detail)


def test_no_answer_and_an_answer_not_on_the_list_name_the_field(client, place, completed):
    token = _link(place, completed)
    body = client.post(reverse("feedback:answer", args=[token]), {}).content.decode()
    assert "Choose one of the answers" in body
    with pytest.raises(Exception, match="rating"):
        actions.answer_feedback(token=token, rating="brilliant", reason="", by=place.users["gp"])
    assert Response.objects.count() == 0


def test_only_the_visiting_team_invites_and_only_after_a_completed_visit(place, completed):
    with pytest.raises(NoAccess):
        actions.invite_feedback(visit_id=completed.pk, by=place.users["ucr_nurse"])
    planned = visit(PatientFactory(), place.nursing, "planned")
    with pytest.raises(Exception, match="completed"):
        actions.invite_feedback(visit_id=planned.pk, by=place.users["nurse"])


def test_the_invitation_page_shows_a_link_and_a_qr_code(client, place, completed):
    client.force_login(place.users["nurse"])
    page = client.post(reverse("feedback:invite", args=[completed.pk])).content.decode()
    assert 'data-testid="fft-qr"' in page and "<svg" in page and "/feedback/" in page


def test_a_team_cannot_see_another_teams_free_text(client, place, completed):
    token = _link(place, completed)
    actions.answer_feedback(
        token=token, rating="poor", reason="The parking was a nightmare", by=place.users["gp"]
    )
    client.force_login(place.users["nurse"])
    assert "parking was a nightmare" in client.get(reverse("feedback:team")).content.decode()
    client.force_login(place.users["ucr_nurse"])
    assert "parking was a nightmare" not in client.get(reverse("feedback:team")).content.decode()
    for who in ("gp", "analyst", "befriender"):
        client.force_login(place.users[who])
        assert client.get(reverse("feedback:team")).status_code == 403


def test_the_team_page_counts_the_month_by_hand(client, place):
    nurse = place.users["nurse"]
    for rating in ["very_good"] * 4 + ["good"] * 2 + ["poor", "dont_know"]:
        token = _link(place, visit(PatientFactory(), place.nursing, "completed"))
        actions.answer_feedback(token=token, rating=rating, reason="", by=nurse)
    client.force_login(nurse)
    body = client.get(reverse("feedback:team")).content.decode()
    assert "8 answers" in body
    assert "75.0% (95% interval" in body  # 6 of 8 positive, don't know counted
    assert "fewer than 5" in body  # 2 good, 1 poor, 1 don't know
    assert 'id="fft-p-chart"' in body


def test_a_team_leader_publishes_you_said_we_did_and_people_see_it_after_answering(
    client, place, completed
):
    leader = staff("nursing_leader", place.trust, "team_leader", place.nursing)
    client.force_login(leader)
    client.post(
        reverse("feedback:publish"),
        {"you_said": "Visits were late", "we_did": "We now ring ahead if we run late"},
    )
    client.logout()
    token = _link(place, completed)
    thanks = client.post(reverse("feedback:answer", args=[token]), {"rating": "good"}, follow=True)
    assert "We now ring ahead if we run late" in thanks.content.decode()
    with pytest.raises(NoAccess):
        actions.publish_you_said_we_did(
            team_id=place.nursing.pk, you_said="x", we_did="y", by=place.users["nurse"]
        )


def test_an_answer_racing_another_on_the_same_link_is_refused(place, completed, monkeypatch):
    token = _link(place, completed)
    seen = actions.open_invitation(token)

    def read_before_the_other_answer_lands(_token):
        # The other answer claims the link after this one read it as open.
        Invitation.objects.filter(pk=seen.pk).update(used_on=seen.expires_on)
        return seen

    monkeypatch.setattr(actions, "open_invitation", read_before_the_other_answer_lands)
    with pytest.raises(actions.LinkNotUsable, match="already been used"):
        actions.answer_feedback(token=token, rating="good", reason="", by=place.users["gp"])
    assert Response.objects.count() == 0


def test_the_team_page_puts_possible_safety_concerns_first(client, place):
    nurse = place.users["nurse"]
    for reason in ("Lovely and kind", "My husband fell and the nurse left him on the floor"):
        token = _link(place, visit(PatientFactory(), place.nursing, "completed"))
        actions.answer_feedback(token=token, rating="poor", reason=reason, by=nurse)
    client.force_login(nurse)
    body = client.get(reverse("feedback:team")).content.decode()
    concern = body.index('data-testid="fft-safety"')
    assert concern < body.index("The month's return")
    assert "left him on the floor" in body[concern : body.index("</div>", concern)]
    assert "Lovely and kind" not in body[concern : body.index("</div>", concern)]


def test_the_monthly_return_counts_each_teams_six_answers(client, place):
    from django.utils import timezone

    for team, nurse, rating in (
        (place.nursing, "nurse", "good"),
        (place.nursing, "nurse", "good"),
        (place.ucr, "ucr_nurse", "poor"),
    ):
        completed = visit(PatientFactory(), team, "completed")
        _, token = actions.invite_feedback(visit_id=completed.pk, by=place.users[nurse])
        actions.answer_feedback(token=token, rating=rating, reason="private", by=place.users["gp"])
    client.force_login(staff("trust_lead", place.trust, "team_leader", place.nursing))
    month = timezone.localdate().strftime("%Y-%m")
    csv = client.get(reverse("feedback:return_csv"), {"month": month}).content.decode()
    lines = csv.strip().splitlines()
    assert lines[0].endswith("very_good,good,neither,poor,very_poor,dont_know,total")
    nursing = next(line for line in lines if ",nursing," in line)
    assert nursing.endswith("0,2,0,0,0,0,2")
    assert "private" not in csv  # counts only
    assert client.get(reverse("feedback:return_csv"), {"month": "11/2026"}).status_code == 400
    client.force_login(place.users["nurse"])  # a clinician makes no returns
    assert client.get(reverse("feedback:return_csv"), {"month": month}).status_code == 403
