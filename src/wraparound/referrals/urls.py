from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("new/", views.new_referral, name="new"),
    path("mine/", views.my_referrals, name="mine"),
    path("worklist/", views.worklist, name="worklist"),
    path("team/", views.team_referrals, name="team"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/triage/", views.triage, name="triage"),
    path("<int:referral_id>/override/", views.override, name="override"),
    path("<int:referral_id>/offer/", views.offer, name="offer"),
    path("<int:referral_id>/return/", views.return_referral, name="return"),
    path("<int:referral_id>/accept/", views.accept, name="accept"),
    path("<int:referral_id>/decline/", views.decline, name="decline"),
]
