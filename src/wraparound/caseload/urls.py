from django.urls import path

from . import views

app_name = "caseload"
urlpatterns = [
    path("", views.people, name="people"),
    path("<int:patient_id>/", views.person, name="person"),
    path("<int:patient_id>/consent/", views.record_consent, name="record_consent"),
    path("break-glass/", views.break_glass, name="break_glass"),
]
