from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("", views.search, name="search"),
    path("services/", views.services, name="services"),
    path("services/<int:service_id>/capacity/", views.update_capacity, name="update_capacity"),
]
