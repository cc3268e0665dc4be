from django.urls import path

from . import views

app_name = "access"
urlpatterns = [
    path("break-glass/", views.break_glass_reviews, name="break_glass_reviews"),
    path("break-glass/<int:use_id>/review/", views.review_break_glass, name="review_break_glass"),
    path("who-looked/", views.audit_search, name="audit_search"),
]
