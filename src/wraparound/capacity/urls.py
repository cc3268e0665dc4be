from django.urls import path

from . import views, views_board, views_falls

app_name = "capacity"

urlpatterns = [
    path("", views_board.board, name="board"),
    path("virtual-ward-return.csv", views_board.virtual_ward_return, name="virtual_ward_return"),
    path("wards/", views.wards, name="wards"),
    path("wards/<int:ward_id>/", views.ward, name="ward"),
    path("wards/<int:ward_id>/admit/", views.admit, name="admit"),
    path("stays/<int:stay_id>/", views.stay, name="stay"),
    path("stays/<int:stay_id>/discharge/", views.discharge, name="discharge"),
    path("falls/", views_falls.falls, name="falls"),
    path("falls/new/", views_falls.new_call, name="new_call"),
    path("falls/<int:call_id>/", views_falls.call, name="call"),
    path("falls/<int:call_id>/clock/", views_falls.record_clock, name="record_clock"),
    path("falls/<int:call_id>/sign-off/", views_falls.sign_off, name="sign_off"),
    path("responder/", views_falls.responder, name="responder"),
]
