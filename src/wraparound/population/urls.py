from django.urls import path

from . import views

app_name = "population"

urlpatterns = [path("cohorts/", views.cohorts, name="cohorts")]
