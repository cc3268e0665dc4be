from django.urls import path

from . import views, views_day, views_team

app_name = "caseload"
urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/<int:patient_id>/", views.person, name="person"),
    path("people/<int:patient_id>/consent/", views.record_consent, name="record_consent"),
    path("people/<int:patient_id>/handover/", views_team.write_handover, name="write_handover"),
    path("people/<int:patient_id>/advice/", views_team.ask_advice, name="ask_advice"),
    path("people/break-glass/", views.break_glass, name="break_glass"),
    path("caseloads/", views_team.team_caseload, name="team_caseload"),
    path("advice/", views_team.advice_worklist, name="advice_worklist"),
    path("advice/<int:request_id>/answer/", views_team.answer_advice, name="answer_advice"),
    path("my-day/", views_day.my_day, name="my_day"),
    path("my-day/visits/<int:visit_id>/", views_day.visit, name="visit"),
    path("my-day/visits/<int:visit_id>/outcome/", views_day.record_outcome, name="record_outcome"),
    path(
        "my-day/visits/<int:visit_id>/correct/", views_day.correct_outcome, name="correct_outcome"
    ),
]
