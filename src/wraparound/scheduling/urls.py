from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("", views.board, name="board"),
    path("plan/", views.make_plan, name="make_plan"),
    path("plans/<int:plan_id>/pin/", views.pin, name="pin"),
    path("plans/<int:plan_id>/publish/", views.publish, name="publish"),
    path("plans/<int:plan_id>/urgent/", views.urgent_proposal, name="urgent_proposal"),
]
