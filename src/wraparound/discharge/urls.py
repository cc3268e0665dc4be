from django.urls import path

from . import views, views_hub

app_name = "discharge"

urlpatterns = [
    path("", views.hospital_list, name="list"),
    path("sitrep.csv", views.sitrep_csv, name="sitrep_csv"),
    path("hub/", views_hub.hub, name="hub"),
    path("hub/<int:stay_id>/", views_hub.plan, name="plan"),
    path("<int:stay_id>/", views.stay_page, name="stay"),
    path("<int:stay_id>/refer/", views.refer, name="refer"),
]
