from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("team/", views.team, name="team"),
    path("team/you-said-we-did/", views.publish, name="publish"),
    path("return.csv", views.monthly_return_csv, name="return_csv"),
    path("invite/<int:visit_id>/", views.invite, name="invite"),
    path("thank-you/<slug:team_code>/", views.thanks, name="thanks"),
    path("<str:token>/", views.answer, name="answer"),
]
