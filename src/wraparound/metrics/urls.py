from django.urls import path

from . import views

app_name = "metrics"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("persistent-difficulty/", views.difficulty, name="difficulty"),
    path("<slug:code>/", views.metric_page, name="metric"),
    path("<slug:code>.csv", views.metric_csv, name="metric_csv"),
]
