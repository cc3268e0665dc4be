from django.urls import path

from . import views

app_name = "csds"

urlpatterns = [
    path("<str:table>.csv", views.export_csv, name="export"),
]
