from django.urls import path

from . import views

app_name = "discharge"

urlpatterns = [
    path("", views.hospital_list, name="list"),
    path("sitrep.csv", views.sitrep_csv, name="sitrep_csv"),
    path("hub/", views.hub, name="hub"),
    path("<int:stay_id>/refer/", views.refer, name="refer"),
]
